from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.db.models.functions import Lower
from django.utils.html import format_html

from quire.lib.sanitize import markup_validator, strip_html
from quire.lib.spam import SpamTrapMixin

from .models import Pseud
from .permissions import relation_refusal
from .queries import find_user
from .validators import PSEUD_MAX, USERNAME_MAX, pseud_validators

# AO3's login form field names (AO3.md §8) and the names allauth uses for the same things.
AO3_LOGIN_FIELDS = {"user[login]": "login", "user[password]": "password"}


class LoginForm(AllauthLoginForm):
    """allauth's login form, also accepting AO3's `user[login]`/`user[password]` names so
    tools written for AO3 can log in unchanged."""

    def __init__(self, *args, **kwargs):
        data = kwargs.get("data")
        if data is not None and any(name in data for name in AO3_LOGIN_FIELDS):
            data = data.copy()
            for ao3_name, name in AO3_LOGIN_FIELDS.items():
                if ao3_name in data and not data.get(name):
                    data[name] = data[ao3_name]
            if data.get("user[remember_me]") in ("1", "on", "true") and not data.get("remember"):
                data["remember"] = "on"
            kwargs["data"] = data
        super().__init__(*args, **kwargs)


class SignupForm(SpamTrapMixin, AllauthSignupForm):
    """allauth's sign-up form with AO3's two promises (AO3-INVENTORY §1.7): the terms of
    service (with the privacy policy and content policy) and the minimum age. The spam trap
    keeps scripts out; the view counts sign-ups per address."""

    terms = forms.BooleanField(
        error_messages={
            "required": "Please read and accept the Terms of Service, Privacy Policy and "
            "Content Policy to create an account."
        },
    )
    age = forms.BooleanField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms"].label = format_html(
            'I have read and agree to the <a href="{}">Terms of Service</a>, including the '
            '<a href="{}">Privacy Policy</a> and the <a href="{}">Content Policy</a>.',
            "/tos",
            "/privacy",
            "/content",
        )
        age = settings.MINIMUM_AGE
        self.fields["age"].label = f"I am at least {age} years old."
        self.fields["age"].error_messages["required"] = (
            f"You must be at least {age} years old to create an account."
        )
        # The promises come last, just above the button, in AO3's order.
        for name in ("terms", "age"):
            self.fields[name] = self.fields.pop(name)


class PseudForm(forms.Form):
    name = forms.CharField(max_length=PSEUD_MAX, strip=True, validators=pseud_validators)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, validators=[markup_validator()]
    )

    def __init__(self, *args, user, pseud: Pseud | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.pseud = pseud

    def clean_name(self) -> str:
        name = strip_html(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Pseud names can't be blank.")
        taken = Pseud.objects.annotate(lname=Lower("name")).filter(
            user=self.user, lname=name.lower()
        )
        if self.pseud is not None:
            taken = taken.exclude(pk=self.pseud.pk)
        if taken.exists():
            raise forms.ValidationError("You already have a pseud with that name.")
        return name


class PreferenceForm(forms.Form):
    view_adult = forms.BooleanField(required=False, label="Show me adult content without checking.")
    disable_work_skins = forms.BooleanField(
        required=False, label="Hide work skins (you can also hide them per work)."
    )
    history_enabled = forms.BooleanField(required=False, label="Turn on History.")
    subscription_emails = forms.BooleanField(
        required=False,
        label="Send me e-mail about my subscriptions (hourly; your inbox gets them either way).",
    )


# The field names AO3's block and mute forms use; their value is a login.
RELATION_PARAMS = {"block": "blocked_id", "mute": "muted_id"}


class RelationForm(forms.Form):
    """Who to block or mute, by login: the account, or a message that keeps what was typed."""

    def __init__(self, data=None, *, kind: str, user) -> None:
        super().__init__(data)
        self.kind, self.user = kind, user
        self.param = RELATION_PARAMS[kind]
        self.fields[self.param] = forms.CharField(
            max_length=USERNAME_MAX + 60,
            label="Username",
            error_messages={"required": f"Please enter the username of the user to {kind}."},
        )

    def clean(self):
        login = (self.cleaned_data.get(self.param) or "").strip()
        if not login:
            return self.cleaned_data
        target = find_user(login)
        if target is None:
            self.add_error(self.param, f"There is no user called “{login}”. Check the spelling.")
            return self.cleaned_data
        refusal = relation_refusal(self.kind, self.user, target)
        if refusal:
            self.add_error(self.param, refusal)
        self.cleaned_data["target"] = target
        return self.cleaned_data

    @property
    def typed(self) -> str:
        return self.data.get(self.param, "") if self.is_bound else ""
