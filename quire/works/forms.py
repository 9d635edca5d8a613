"""Posting and editing forms. They parse what a person typed (tag strings split, pseuds and
fixed tags looked up) and hand it to the rules in checks.py, which every way in shares; a
rejected form re-renders with every value the person typed."""

from typing import Any, cast

from django import forms

from quire.accounts.models import Pseud
from quire.lib.sanitize import markup_validator, strip_html
from quire.tags.models import Tag, TagType
from quire.tags.names import split_tag_names

from .actions import ChapterInput, WorkInput
from .checks import InputErrors, check_chapter_input, check_work_input
from .models import (
    CHAPTER_MIN,
    NOTES_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    CommentPermission,
    Language,
    Series,
    Work,
)
from .queries import own_pseuds, own_series

USER_TAG_FIELDS = {
    "fandoms": TagType.FANDOM,
    "relationships": TagType.RELATIONSHIP,
    "characters": TagType.CHARACTER,
    "freeforms": TagType.FREEFORM,
}
# checks.check_chapter_input's field names -> the form's.
CHAPTER_FIELDS = {
    "content": "content",
    "title": "chapter_title",
    "summary": "chapter_summary",
    "notes": "chapter_notes",
    "endnotes": "chapter_endnotes",
}


def _text_area(rows: int, max_length: int | None = None, *, label: str = ""):
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=max_length,
        label=label or None,
        strip=False,
        # The work and chapter fields (no max_length here) are measured by checks.py, which
        # also refuses markup nested too deep; the series' fields are checked here.
        validators=[markup_validator(max_length)] if max_length else [],
    )


class _CheckedForm(forms.Form):
    def _add_problems(self, errors: InputErrors, names: dict[str, str], parsed: set[str]):
        """The check's errors on the form's fields; a field whose typed value could not even
        be read already says so, once."""
        for problem in errors.problems:
            field = names.get(problem.field, problem.field)
            if field not in parsed:
                self.add_error(None if field == "__all__" else field, problem.message)


class ChapterFieldsMixin(_CheckedForm):
    chapter_title = forms.CharField(required=False, label="Chapter title")
    chapter_summary = _text_area(4, label="Chapter summary")
    chapter_notes = _text_area(4, label="Chapter notes")
    chapter_endnotes = _text_area(4, label="Chapter end notes")
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20}),
        strip=False,
        label="Work text",
        error_messages={
            "required": "Brevity is the soul of wit, but your content does have to be at least "
            f"{CHAPTER_MIN} characters long.",
        },
    )

    _chapter: ChapterInput | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "content" in self.fields:
            parsed = set(self.errors)
            try:
                self._chapter = check_chapter_input(
                    **{name: data.get(field) or "" for name, field in CHAPTER_FIELDS.items()}
                )
            except InputErrors as errors:
                self._add_problems(errors, CHAPTER_FIELDS, parsed)
        return data

    def chapter_input(self) -> ChapterInput:
        assert self._chapter is not None, "chapter_input() of a valid form only"  # noqa: S101
        return self._chapter

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


class _PseudsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.byline


class WorkForm(ChapterFieldsMixin):
    """The posting form (and, without the chapter text of chaptered works, the edit form)."""

    title = forms.CharField()
    pseuds = _PseudsField(
        queryset=Pseud.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Creator/Pseud(s)",
        error_messages={"required": "Choose at least one of your pseuds (add one under Pseuds)."},
    )
    summary = _text_area(6)
    notes = _text_area(6)
    endnotes = _text_area(6, label="End notes")
    rating = forms.ModelChoiceField(queryset=Tag.objects.none(), empty_label="Select a rating")
    warnings = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), widget=forms.CheckboxSelectMultiple, label="Archive Warnings"
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
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
        queryset=Series.objects.none(), required=False, label="Add to an existing series"
    )
    new_series_title = forms.CharField(required=False, label="Or create a new series")
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
        cast(forms.ModelMultipleChoiceField, self.fields["pseuds"]).queryset = pseuds.distinct()
        for name, tag_type in (
            ("rating", TagType.RATING),
            ("warnings", TagType.WARNING),
            ("categories", TagType.CATEGORY),
        ):
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = Tag.objects.filter(type=tag_type).order_by("id")
        cast(forms.ModelChoiceField, self.fields["series"]).queryset = own_series(user)
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

    _work: WorkInput | None = None

    def clean_expected_chapters(self) -> int | None:
        value = (self.cleaned_data.get("expected_chapters") or "").strip()
        if value in ("", "?"):
            return None
        if not value.isdigit() or int(value) < 1:
            raise forms.ValidationError('Enter a whole number of chapters, or "?".')
        return int(value)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        parsed = set(self.errors)
        try:
            self._work = check_work_input(
                title=data.get("title") or "",
                pseuds=list(data.get("pseuds") or []),
                rating=data.get("rating"),
                warnings=list(data.get("warnings") or []),
                categories=list(data.get("categories") or []),
                **{name: split_tag_names(data.get(name) or "") for name in USER_TAG_FIELDS},
                language=data.get("language"),
                summary=data.get("summary") or "",
                notes=data.get("notes") or "",
                endnotes=data.get("endnotes") or "",
                expected_chapters=data.get("expected_chapters"),
                series=data.get("series"),
                new_series_title=data.get("new_series_title") or "",
                work=self.work,
                restricted=data.get("restricted", False),
                comment_permission=data.get("comment_permission") or 0,
                moderated_comments=data.get("moderated_comments", False),
                series_position=data.get("series_position"),
            )
        except InputErrors as errors:
            self._add_problems(errors, {}, parsed)
        return data

    def work_input(self) -> WorkInput:
        assert self._work is not None, "work_input() of a valid form only"  # noqa: S101
        return self._work


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

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
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
