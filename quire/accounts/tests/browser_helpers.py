"""Two-factor sign-in for tests: give an account an authenticator app, compute its current
code with allauth.mfa's own TOTP functions (no pyotp), and log in through the real pages,
with the test client or a browser (another app's browser tests use `log_in`)."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt

from quire.testing import TEST_PASSWORD


def enable_totp(user) -> str:
    """Set up an authenticator app for `user`, as the set-up page does; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_secret(user) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def totp_code(secret: str) -> str:
    """The code the authenticator app shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def client_log_in(client, user, password: str = TEST_PASSWORD):
    """Log in through /users/login and, for an account with an app, the code page; returns
    the last response."""
    response = client.post(
        "/users/login", {"user[login]": user.username, "user[password]": password}
    )
    secret = totp_secret(user)
    if secret is not None:
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    return response


def log_in(page, user, password: str = TEST_PASSWORD) -> None:
    """Log `user` in through the real login page in a browser; if they have an authenticator
    app, type its current code on the page that asks for it."""
    from playwright.sync_api import expect

    from quire.testing_browser import visit

    visit(page, "/users/login")
    form = page.locator("form#new_user")
    form.locator("input[name='user[login]']").fill(user.username)
    form.locator("input[name='user[password]']").fill(password)
    form.get_by_role("button", name="Log In").click()
    secret = totp_secret(user)
    if secret is not None:
        code_form = page.locator("form#mfa_authenticate")
        code_form.locator("input[name='code']").fill(totp_code(secret))
        code_form.get_by_role("button", name="Sign In").click()
    expect(page.locator("body.logged-in")).to_have_count(1)
