"""The demo account's login, kept in the data directory so `manage.py demo_login` can show it.

The password is generated once (secrets.token_urlsafe) and reused by later seeds, so a
person who has written it down keeps it. The file is readable by its owner only.
"""

import json
import os
import secrets
from pathlib import Path

from .plan import DEMO_USERNAME

FILE_NAME = "demo_login.json"


def demo_login_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def read_demo_login(data_dir: Path) -> tuple[str, str] | None:
    """(username, password) from the stored file, or None if there is no usable file."""
    try:
        stored = json.loads(demo_login_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict):
        return None
    username, password = stored.get("username"), stored.get("password")
    if not (isinstance(username, str) and isinstance(password, str) and username and password):
        return None
    return username, password


def demo_password(data_dir: Path) -> str:
    """The stored demo password, or a new one if none is stored yet."""
    stored = read_demo_login(data_dir)
    if stored is not None and stored[0] == DEMO_USERNAME and 8 <= len(stored[1]) <= 72:
        return stored[1]
    return secrets.token_urlsafe(12)


def write_demo_login(data_dir: Path, password: str) -> Path:
    """Store the login with mode 600, replacing the file in one step."""
    path = demo_login_path(data_dir)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"username": DEMO_USERNAME, "password": password}, handle)
        handle.write("\n")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path
