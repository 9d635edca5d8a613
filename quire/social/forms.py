"""The bookmark and comment forms: they check what a reader types against AO3's limits
(AO3.md §6) and turn it into a BookmarkInput or CommentInput. A rejected form re-renders with
everything typed."""

import re
from typing import cast

from django import forms
from django.conf import settings

from quire.accounts.models import Pseud
from quire.lib.sanitize import check_markup, sanitize_html, strip_html
from quire.lib.spam import SpamTrapMixin
from quire.tags.names import split_tag_names, tag_name_errors
from quire.works.queries import own_pseuds

from .actions import BookmarkInput, CommentInput
from .models import BOOKMARK_NOTES_MAX, BOOKMARK_TAGS_MAX, COMMENT_MAX, GUEST_NAME_MAX, Bookmark


class BookmarkForm(forms.Form):
    # Left out, the bookmark goes under the user's default pseud.
    pseud = forms.ModelChoiceField(
        queryset=Pseud.objects.none(), empty_label=None, required=False, label="Bookmarker's pseud"
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        strip=False,
        label="Notes",
        help_text=f"Plain text with limited HTML; up to {BOOKMARK_NOTES_MAX:,} characters.",
    )
    tags = forms.CharField(
        required=False,
        strip=False,
        label="Your tags",
        help_text=f"Comma separated, up to {BOOKMARK_TAGS_MAX}.",
    )
    rec = forms.BooleanField(required=False, label="Rec")
    private = forms.BooleanField(required=False, label="Private bookmark")

    def __init__(self, data=None, *, user, bookmark: Bookmark | None = None) -> None:
        initial = {"pseud": user.pseuds.filter(is_default=True).first()}
        if bookmark is not None:
            initial = {
                "pseud": bookmark.pseud,
                "notes": bookmark.notes,
                "tags": ", ".join(tag.name for tag in bookmark.tags.all()),
                "rec": bookmark.rec,
                "private": bookmark.private,
            }
        super().__init__(data, initial=initial)
        self.user = user
        cast(forms.ModelChoiceField, self.fields["pseud"]).queryset = own_pseuds(user)

    def clean_pseud(self):
        return self.cleaned_data.get("pseud") or self.user.pseuds.get(is_default=True)

    def clean_notes(self) -> str:
        notes = self.cleaned_data["notes"]
        if len(notes) > BOOKMARK_NOTES_MAX:
            raise forms.ValidationError(
                f"Notes must be less than {BOOKMARK_NOTES_MAX:,} characters long "
                f"(they are {len(notes):,})."
            )
        check_markup(notes)
        return notes

    def clean_tags(self) -> list[str]:
        names = split_tag_names(self.cleaned_data.get("tags") or "")
        errors = [message for name in names for message in tag_name_errors(name)]
        if len(names) > BOOKMARK_TAGS_MAX:
            errors.append(
                f"You can have at most {BOOKMARK_TAGS_MAX} tags on a bookmark; these are "
                f"{len(names)}, so you must remove {len(names) - BOOKMARK_TAGS_MAX} of them."
            )
        if errors:
            raise forms.ValidationError(errors)
        return names

    def bookmark_input(self) -> BookmarkInput:
        data = self.cleaned_data
        return BookmarkInput(
            pseud=data["pseud"],
            notes=data["notes"],
            tag_names=data["tags"],
            rec=data["rec"],
            private=data["private"],
        )


_ANCHOR = re.compile(r"<a\b[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_LINKING_ANCHOR = re.compile(r"<a\b[^>]*\shref=", re.IGNORECASE)
_BARE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>]+", re.IGNORECASE)


def count_links(text: str) -> int:
    """How many links a comment holds: its <a href>s once sanitized (what the page will
    show), and the URLs written out in its text outside them, which readers copy."""
    clean = sanitize_html(text)
    anchors = len(_LINKING_ANCHOR.findall(clean))
    return anchors + len(_BARE_URL.findall(strip_html(_ANCHOR.sub(" ", clean))))


class CommentForm(SpamTrapMixin, forms.Form):
    """A comment or a reply: the text (AO3's allowlisted HTML, up to COMMENT_MAX characters)
    and, for a logged-in commenter, the pseud to sign with; for a guest, a name and an e-mail
    address. AO3's field names (comment[...]) so its tools and habits carry over.

    A guest's comment also passes the spam traps (lib/spam.py: a honeypot and the time the
    form was shown) and holds at most settings.GUEST_COMMENT_MAX_LINKS links."""

    comment_content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "class": "comment_form"}),
        strip=False,
        required=False,
        label="Comment",
    )
    pseud_id = forms.ModelChoiceField(
        queryset=Pseud.objects.none(), empty_label=None, required=False
    )
    name = forms.CharField(required=False, max_length=GUEST_NAME_MAX, label="Guest name")
    email = forms.EmailField(required=False, label="Guest email")

    def __init__(self, data=None, *, user, initial=None) -> None:
        if data is not None:
            # The form's fields carry AO3's names, comment[comment_content] and so on.
            data = {
                "comment_content": data.get("comment[comment_content]", ""),
                "pseud_id": data.get("comment[pseud_id]", ""),
                "name": data.get("comment[name]", ""),
                "email": data.get("comment[email]", ""),
                self.HONEYPOT: data.get(self.HONEYPOT, ""),
                self.STARTED: data.get(self.STARTED, ""),
            }
        super().__init__(data, initial=initial, prefix=None)
        self.user = user
        self.trap_spam = not user.is_authenticated
        if user.is_authenticated:
            cast(forms.ModelChoiceField, self.fields["pseud_id"]).queryset = own_pseuds(user)
            del self.fields["name"], self.fields["email"]
        else:
            del self.fields["pseud_id"]
            self.fields["name"].required = True
            self.fields["email"].required = True
            self.fields["name"].error_messages["required"] = "Please enter your name."
            self.fields["email"].error_messages["required"] = "Please enter your email address."

    def clean_comment_content(self) -> str:
        content = self.cleaned_data["comment_content"]
        # The length first: cleaning costs time, and strip_html refuses deep nesting.
        if len(content) > COMMENT_MAX:
            raise forms.ValidationError(
                f"Comment must be less than {COMMENT_MAX:,} characters long "
                f"(it is {len(content):,})."
            )
        if not strip_html(content):
            raise forms.ValidationError("Brevity is the soul of wit, but we need your comment!")
        if not self.user.is_authenticated:
            most, links = settings.GUEST_COMMENT_MAX_LINKS, count_links(content)
            if links > most:
                raise forms.ValidationError(
                    f"Guest comments can include at most {most} link{'s' if most != 1 else ''}"
                    f" (this one has {links}). Please remove some, or log in to post it as it "
                    "is."
                )
        return content

    def clean_pseud_id(self):
        return self.cleaned_data.get("pseud_id") or self.user.pseuds.get(is_default=True)

    def clean_name(self) -> str:
        return strip_html(self.cleaned_data.get("name") or "")

    def comment_input(self) -> CommentInput:
        data = self.cleaned_data
        return CommentInput(
            content=data["comment_content"],
            pseud=data.get("pseud_id"),
            guest_name=data.get("name", ""),
            guest_email=data.get("email", ""),
        )

    def _typed(self, name: str) -> str:
        """What the commenter typed in a field, for the form to show back as it was."""
        if self.is_bound:
            return str(self.data.get(name) or "")
        return str((self.initial or {}).get(name, ""))

    @property
    def typed_content(self) -> str:
        return self._typed("comment_content")

    @property
    def typed_name(self) -> str:
        return self._typed("name")

    @property
    def typed_email(self) -> str:
        return self._typed("email")

    @property
    def typed_pseud(self) -> str:
        return self._typed("pseud_id")
