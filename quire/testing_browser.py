"""Fixtures for the browser tests (marked `browser`): one headless Chromium for the session,
driven by Playwright, and fresh browser contexts pointed at pytest-django's live_server."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous for a cold browser, short enough that a missing element fails the test quickly.
TIMEOUT_MS = 10_000
VIEWPORT = {"width": 1100, "height": 900}


def chromium_path() -> Path | None:
    """Debian's Chromium (scripts/install-browser), or $QUIRE_CHROMIUM; Playwright cannot
    download its own browsers here."""
    path = Path(os.environ.get("QUIRE_CHROMIUM") or "/usr/bin/chromium")
    return path if path.is_file() and os.access(path, os.X_OK) else None


@pytest.fixture(scope="session")
def browser() -> Iterator:
    path = chromium_path()
    if path is None:
        pytest.skip(
            "No Chromium binary at $QUIRE_CHROMIUM or /usr/bin/chromium; "
            "run scripts/install-browser to enable the browser tests."
        )
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API leaves its event loop marked as running in this thread for as
        # long as Playwright runs, so Django's async-safety check would refuse every ORM call
        # here (factories, live_server's flush). Relaxed for exactly that span.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(path), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()


@pytest.fixture
def http_errors() -> list[str]:
    """Every response with an error status that any page of `open_page` met, so a missing
    stylesheet or a 500 behind a redirect does not go unnoticed."""
    return []


@pytest.fixture
def open_page(browser, live_server, http_errors) -> Iterator[Callable]:
    """Opens a page in a new browser context (its own cookies: one person per context) whose
    relative URLs go to the live server."""
    contexts = []

    def record(response) -> None:
        # Chromium asks every site for /favicon.ico on its own; Quire has none.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            http_errors.append(f"{response.status} {response.url}")

    def open_(**options):
        # options go to new_context, e.g. java_script_enabled=False for a reader without JS.
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("response", record)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def visit(page, path: str) -> None:
    """Go to a page, following redirects; an error status fails here, not at a later locator."""
    response = page.goto(path)
    if response is None or not response.ok:
        status = "no response" if response is None else f"{response.status} at {response.url}"
        raise AssertionError(f"GET {path} ended in {status}")


def log_in(page, login: str) -> None:
    """Log in through /users/login's AO3 form (form#new_user, user[login], user[password])."""
    from playwright.sync_api import expect

    from quire.testing import TEST_PASSWORD

    visit(page, "/users/login")
    form = page.locator("form#new_user")
    form.locator("input[name='user[login]']").fill(login)
    form.locator("input[name='user[password]']").fill(TEST_PASSWORD)
    form.get_by_role("button", name="Log In").click()
    expect(page.locator("body.logged-in")).to_have_count(1)
