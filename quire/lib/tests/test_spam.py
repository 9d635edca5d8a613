import time

from django import forms

from quire.lib import spam
from quire.lib.spam import SpamTrapMixin


class GuestForm(SpamTrapMixin, forms.Form):
    text = forms.CharField()


def _posted(**data):
    return {"text": "Hello", **data}


def test_an_unbound_form_carries_the_time_it_was_shown():
    form = GuestForm()
    assert spam.seconds_since(form.initial["form_started"]) is not None


def test_a_form_sent_after_the_minimum_time_passes(settings):
    settings.SPAM_MIN_FORM_SECONDS = 3
    token = spam.signing.dumps(int(time.time()) - 10, salt=spam.SALT)
    assert GuestForm(_posted(form_started=token)).is_valid()


def test_a_form_sent_too_soon_is_refused_and_keeps_the_text(settings):
    settings.SPAM_MIN_FORM_SECONDS = 3
    form = GuestForm(_posted(form_started=spam.started_token()))
    assert not form.is_valid()
    assert spam.TOO_FAST in form.non_field_errors()
    assert form["text"].value() == "Hello"


def test_a_missing_or_forged_timestamp_is_refused_then_replaced():
    form = GuestForm(_posted(form_started="forged"))
    assert not form.is_valid()
    assert spam.seconds_since(form["form_started"].value()) is not None


def test_the_honeypot_refuses(settings):
    settings.SPAM_MIN_FORM_SECONDS = 0
    token = spam.signing.dumps(int(time.time()) - 10, salt=spam.SALT)
    form = GuestForm(_posted(form_started=token, website="http://spam.example"))
    assert not form.is_valid()
    assert spam.TRAPPED in form.non_field_errors()


def test_trap_spam_off_skips_the_checks():
    form = GuestForm(_posted())
    form.trap_spam = False
    assert form.is_valid()
