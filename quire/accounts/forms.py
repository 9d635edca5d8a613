from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.db.models.functions import Lower
from django.utils.html import format_html

from quire.lib import limits
from quire.lib.sanitize import markup_validator, strip_html
from quire.lib.spam import SpamTrapMixin
from quire.lib.zones import zone_names

from .icons import IconRefused, check_icon
from .models import (
    WORK_TITLE_FORMAT_DEFAULT,
    WORK_TITLE_FORMAT_MAX,
    Preference,
    Pseud,
)
from .permissions import relation_refusal
from .queries import find_user, next_username_change, username_refusal
from .ratelimit import TOO_MANY, login_refused, record_login_failure
from .validators import (
    ICON_ALT_MAX,
    ICON_COMMENT_MAX,
    PROFILE_ABOUT_MAX,
    PROFILE_TITLE_MAX,
    PSEUD_DESCRIPTION_MAX,
    PSEUD_MAX,
    USERNAME_MAX,
    USERNAME_MIN,
    pseud_validators,
    username_validators,
)

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
        self.rate_limited: limits.RateLimited | None = None

    def clean(self):
        # Every post counts, per address and per login typed (settings.RATE_LIMITS["login"];
        # AO3: 5 in 20 seconds each), before the password is checked: on top of the
        # failed-login lockout (accounts/ratelimit.py), which counts only failures.
        if self.request is not None and self.request.method == "POST":
            try:
                limits.hit(
                    "login", limits.address_key(self.request), str(self.data.get("login", ""))
                )
            except limits.RateLimited as limited:
                self.rate_limited = limited  # views.login answers 429 with Retry-After
                raise forms.ValidationError(limited.message, code="rate_limited") from None
        return super().clean()


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's password-reset request, limited per account (AO3: 3 in 12 hours) and per
    address (settings.RATE_LIMITS["password_reset"]). An address naming no account is
    counted under itself, so the refusal is the same whether the account exists or not
    (ACCOUNT_PREVENT_ENUMERATION)."""

    def clean_email(self) -> str:
        email = super().clean_email()
        account = next(iter(self.users), None)
        subject = f"user:{account.pk}" if account is not None else email.strip().lower()
        # allauth's view does not hand the form its request; its middleware keeps it here.
        request = allauth_context.request
        address = limits.address_key(request) if request is not None else ""
        try:
            limits.hit("password_reset", address, subject, message=RESET_REFUSED)
        except limits.RateLimited as limited:
            raise forms.ValidationError(limited.message, code="rate_limited") from None
        return email


RESET_REFUSED = (
    "Too many password reset requests have been made from here or for this address. Please "
    "wait a few hours, or check your inbox (and spam folder) for the e-mail already sent."
)


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
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=PSEUD_DESCRIPTION_MAX,
        validators=[markup_validator()],
    )
    # AO3's edit form: a box that makes this pseud the default (it can't be unticked: another
    # pseud is made the default instead).
    is_default = forms.BooleanField(required=False, label="Make this name default")
    icon = forms.FileField(
        required=False,
        label="Icon",
        help_text="JPEG, PNG or GIF, at most 500 KB; shown at 100x100 pixels.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif"}),
    )
    icon_alt_text = forms.CharField(
        required=False, max_length=ICON_ALT_MAX, label="Icon alt text", strip=True
    )
    icon_comment = forms.CharField(
        required=False, max_length=ICON_COMMENT_MAX, label="Icon comment text", strip=True
    )
    delete_icon = forms.BooleanField(required=False, label="Delete this icon")

    def __init__(self, *args, user, pseud: Pseud | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.pseud = pseud
        if pseud is None:
            del self.fields["is_default"]
        elif pseud.is_default:
            self.fields["is_default"].disabled = True
            self.fields["is_default"].initial = True
        if pseud is None or not pseud.icon:
            del self.fields["delete_icon"]

    def clean_icon(self):
        upload = self.cleaned_data.get("icon")
        if not upload:
            return None
        try:
            return check_icon(upload)
        except IconRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal

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


# AO3's rule for a work title format: letters, digits, spaces and `,._-` around the words
# TITLE, AUTHOR and FANDOM.
WORK_TITLE_FORMAT_RE = r"\A[A-Za-z0-9_\-,. ]+\Z"
LOCALES = [("en", "English")]  # the interface's languages; only English for now


def _flag(label: str, help_text: str = "") -> forms.BooleanField:
    return forms.BooleanField(required=False, label=label, help_text=help_text)


class PreferenceForm(forms.Form):
    """AO3's preferences page, its groups in its order (PREFERENCE_GROUPS). Nothing is
    required: a form posted with every box unticked (and no other field) means the defaults,
    so a field left out is stored as its default, never refused."""

    # Privacy
    minimize_search_engines = _flag(
        "Hide my work from search engines when possible.",
        "Your works, dashboard, profile and pseud pages ask search engines not to index them.",
    )
    disable_share_links = _flag("Hide the share buttons on my work.")
    allow_cocreator = _flag(
        "Allow others to invite me to be a co-creator.",
        "Without this, nobody can add you to a work as a co-creator.",
    )
    # Display
    view_adult = _flag("Show me adult content without checking.")
    view_full_works = _flag(
        "Show the whole work by default.",
        "Multi-chapter works open on the entire work; Chapter by Chapter still works.",
    )
    hide_warnings = _flag(
        "Hide warnings (you can still choose to show them).",
        "Works show “Show warnings” in place of their archive warnings.",
    )
    hide_freeform = _flag(
        "Hide additional tags (you can still choose to show them).",
        "Works show “Show additional tags” in place of their additional tags.",
    )
    disable_work_skins = _flag("Hide work skins (you can still choose to show them).")
    time_zone = forms.ChoiceField(
        required=False,
        label="Your time zone",
        help_text="Every date and time on the site is shown in this zone.",
    )
    preferred_locale = forms.ChoiceField(
        required=False, label="Your language", choices=LOCALES, help_text="The site's language."
    )
    work_title_format = forms.RegexField(
        WORK_TITLE_FORMAT_RE,
        required=False,
        max_length=WORK_TITLE_FORMAT_MAX,
        label="Browser page title format",
        help_text=(
            "How a work's title appears in your browser's tab: TITLE, AUTHOR and FANDOM are "
            f"replaced; the default is {WORK_TITLE_FORMAT_DEFAULT}."
        ),
        error_messages={
            "invalid": (
                "Browser page title format can only contain letters, numbers, spaces, and "
                "some limited punctuation (comma, period, dash, underscore)."
            )
        },
    )
    # Comments
    comment_emails_off = _flag("Turn off emails about comments.")
    comment_inbox_off = _flag("Turn off messages to your inbox about comments.")
    comment_copy_to_self_off = _flag("Turn off copies of your own comments.")
    kudos_emails_off = _flag(
        "Turn off emails about kudos.", "Otherwise kudos on your works come in one e-mail a day."
    )
    guest_replies_off = _flag(
        "Do not allow guests to reply to my comments on other users' works.",
        "You can still control the comment settings for your own works separately.",
    )
    # Collections, challenges and gifts
    allow_collection_invitation = _flag("Allow others to invite my works to collections.")
    allow_gifts = _flag("Allow anyone to gift me works.")
    collection_emails_off = _flag("Turn off emails from collections.")
    collection_inbox_off = _flag("Turn off inbox messages from collections.")
    recipient_emails_off = _flag("Turn off emails about gift works.")
    # Misc
    history_enabled = _flag("Turn on History.", "Keep a list of the works you read.")
    subscription_emails = _flag(
        "Send me e-mail about my subscriptions.",
        "Updates come hourly, in one e-mail; your inbox gets them either way.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = zone_names()
        site = settings.TIME_ZONE
        self.fields["time_zone"].choices = [  # type: ignore[attr-defined]
            (name, name) for name in (names if site in names else (site, *names))
        ]

    @classmethod
    def initial_for(cls, preference: Preference) -> dict:
        initial = {name: getattr(preference, name) for name in cls.base_fields}
        initial["time_zone"] = preference.time_zone or settings.TIME_ZONE
        initial["preferred_locale"] = preference.preferred_locale or LOCALES[0][0]
        return initial

    def clean_work_title_format(self) -> str:
        value = " ".join(self.cleaned_data["work_title_format"].split())
        return value or WORK_TITLE_FORMAT_DEFAULT

    def clean_time_zone(self) -> str:
        # The site's own zone is stored as blank: it follows TIME_ZONE if the site moves.
        value = self.cleaned_data["time_zone"]
        return "" if value == settings.TIME_ZONE else value

    @property
    def groups(self) -> list[tuple[str, list]]:
        return [(legend, [self[name] for name in names]) for legend, names in PREFERENCE_GROUPS]


# AO3's fieldsets on its preferences page, in its order.
PREFERENCE_GROUPS = [
    ("Privacy", ["minimize_search_engines", "disable_share_links", "allow_cocreator"]),
    (
        "Display",
        [
            "view_adult",
            "view_full_works",
            "hide_warnings",
            "hide_freeform",
            "disable_work_skins",
            "time_zone",
            "preferred_locale",
            "work_title_format",
        ],
    ),
    (
        "Comments",
        [
            "comment_emails_off",
            "comment_inbox_off",
            "comment_copy_to_self_off",
            "kudos_emails_off",
            "guest_replies_off",
        ],
    ),
    (
        "Collections, Challenges and Gifts",
        [
            "allow_collection_invitation",
            "allow_gifts",
            "collection_emails_off",
            "collection_inbox_off",
            "recipient_emails_off",
        ],
    ),
    ("Misc", ["history_enabled", "subscription_emails"]),
]


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


# The profile, the login and the account's end (accounts/views/profile.py,
# account_deletion.py, orphans.py).


class PasswordConfirmForm(forms.Form):
    """A form the owner confirms with their password (the account is theirs, not just the
    session's). A wrong password counts as a failed login (accounts/ratelimit.py), so a
    borrowed session can't be used to guess it faster than the login form allows."""

    password = forms.CharField(
        widget=forms.PasswordInput, label="Password", max_length=4096, strip=False
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if login_refused(self.request, self.user.username):
            raise forms.ValidationError(TOO_MANY)
        if not self.user.check_password(password):
            record_login_failure(self.request, self.user.username)
            raise forms.ValidationError("Your password was incorrect.")
        return password


class ProfileForm(forms.Form):
    profile_title = forms.CharField(
        required=False, max_length=PROFILE_TITLE_MAX, label="Title", strip=True
    )
    profile_about = forms.CharField(
        required=False,
        max_length=PROFILE_ABOUT_MAX,
        label="About Me",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Plain text with limited HTML, at most {PROFILE_ABOUT_MAX:,} characters.",
        validators=[markup_validator(PROFILE_ABOUT_MAX)],
    )


class ChangeUsernameForm(PasswordConfirmForm):
    """AO3's change_username form: the new login (sign-up's rules) and the password."""

    new_login = forms.CharField(
        label="New username",
        min_length=USERNAME_MIN,
        max_length=USERNAME_MAX,
        validators=username_validators,
        strip=True,
    )
    field_order = ["new_login", "password"]

    def clean_new_login(self) -> str:
        name = self.cleaned_data["new_login"]
        if name == self.user.username:
            raise forms.ValidationError("That is already your username.")
        refusal = username_refusal(name, user=self.user)
        if refusal:
            raise forms.ValidationError(refusal)
        return name

    def clean(self):
        allowed_at = next_username_change(self.user)
        if allowed_at is not None:
            raise forms.ValidationError(
                "You can change your username only once every 7 days. You changed it recently;"
                f" you can change it again after {allowed_at:%Y-%m-%d %H:%M} UTC."
            )
        return self.cleaned_data


class OrphanForm(forms.Form):
    """AO3's choice on /orphans/new: leave the pseud's name on the works, or take it off."""

    use_default = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[
            ("false", "Leave a copy of my pseud on: the works keep my pseud's name."),
            ("true", "Take my pseud off as well: the works show orphan_account only."),
        ],
        initial="false",
        label="Pseud",
    )


class DeleteAccountForm(PasswordConfirmForm):
    """The account deletion's choices: one per work and series the user alone created."""

    FATES = [
        ("orphan_pseud", "Orphan it, keeping my pseud's name"),
        ("orphan", "Orphan it, under orphan_account's name"),
        ("delete", "Delete it completely"),
    ]

    def __init__(self, *args, user, request, works, series, **kwargs):
        super().__init__(*args, user=user, request=request, **kwargs)
        self.choices: list[tuple[str, object]] = []
        for kind, items in (("work", works), ("series", series)):
            for item in items:
                name = f"{kind}_{item.pk}"
                # A draft can only be deleted: given away, nobody could ever post it.
                draft = kind == "work" and not item.posted
                self.fields[name] = forms.ChoiceField(
                    choices=self.FATES[-1:] if draft else self.FATES,
                    initial="delete" if draft else None,
                    widget=forms.RadioSelect,
                    label=f"{item.title} (draft)" if draft else item.title,
                    error_messages={"required": f"Choose what happens to “{item.title}”."},
                )
                self.choices.append((name, item))
        self.order_fields([name for name, _ in self.choices] + ["password"])

    def plan(self) -> dict[str, dict[int, str]]:
        plan: dict[str, dict[int, str]] = {"work": {}, "series": {}}
        for name, item in self.choices:
            kind = name.split("_", 1)[0]
            plan[kind][item.pk] = self.cleaned_data[name]  # type: ignore[attr-defined]
        return plan
