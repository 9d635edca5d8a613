"""The news post form (staff) and the comment form (social's, with the spam trap for
guests). A rejected form comes back with everything typed."""

from django import forms

from quire.lib.sanitize import markup_validator, strip_html
from quire.social.forms import CommentForm

from .actions import NewsPostInput
from .models import BODY_MAX, TAG_NAME_MAX, TITLE_MAX, NewsPost

TAGS_MAX = 20


class NewsPostForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, strip=True, label="Title")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20}),
        strip=False,
        max_length=BODY_MAX,
        validators=[markup_validator(BODY_MAX)],
        label="Post",
        help_text="Plain text with limited HTML.",
    )
    tags = forms.CharField(
        required=False, max_length=2000, label="Tags", help_text="Comma separated."
    )
    published = forms.BooleanField(
        required=False, label="Published", help_text="Unticked, the post is a draft: staff only."
    )
    comments_allowed = forms.BooleanField(required=False, label="Allow comments")

    def __init__(self, data=None, *, post: NewsPost | None = None) -> None:
        initial: dict[str, object] = {"published": True, "comments_allowed": True}
        if post is not None:
            initial = {
                "title": post.title,
                "body": post.body,
                "tags": ", ".join(tag.name for tag in post.tags.all()),
                "published": post.published,
                "comments_allowed": post.comments_allowed,
            }
        super().__init__(data, initial=initial)

    def clean_title(self) -> str:
        title = strip_html(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("Please give the post a title.")
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not strip_html(body) and "<img" not in body:
            raise forms.ValidationError("Please write the post.")
        return body

    def clean_tags(self) -> list[str]:
        names: dict[str, str] = {}
        for raw in (self.cleaned_data.get("tags") or "").split(","):
            name = strip_html(raw)
            if name:
                names.setdefault(name.lower(), name)
        errors = [
            f"Tags can be at most {TAG_NAME_MAX} characters long: “{name[:40]}…” is longer."
            for name in names.values()
            if len(name) > TAG_NAME_MAX
        ]
        if len(names) > TAGS_MAX:
            errors.append(f"A post can have at most {TAGS_MAX} tags.")
        if errors:
            raise forms.ValidationError(errors)
        return list(names.values())

    def post_input(self) -> NewsPostInput:
        data = self.cleaned_data
        return NewsPostInput(
            title=data["title"],
            body=data["body"],
            tag_names=data["tags"],
            published=data["published"],
            comments_allowed=data["comments_allowed"],
        )


class NewsCommentForm(CommentForm):
    """social's comment form (AO3's comment[...] field names, the same limits, and for guests
    the spam traps and the link limit), for a news post."""
