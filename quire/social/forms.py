"""The bookmark form: checks what a bookmarker types against AO3's limits (AO3.md §6) and turns
it into a BookmarkInput. A rejected form re-renders with everything typed."""

from django import forms

from quire.tags.names import split_tag_names, tag_name_errors
from quire.works.queries import own_pseuds

from .actions import BookmarkInput
from .models import BOOKMARK_NOTES_MAX, BOOKMARK_TAGS_MAX, Bookmark


class BookmarkForm(forms.Form):
    # Left out, the bookmark goes under the user's default pseud.
    pseud = forms.ModelChoiceField(
        queryset=None, empty_label=None, required=False, label="Bookmarker's pseud"
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
        self.fields["pseud"].queryset = own_pseuds(user)

    def clean_pseud(self):
        return self.cleaned_data.get("pseud") or self.user.pseuds.get(is_default=True)

    def clean_notes(self) -> str:
        notes = self.cleaned_data["notes"]
        if len(notes) > BOOKMARK_NOTES_MAX:
            raise forms.ValidationError(
                f"Notes must be less than {BOOKMARK_NOTES_MAX:,} characters long "
                f"(they are {len(notes):,})."
            )
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
