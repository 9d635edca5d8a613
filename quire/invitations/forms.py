from django import forms

from quire.accounts.queries import find_user
from quire.lib.spam import SpamTrapMixin

from .actions import ISSUE_MAX, RELEASE_MAX


class InviteRequestForm(SpamTrapMixin, forms.Form):
    email = forms.EmailField(
        max_length=254,
        label="Email address",
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter a valid email address, like name@example.org.",
        },
    )


class QueueStatusForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label="Email address",
        error_messages={
            "required": "Please enter the email address you asked with.",
            "invalid": "Please enter a valid email address, like name@example.org.",
        },
    )


class SendInvitationForm(forms.Form):
    invitee_email = forms.EmailField(
        max_length=254,
        label="Send to",
        error_messages={
            "required": "Please enter the email address to send the invitation to.",
            "invalid": "Please enter a valid email address, like name@example.org.",
        },
    )


class ReleaseForm(forms.Form):
    count = forms.IntegerField(min_value=1, max_value=RELEASE_MAX, label="How many")


class IssueForm(forms.Form):
    username = forms.CharField(max_length=100, label="Username")
    count = forms.IntegerField(min_value=1, max_value=ISSUE_MAX, label="How many codes")

    def clean_username(self):
        user = find_user(self.cleaned_data["username"].strip())
        if user is None:
            raise forms.ValidationError("There is no user with that username.")
        return user
