"""The demo accounts' logins, kept in the data directory so `manage.py demo_login` can show them.

Two accounts: the demo reader and writer, and a demo tag wrangler. Each password is generated
once (secrets.token_urlsafe) and reused by later seeds, so a person who has written it down
keeps it. The file is readable by its owner only.
"""

import json
import os
import secrets
from pathlib import Path

from .plan import DEMO_USERNAME, DEMO_WRANGLER

FILE_NAME = "demo_login.json"


def demo_login_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _stored(data_dir: Path) -> dict:
    try:
        stored = json.loads(demo_login_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def _login(entry) -> tuple[str, str] | None:
    if not isinstance(entry, dict):
        return None
    username, password = entry.get("username"), entry.get("password")
    if not (isinstance(username, str) and isinstance(password, str) and username and password):
        return None
    return username, password


def read_demo_login(data_dir: Path) -> tuple[str, str] | None:
    """(username, password) of the demo account from the stored file, or None."""
    return _login(_stored(data_dir))


def read_wrangler_login(data_dir: Path) -> tuple[str, str] | None:
    """(username, password) of the demo wrangler, or None (archives seeded before it existed
    have none)."""
    return _login(_stored(data_dir).get("wrangler"))


def _reuse(stored: tuple[str, str] | None, username: str) -> str:
    if stored is not None and stored[0] == username and 8 <= len(stored[1]) <= 72:
        return stored[1]
    return secrets.token_urlsafe(12)


def demo_password(data_dir: Path) -> str:
    """The stored demo password, or a new one if none is stored yet."""
    return _reuse(read_demo_login(data_dir), DEMO_USERNAME)


def wrangler_password(data_dir: Path) -> str:
    """The stored demo wrangler's password, or a new one if none is stored yet."""
    return _reuse(read_wrangler_login(data_dir), DEMO_WRANGLER)


def write_demo_login(data_dir: Path, password: str, wrangler_password: str) -> Path:
    """Store both logins with mode 600, replacing the file in one step."""
    path = demo_login_path(data_dir)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "username": DEMO_USERNAME,
                "password": password,
                "wrangler": {"username": DEMO_WRANGLER, "password": wrangler_password},
            },
            handle,
        )
        handle.write("\n")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path
