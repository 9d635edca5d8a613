"""Production settings (README "Running in production"): `check --deploy` is clean with the
documented environment, pages carry a Content-Security-Policy that allows no inline script,
and the data directory and the SQLite file are private to the archive's user."""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)

# The environment README.md's "Running in production" section documents.
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "a-long-random-secret-of-fifty-characters-or-more-3f9",
    "ALLOWED_HOSTS": "archive.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://archive.example.org",
    "QUIRE_SITE_URL": "https://archive.example.org",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_COOKIES": "true",
}


def run_django(tmp_path: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    clean.pop("DEBUG", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "QUIRE_DATA_DIR": str(tmp_path / "data"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    for name, value in PRODUCTION_ENV.items():
        if name != "SECRET_KEY":
            assert f"{name}={value}" in section, name
    result = run_django(
        tmp_path, PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_the_data_dir_and_the_sqlite_file_are_private(tmp_path):
    result = run_django(
        tmp_path,
        {"DATABASE_URL": "", "DJANGO_SETTINGS_MODULE": "quire.settings"},
        "-c",
        "import django; django.setup(); from django.db import connection; "
        "connection.ensure_connection(); "
        "connection.cursor().execute('CREATE TABLE t (x int)')",
    )
    env_note = result.stdout + result.stderr
    assert result.returncode == 0, env_note
    data = tmp_path / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "quire.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600


def test_pages_carry_a_policy_with_no_inline_script(client, alice):
    response = client.get("/works")
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_templates_hold_no_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
    found = []
    for path in (ROOT / "templates").rglob("*.htm*"):
        text = path.read_text()
        if inline_script.search(text) or handler.search(text):
            found.append(str(path.relative_to(ROOT)))
    assert found == []
