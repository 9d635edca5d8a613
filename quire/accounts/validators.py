"""Account rules of AO3.md §6: usernames 3-40 of [A-Za-z0-9_], alphanumeric at both ends;
passwords 8-72 characters (bcrypt-era limit that AO3 keeps and its users expect)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

USERNAME_MIN = 3
USERNAME_MAX = 40
PSEUD_MAX = 40
# AO3-INVENTORY §2.7.
PSEUD_DESCRIPTION_MAX = 500
PROFILE_TITLE_MAX = 255
PROFILE_ABOUT_MAX = 2_000
ICON_ALT_MAX = 250
ICON_COMMENT_MAX = 50
ICON_MAX_BYTES = 500 * 1024
ICON_SIZE = 100  # icons are shrunk to fit 100x100, as AO3's

username_validators = [
    RegexValidator(
        r"^[A-Za-z0-9](?:[A-Za-z0-9_]*[A-Za-z0-9])?\Z",
        "Use only letters, numbers and underscores, starting and ending with a letter or number.",
        code="invalid_username",
    ),
]


# AO3's pseud rule: letters, numbers, spaces, underscores and dashes, at least one letter or
# number. It also keeps every pseud name usable in /users/:login/pseuds/:pseud URLs.
pseud_validators = [
    RegexValidator(
        r"^[\w -]+\Z",
        "Pseud names can only contain letters, numbers, spaces, underscores and dashes.",
        code="invalid_pseud",
    ),
    RegexValidator(
        r"[^\W_]",
        "Pseud names must contain at least one letter or number.",
        code="pseud_without_alphanumeric",
    ),
]


class MaximumLengthValidator:
    def __init__(self, max_length: int = 72) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"Password is too long (maximum is {self.max_length} characters).",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password must be at most {self.max_length} characters."
