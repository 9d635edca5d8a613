"""Spam traps for the forms guests can send (comments, abuse reports, sign-up).

A person reads a form before sending it and never sees a field hidden from them; a script
fills every field and posts at once. So a guest form carries two extra fields:
- a honeypot (`SpamTrapMixin.HONEYPOT`), hidden by CSS and labelled "leave this empty": a
  post that fills it is refused;
- the signed time the form was shown (`SpamTrapMixin.STARTED`): a post without it, with a
  forged one, or sent sooner than settings.SPAM_MIN_FORM_SECONDS after it, is refused.

A refused form comes back with everything typed and a message saying what to do; the
timestamp it carries is the first one, so sending it again a moment later goes through.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.http import QueryDict

SALT = "quire.lib.spam.started"
TOO_FAST = "That was quick! Please check what you typed and send it again."
TRAPPED = "Please leave the field marked “Leave this empty” empty, and send again."


def started_token() -> str:
    return signing.dumps(int(time.time()), salt=SALT)


def seconds_since(token: str) -> float | None:
    """Seconds since the form holding `token` was shown; None for a missing or forged one.
    Tokens older than a day are refused too (max_age), so one can't be reused forever."""
    try:
        shown = signing.loads(token, salt=SALT, max_age=86_400)
    except (signing.BadSignature, TypeError):
        return None
    if not isinstance(shown, int):
        return None
    return time.time() - shown


class SpamTrapMixin(forms.Form):
    """Mix into a guest form (before forms.Form). `trap_spam = False` on an instance (a
    logged-in poster) turns the checks off; the fields are still rendered, harmlessly."""

    HONEYPOT = "website"
    STARTED = "form_started"

    trap_spam = True

    website = forms.CharField(
        required=False,
        label="Leave this empty",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_started = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial[self.STARTED] = started_token()

    def clean(self):
        cleaned = super().clean()
        if not self.trap_spam:
            return cleaned
        if self.data.get(self.HONEYPOT):
            raise forms.ValidationError(TRAPPED, code="honeypot")
        elapsed = seconds_since(self.data.get(self.STARTED) or "")
        if elapsed is None:
            # A form shown before this check existed, or posted by a script: give it a fresh
            # timestamp so a person can simply send again.
            # A QueryDict's copy keeps fields with several values (checkboxes).
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data[self.STARTED] = started_token()
            self.data = data
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        if elapsed < settings.SPAM_MIN_FORM_SECONDS:
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        return cleaned
