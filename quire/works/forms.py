"""Posting and editing forms. They validate everything a person types against AO3's limits
(AO3.md §6) and turn it into the plain inputs actions.py takes. A rejected form re-renders
with every value the person typed."""

from django import forms

from quire.lib.sanitize import format_user_text, markup_validator, strip_html
from quire.lib.wordcount import count_words
from quire.tags.actions import TYPE_SUFFIXES
from quire.tags.models import TAG_NAME_MAX, Tag, TagType
from quire.tags.names import split_tag_names, tag_name_errors
from quire.tags.queries import names_taken_by_other_types

from .actions import ChapterInput, WorkInput
from .models import (
    CHAPTER_MAX,
    CHAPTER_MIN,
    NOTES_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    CommentPermission,
    Language,
    Work,
)
from .queries import own_pseuds, own_series

MAX_USER_TAGS = 75
USER_TAG_FIELDS = {
    "fandoms": TagType.FANDOM,
    "relationships": TagType.RELATIONSHIP,
    "characters": TagType.CHARACTER,
    "freeforms": TagType.FREEFORM,
}


def _text_area(rows: int, max_length: int, *, required: bool = False, label: str = ""):
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=max_length,
        label=label or None,
        strip=False,
        validators=[markup_validator(max_length)],
    )


class ChapterFieldsMixin(forms.Form):
    chapter_title = forms.CharField(max_length=TITLE_MAX, required=False, label="Chapter title")
    chapter_summary = _text_area(4, SUMMARY_MAX, label="Chapter summary")
    chapter_notes = _text_area(4, NOTES_MAX, label="Chapter notes")
    chapter_endnotes = _text_area(4, NOTES_MAX, label="Chapter end notes")
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20}),
        min_length=CHAPTER_MIN,
        max_length=CHAPTER_MAX,
        strip=False,
        label="Work text",
        validators=[markup_validator(CHAPTER_MAX)],
        error_messages={
            "required": "Brevity is the soul of wit, but your content does have to be at least "
            f"{CHAPTER_MIN} characters long.",
        },
    )

    def clean_content(self) -> str:
        content = self.cleaned_data["content"]
        if len(content.strip()) < CHAPTER_MIN:
            raise forms.ValidationError(
                f"Brevity is the soul of wit, but your content does have to be at least "
                f"{CHAPTER_MIN} characters long."
            )
        return content

    def chapter_input(self) -> ChapterInput:
        data = self.cleaned_data
        content = format_user_text(data["content"], allow_class=True)
        return ChapterInput(
            title=strip_html(data.get("chapter_title") or ""),
            summary=format_user_text(data.get("chapter_summary") or ""),
            notes=format_user_text(data.get("chapter_notes") or "", allow_class=True),
            endnotes=format_user_text(data.get("chapter_endnotes") or "", allow_class=True),
            content=content,
            word_count=count_words(content),
        )

    @staticmethod
    def chapter_initial(chapter) -> dict:
        return {
            "chapter_title": chapter.title,
            "chapter_summary": chapter.summary,
            "chapter_notes": chapter.notes,
            "chapter_endnotes": chapter.endnotes,
            "content": chapter.content,
        }


class ChapterForm(ChapterFieldsMixin):
    pass


class WorkForm(ChapterFieldsMixin):
    """The posting form (and, without the chapter text of chaptered works, the edit form)."""

    title = forms.CharField(max_length=TITLE_MAX)
    pseuds = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Creator/Pseud(s)"
    )
    summary = _text_area(6, SUMMARY_MAX)
    notes = _text_area(6, NOTES_MAX)
    endnotes = _text_area(6, NOTES_MAX, label="End notes")
    rating = forms.ModelChoiceField(queryset=None, empty_label="Select a rating")
    warnings = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Archive Warnings"
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    fandoms = forms.CharField(help_text="Separate tags with commas.", strip=False)
    relationships = forms.CharField(required=False, strip=False)
    characters = forms.CharField(required=False, strip=False)
    freeforms = forms.CharField(required=False, strip=False, label="Additional Tags")
    language = forms.ModelChoiceField(queryset=Language.objects.all(), to_field_name="code")
    restricted = forms.BooleanField(required=False, label="Only show your work to registered users")
    comment_permission = forms.TypedChoiceField(
        choices=CommentPermission.choices,
        coerce=int,
        initial=CommentPermission.EVERYONE,
        widget=forms.RadioSelect,
        label="Who can comment on this work",
    )
    moderated_comments = forms.BooleanField(required=False, label="Enable comment moderation")
    series = forms.ModelChoiceField(
        queryset=None, required=False, label="Add to an existing series"
    )
    new_series_title = forms.CharField(
        max_length=TITLE_MAX, required=False, label="Or create a new series"
    )
    series_position = forms.IntegerField(
        min_value=1, required=False, label="Part (leave blank to add at the end)"
    )
    expected_chapters = forms.CharField(
        max_length=6,
        required=False,
        initial="1",
        label="Expected chapters",
        help_text='A number, or "?" if you don\'t know yet.',
    )

    field_order = [
        "rating",
        "warnings",
        "categories",
        "fandoms",
        "relationships",
        "characters",
        "freeforms",
        "title",
        "pseuds",
        "summary",
        "notes",
        "endnotes",
        "series",
        "new_series_title",
        "series_position",
        "expected_chapters",
        "chapter_title",
        "language",
        "restricted",
        "comment_permission",
        "moderated_comments",
        "content",
    ]

    def __init__(self, *args, user, work: Work | None = None, with_text: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.work = work
        pseuds = own_pseuds(user)
        if work is not None:
            # Co-creators' pseuds stay on the work even though this user can't pick them.
            pseuds = pseuds | work.pseuds.all()
        self.fields["pseuds"].queryset = pseuds.distinct()
        self.fields["pseuds"].label_from_instance = lambda pseud: pseud.byline
        self.fields["rating"].queryset = Tag.objects.filter(type=TagType.RATING).order_by("id")
        self.fields["warnings"].queryset = Tag.objects.filter(type=TagType.WARNING).order_by("id")
        self.fields["categories"].queryset = Tag.objects.filter(type=TagType.CATEGORY).order_by(
            "id"
        )
        self.fields["series"].queryset = own_series(user)
        if not with_text:
            for name in (
                "content",
                "chapter_title",
                "chapter_summary",
                "chapter_notes",
                "chapter_endnotes",
            ):
                del self.fields[name]
        self.with_text = with_text

    @classmethod
    def initial_for(cls, work: Work, tags, first_chapter=None) -> dict:
        by_type: dict[str, list] = {}
        for tag in tags:
            by_type.setdefault(tag.type, []).append(tag)
        initial = {
            "title": work.title,
            "pseuds": [c.pseud for c in work.creatorships.all()],
            "summary": work.summary,
            "notes": work.notes,
            "endnotes": work.endnotes,
            "rating": (by_type.get(TagType.RATING) or [None])[0],
            "warnings": by_type.get(TagType.WARNING, []),
            "categories": by_type.get(TagType.CATEGORY, []),
            "language": work.language,
            "restricted": work.restricted,
            "comment_permission": work.comment_permission,
            "moderated_comments": work.moderated_comments,
            "expected_chapters": str(work.expected_chapters or "?"),
        }
        for name, tag_type in USER_TAG_FIELDS.items():
            initial[name] = ", ".join(tag.name for tag in by_type.get(tag_type, []))
        if first_chapter is not None:
            initial.update(cls.chapter_initial(first_chapter))
        return initial

    def clean_title(self) -> str:
        title = strip_html(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("Please enter a title.")
        return title

    def clean_expected_chapters(self) -> int | None:
        value = (self.cleaned_data.get("expected_chapters") or "").strip()
        if value in ("", "?"):
            return None
        if not value.isdigit() or int(value) < 1:
            raise forms.ValidationError('Enter a whole number of chapters, or "?".')
        return int(value)

    def _clean_tag_names(self, name: str) -> list[str]:
        names = split_tag_names(self.cleaned_data.get(name) or "")
        errors = [message for tag_name in names for message in tag_name_errors(tag_name)]
        errors += _typed_name_errors(names, USER_TAG_FIELDS[name])
        if errors:
            raise forms.ValidationError(errors)
        return names

    def clean_fandoms(self) -> list[str]:
        names = self._clean_tag_names("fandoms")
        if not names:
            raise forms.ValidationError("Please fill in at least one fandom.")
        return names

    def clean_relationships(self) -> list[str]:
        return self._clean_tag_names("relationships")

    def clean_characters(self) -> list[str]:
        return self._clean_tag_names("characters")

    def clean_freeforms(self) -> list[str]:
        return self._clean_tag_names("freeforms")

    def clean(self):
        data = super().clean()
        total = sum(len(data.get(name) or []) for name in USER_TAG_FIELDS)
        if total > MAX_USER_TAGS:
            self.add_error(
                None,
                f"Fandom, relationship, character, and additional tags must not add up to more "
                f"than {MAX_USER_TAGS}. Your work has {total} of these tags, so you must remove "
                f"{total - MAX_USER_TAGS} of them.",
            )
        if data.get("series") and data.get("new_series_title"):
            self.add_error(
                "new_series_title", "Choose an existing series or name a new one, not both."
            )
        expected = data.get("expected_chapters")
        if (
            self.work is not None
            and expected is not None
            and expected < self.work.posted_chapter_count
        ):
            self.add_error(
                "expected_chapters",
                f"The work already has {self.work.posted_chapter_count} posted chapters.",
            )
        return data

    def work_input(self) -> WorkInput:
        data = self.cleaned_data
        return WorkInput(
            title=data["title"],
            pseuds=list(data["pseuds"]),
            summary=format_user_text(data.get("summary") or ""),
            notes=format_user_text(data.get("notes") or "", allow_class=True),
            endnotes=format_user_text(data.get("endnotes") or "", allow_class=True),
            rating=data["rating"],
            warnings=list(data["warnings"]),
            categories=list(data.get("categories") or []),
            fandoms=data["fandoms"],
            relationships=data.get("relationships") or [],
            characters=data.get("characters") or [],
            freeforms=data.get("freeforms") or [],
            language=data["language"],
            restricted=data.get("restricted", False),
            comment_permission=data.get("comment_permission") or 0,
            moderated_comments=data.get("moderated_comments", False),
            expected_chapters=data.get("expected_chapters"),
            series=data.get("series"),
            new_series_title=strip_html(data.get("new_series_title") or ""),
            series_position=data.get("series_position"),
        )


def _typed_name_errors(names: list[str], tag_type: TagType) -> list[str]:
    """A name held by a tag of another type becomes "NAME - Type" (AO3.md §2), and that
    name must fit the limit too. Only names near the limit need the query."""
    suffix = f" - {TYPE_SUFFIXES[tag_type]}"
    near_limit = [name for name in names if len(name) <= TAG_NAME_MAX < len(name + suffix)]
    if not near_limit:
        return []
    taken = names_taken_by_other_types(near_limit, tag_type)
    return [
        f'"{name[:40]}…" is already a tag of another kind, and "{name[:40]}…{suffix}" would '
        f"be too long (maximum is {TAG_NAME_MAX} characters)."
        for name in near_limit
        if name.lower() in taken
    ]


class ReorderChaptersForm(forms.Form):
    """One position box per chapter, as AO3's "Manage Chapters" page has."""

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = chapters
        for chapter in chapters:
            self.fields[f"position_{chapter.pk}"] = forms.IntegerField(
                min_value=1,
                max_value=len(chapters),
                initial=chapter.position,
                label=chapter.heading,
            )

    def clean(self):
        data = super().clean()
        positions = [data.get(f"position_{chapter.pk}") for chapter in self.chapters]
        if None not in positions and len(set(positions)) != len(positions):
            raise forms.ValidationError("Each chapter needs its own position.")
        return data

    def ordered_ids(self) -> list[int]:
        return [
            chapter.pk
            for chapter in sorted(
                self.chapters, key=lambda c: self.cleaned_data[f"position_{c.pk}"]
            )
        ]


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    summary = _text_area(6, SUMMARY_MAX, label="Description")
    notes = _text_area(6, NOTES_MAX)
    complete = forms.BooleanField(required=False, label="Is this series complete?")

    def clean_title(self) -> str:
        title = strip_html(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("Please enter a title.")
        return title
