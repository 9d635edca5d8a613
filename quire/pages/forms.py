"""Staff forms: a new version of a rules page, and the site settings."""

from django import forms

from quire.lib.sanitize import markup_validator

from .models import SignupMode

# A rules page is long prose (AO3 allows 200,000 characters for an FAQ); a banner is a line.
MAX_RULE_CHARS = 200_000
MAX_BANNER_CHARS = 2_000
MAX_NOTE_CHARS = 500
MAX_INVITATIONS_PER_DAY = 10_000


class RuleVersionForm(forms.Form):
    body = forms.CharField(
        label="Text (HTML)",
        max_length=MAX_RULE_CHARS,
        widget=forms.Textarea(attrs={"rows": 24, "class": "observe_textlength"}),
        validators=[markup_validator(MAX_RULE_CHARS)],
        strip=False,
    )
    change_note = forms.CharField(
        label="What changed",
        max_length=MAX_NOTE_CHARS,
        required=False,
        help_text="Shown with the version in the page's history.",
    )
    needs_acceptance = forms.BooleanField(
        label="Ask every user to accept the terms again",
        required=False,
    )

    def __init__(self, *args, is_terms: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not is_terms:
            del self.fields["needs_acceptance"]


class SiteSettingsForm(forms.Form):
    signups = forms.ChoiceField(label="Sign-ups", choices=SignupMode.choices)
    guest_comments = forms.BooleanField(label="Guests may comment", required=False)
    downloads = forms.BooleanField(label="Works may be downloaded", required=False)
    support_form = forms.BooleanField(label="The support form is open", required=False)
    invitations_per_day = forms.IntegerField(
        label="Invitations released from the queue each day",
        min_value=0,
        max_value=MAX_INVITATIONS_PER_DAY,
        help_text="0 releases none on its own; staff can still send them by hand.",
    )
    banner = forms.CharField(
        label="Site-wide banner (HTML)",
        max_length=MAX_BANNER_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[markup_validator(MAX_BANNER_CHARS)],
        help_text="Shown at the top of every page until a reader dismisses it. Leave empty "
        "for none. A new text is shown again to readers who dismissed the old one.",
    )
