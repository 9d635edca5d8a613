import pytest

from quire.pages.actions import do_accept_terms, do_update_site_settings
from quire.pages.models import RulePage, RuleVersion, SignupMode
from quire.pages.queries import forget_site_settings, site_settings, terms_to_accept

pytestmark = pytest.mark.django_db


def _terms(number: int, needs_acceptance: bool = True) -> RuleVersion:
    # After the starting text (version 1, which asks nobody).
    return RuleVersion.objects.create(
        page=RulePage.objects.get(slug="tos"),
        number=number + 1,
        body="<p>Be kind.</p>",
        needs_acceptance=needs_acceptance,
    )


def test_the_five_rules_pages_exist():
    assert set(RulePage.objects.values_list("slug", flat=True)) >= {
        "tos",
        "content",
        "privacy",
        "faq",
        "about",
    }


def test_a_user_is_asked_to_accept_new_terms_until_they_do(alice):
    assert terms_to_accept(alice) is None
    first = _terms(1)
    assert terms_to_accept(alice) == first
    do_accept_terms(alice)
    assert terms_to_accept(alice) is None
    _terms(2, needs_acceptance=False)  # a small change asks nobody
    assert terms_to_accept(alice) is None
    third = _terms(3)
    assert terms_to_accept(alice) == third


def test_settings_default_before_any_row_and_follow_changes():
    forget_site_settings()
    assert site_settings().signups == SignupMode.OPEN
    do_update_site_settings(signups=SignupMode.INVITATION, banner="<p>Hello</p>")
    assert site_settings().signups == SignupMode.INVITATION
    first_banner = site_settings().banner_changed_at
    assert first_banner is not None
    do_update_site_settings(guest_comments=False)
    assert site_settings().banner_changed_at == first_banner
