"""Forms of moderation: the public abuse report and support forms, and the staff forms."""

from datetime import datetime, time

from django import forms
from django.utils import timezone

from quire.lib.spam import SpamTrapMixin

from .models import REASON_MAX, SUMMARY_MAX, URL_MAX, ReportCategory, SanctionKind, Status

NOT_OURS = "Please give the address of a page on this archive (it starts with {site})."
DESCRIPTION_MAX = 10_000


class _SenderForm(SpamTrapMixin, forms.Form):
    """What both public forms ask: an e-mail (the account's, when logged in), a summary and a
    description."""

    email = forms.EmailField(label="Your e-mail", max_length=254)
    username = forms.CharField(label="Your username (optional)", max_length=40, required=False)
    summary = forms.CharField(label="Summary", max_length=SUMMARY_MAX)
    description = forms.CharField(
        label="Description", max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            # A logged-in sender is who they are: their account's address and name, shown
            # read-only and not taken from the post. No spam trap for them.
            self.trap_spam = False
            for name, value in (("email", self.user.email), ("username", self.user.username)):
                field = self.fields[name]
                field.disabled = True
                field.initial = value
                field.widget.attrs["readonly"] = True


class AbuseReportForm(_SenderForm):
    url = forms.CharField(
        label="Link to the page you are reporting",
        max_length=URL_MAX,
        help_text="The full address of the page, on this archive.",
    )
    category = forms.ChoiceField(label="What is the problem?", choices=ReportCategory.choices)

    field_order = ["url", "category", "summary", "description", "email", "username"]

    def __init__(self, *args, site: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        self.normalised_url = ""
        self.path = ""

    def clean_url(self) -> str:
        from .queries import split_archive_url

        url = self.cleaned_data["url"].strip()
        split = split_archive_url(url, self.site)
        if split is None:
            raise forms.ValidationError(NOT_OURS.format(site=self.site))
        self.normalised_url, self.path = split
        return url


class SupportForm(_SenderForm):
    field_order = ["email", "username", "summary", "description"]


class QueueItemForm(forms.Form):
    """Staff: a report's or ticket's status and assignee."""

    status = forms.ChoiceField(choices=Status.choices)
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Nobody"
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Staff note", max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class SanctionForm(forms.Form):
    """Staff: a sanction on a user, with its reason (the user is told it, except for a note)
    and, for a suspension, the last day it applies."""

    kind = forms.ChoiceField(label="Action", choices=SanctionKind.choices)
    reason = forms.CharField(
        label="Reason", max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    until = forms.DateField(
        label="Suspended until (for a suspension)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The suspension ends at the start of this day.",
    )

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("kind") == SanctionKind.SUSPENSION:
            until = self.until_datetime()
            if until is None:
                self.add_error("until", "A suspension needs an end date.")
            elif until <= timezone.now():
                self.add_error("until", "The end date must be in the future.")
        return cleaned

    def until_datetime(self) -> datetime | None:
        day = self.cleaned_data.get("until")
        if day is None or self.cleaned_data.get("kind") != SanctionKind.SUSPENSION:
            return None
        return timezone.make_aware(datetime.combine(day, time.min))


# Staff: hiding and spam


class HideForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX,
        strip=True,
        error_messages={"required": "Please say why: the creator is told."},
    )


class ActionNoteForm(forms.Form):
    """Staff: an optional note on an unhide or an unmark."""

    note = forms.CharField(max_length=REASON_MAX, required=False, strip=True)


class SpamCommentsForm(forms.Form):
    comments = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    note = forms.CharField(max_length=REASON_MAX, required=False, strip=True)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comments"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101 - for mypy
        field.choices = [(pk, pk) for pk in choices]
        field.error_messages["required"] = "Select the comments to delete."
