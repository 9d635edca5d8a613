"""The sign-up form's promises (terms and age), its spam trap and rate limit, closed sign-ups,
and both kinds of e-mail confirmation, end to end."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import caches

from quire.accounts.models import User
from quire.lib.spam import started_token
from quire.pages.actions import do_update_site_settings
from quire.pages.models import RulePage, RuleVersion, SignupMode, TermsAcceptance
from quire.pages.queries import forget_site_settings
from quire.testing import form_value, parse, text_of

pytestmark = pytest.mark.django_db

PASSWORD = "a perfectly good password"


@pytest.fixture(autouse=True)
def _forms_may_be_sent_at_once(settings):
    settings.SPAM_MIN_FORM_SECONDS = 0
    caches["ratelimit"].clear()
    forget_site_settings()  # a test's sign-up mode must not outlive its rolled-back row
    yield
    caches["ratelimit"].clear()
    forget_site_settings()


def signup_data(**fields) -> dict:
    data = {
        "username": "lizzy_bennet",
        "email": "lizzy@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "terms": "on",
        "age": "on",
        "form_started": started_token(),
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def error_text(response) -> str:
    return text_of(parse(response).xpath("//div[@id='main']//div[contains(@class,'error')]")[0])


def test_the_form_links_the_three_policies_and_asks_the_minimum_age(client, settings):
    settings.MINIMUM_AGE = 16
    doc = parse(client.get("/signup"))
    form = doc.xpath("//form[@id='signup_form']")[0]
    assert {"/tos", "/privacy", "/content"} <= set(form.xpath(".//label//a/@href"))
    assert "I am at least 16 years old." in text_of(form)
    assert form.xpath(".//input[@type='checkbox'][@name='terms']")
    assert form.xpath(".//input[@type='checkbox'][@name='age']")
    # The spam trap's two fields.
    assert form.xpath(".//input[@name='website']") and form.xpath(".//input[@name='form_started']")


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("terms", "Please read and accept the Terms of Service"),
        ("age", "You must be at least 13 years old"),
    ],
)
def test_each_promise_is_required_and_the_form_keeps_what_was_typed(client, missing, message):
    response = client.post("/signup", signup_data(**{missing: None}))
    assert response.status_code == 200
    assert message in error_text(response)
    doc = parse(response)
    assert form_value(doc, "username") == "lizzy_bennet"
    assert form_value(doc, "email") == "lizzy@example.org"
    other = "age" if missing == "terms" else "terms"
    assert doc.xpath(f"//input[@name='{other}']/@checked")
    assert not User.objects.filter(username="lizzy_bennet").exists()


def test_signing_up_records_the_terms_accepted(client):
    # Version 2: after the starting text (pages 0003).
    version = RuleVersion.objects.create(
        page=RulePage.objects.get(slug="tos"), number=2, body="<p>Be kind.</p>"
    )
    assert client.post("/signup", signup_data()).status_code == 302
    user = User.objects.get(username="lizzy_bennet")
    assert TermsAcceptance.objects.filter(user=user, version=version).exists()


def test_a_filled_honeypot_is_refused_keeping_the_text(client):
    response = client.post("/signup", signup_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "Leave this empty" in error_text(response)
    assert form_value(parse(response), "username") == "lizzy_bennet"
    assert not User.objects.exists() or not User.objects.filter(username="lizzy_bennet").exists()


def test_a_post_sooner_than_the_minimum_time_is_refused(client, settings):
    settings.SPAM_MIN_FORM_SECONDS = 60
    response = client.post("/signup", signup_data())
    assert "That was quick" in error_text(response)
    assert not User.objects.filter(username="lizzy_bennet").exists()


def test_sign_ups_are_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "2/3600"}
    for n in range(2):
        response = client.post("/signup", signup_data(username=f"reader_{n}", email=f"r{n}@x.org"))
        assert response.status_code == 302
    response = client.post("/signup", signup_data(username="reader_3", email="r3@x.org"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # The form comes back with what was typed and says when to try again.
    assert "too many times" in error_text(response)
    assert form_value(parse(response), "username") == "reader_3"
    assert not User.objects.filter(username="reader_3").exists()


def test_closed_sign_ups_show_a_page_instead_of_the_form(client):
    do_update_site_settings(signups=SignupMode.CLOSED)
    response = client.get("/signup")
    assert response.status_code == 200
    doc = parse(response)
    assert "Sign-ups Are Closed" in text_of(doc)
    assert not doc.xpath("//form[@id='signup_form']")
    client.post("/signup", signup_data())
    assert not User.objects.filter(username="lizzy_bennet").exists()


def test_invitation_only_sign_up_without_a_code_says_how_to_get_one(client):
    do_update_site_settings(signups=SignupMode.INVITATION)
    doc = parse(client.get("/signup"))
    assert not doc.xpath("//form[@id='signup_form']")
    assert doc.xpath("//div[@id='main']//a[@href='/invite_requests']")
    client.post("/signup", signup_data())
    assert not User.objects.filter(username="lizzy_bennet").exists()


def _link(path_pattern: str) -> str:
    body = str(mail.outbox[-1].body)
    return re.search(rf"https?://[^/\s]+({path_pattern}\S*)", body).group(1)


def test_mandatory_confirmation_the_mails_link_logs_the_new_account_in(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = client.post("/signup", signup_data())
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    page = parse(client.get(response["Location"]))
    assert page.xpath("//header[@id='header']")
    assert "lizzy@example.org" in text_of(page.xpath("//div[@id='main']")[0])
    # The link opens a confirmation page in the site's layout; confirming logs in.
    link = _link("/accounts/confirm-email/")
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert parse(confirm_page).xpath("//header[@id='header']")
    client.post(link)
    user = User.objects.get(username="lizzy_bennet")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert EmailAddress.objects.get(user=user).verified


def test_optional_confirmation_logs_the_new_account_in_at_once(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    response = client.post("/signup", signup_data())
    assert response.status_code == 302
    user = User.objects.get(username="lizzy_bennet")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert parse(client.get("/works")).xpath("//body/@class") == ["logged-in"]
    # A confirmation mail is still sent, and confirms the address when followed.
    client.post(_link("/accounts/confirm-email/"))
    assert EmailAddress.objects.get(user=user).verified


def test_allauths_own_sign_up_path_follows_the_same_rules(client):
    do_update_site_settings(signups=SignupMode.INVITATION)
    doc = parse(client.get("/accounts/signup/"))
    assert not doc.xpath("//form[@id='signup_form']")
    assert doc.xpath("//div[@id='main']//a[@href='/invite_requests']")
    client.post("/accounts/signup/", signup_data())
    assert not User.objects.filter(username="lizzy_bennet").exists()
