"""Wrangling forms. They turn what a wrangler typed (tag names, ticked rows) into tags and a
list of steps, each step one wrangling action; the actions themselves enforce the rules of
AO3.md §2. A rejected form re-renders with everything the wrangler typed."""

from collections.abc import Callable
from typing import Any, cast

from django import forms

from . import actions
from .actions import PARENT_TYPES, WRANGLEABLE_TYPES
from .models import TAG_NAME_MAX, Tag, TagType
from .names import split_tag_names, tag_key
from .queries import tags_by_names

# A step is one action applied to the edited tag, freshly read from the database: earlier
# steps of the same submission may have changed it.
Step = Callable[[Tag], object]


def _with(other: Tag, action: Callable[[Tag, Tag], object]) -> Step:
    """A step that needs one more tag, bound now: a lambda in a loop would see the last one."""
    return lambda tag: action(tag, other)


# Types a wrangler may give a tag, in the order a work shows them.
TYPE_CHOICES = [(t.value, t.label) for t in TagType if t in WRANGLEABLE_TYPES]


def type_can_change(tag: Tag, *, has_synonyms: bool) -> bool:
    """Only an unsorted or still unwrangled tag changes type (see actions.do_set_type)."""
    return (
        tag.type in {*WRANGLEABLE_TYPES, TagType.UNSORTED}
        and not tag.canonical
        and not tag.merger_id
        and not has_synonyms
    )


def _names_to_tags(text: str) -> tuple[list[Tag], list[str]]:
    """The tags named in a comma-separated field, and a message for each unknown name."""
    names = split_tag_names(text)
    found = tags_by_names(names)
    tags, errors = [], []
    for name in names:
        tag = found.get(tag_key(name))
        if tag is None:
            errors.append(f"There is no tag named {name}.")
        else:
            tags.append(tag)
    return tags, errors


def _tag_list_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        required=False,
        label=label,
        help_text=help_text or "Tag names, separated by commas.",
        widget=forms.TextInput(attrs={"size": 60}),
    )


def _removal_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)


class TagEditForm(forms.Form):
    """One tag's edit page: every wrangling change to it, applied in one submission."""

    type = forms.ChoiceField(label="Type", choices=TYPE_CHOICES)
    canonical = forms.BooleanField(required=False, label="Canonical")
    unwrangleable = forms.BooleanField(required=False, label="Unwrangleable")
    synonym_of = forms.CharField(
        required=False,
        max_length=TAG_NAME_MAX,
        label="Synonym of",
        help_text="The canonical tag this one means; leave empty for none.",
        widget=forms.TextInput(attrs={"size": 60}),
    )
    remove_synonyms = _removal_field()
    remove_parents = _removal_field()
    add_parents = _tag_list_field("Add parent tags")
    remove_metatags = _removal_field()
    add_metatags = _tag_list_field("Add metatags")
    remove_subtags = _removal_field()
    add_subtags = _tag_list_field("Add subtags")

    RELATION_FIELDS = {
        "remove_synonyms": "synonyms",
        "remove_parents": "parents",
        "remove_metatags": "metatags",
        "remove_subtags": "subtags",
    }

    def __init__(self, data, *, tag: Tag, relations: dict[str, list[Tag]]) -> None:
        self.tag = tag
        self.relations = relations
        initial = {
            "type": tag.type,
            "canonical": tag.canonical,
            "unwrangleable": tag.unwrangleable,
            "synonym_of": tag.merger.name if tag.merger is not None else "",
        }
        super().__init__(data, initial=initial)
        self.type_can_change = type_can_change(tag, has_synonyms=bool(relations["synonyms"]))
        if self.type_can_change:
            if tag.type == TagType.UNSORTED:
                cast(forms.ChoiceField, self.fields["type"]).choices = [
                    (TagType.UNSORTED.value, TagType.UNSORTED.label),
                    *TYPE_CHOICES,
                ]
        else:
            del self.fields["type"]
        for field, relation in self.RELATION_FIELDS.items():
            cast(forms.ChoiceField, self.fields[field]).choices = [
                (str(t.pk), t.name) for t in relations[relation]
            ]
        allowed = sorted(PARENT_TYPES.get(tag.type, set()), key=list(TagType).index)
        self.fields["add_parents"].help_text = (
            "Canonical tags of type " + " or ".join(t.label for t in allowed) + ", by name."
            if allowed
            else f"{tag.get_type_display()} tags have no parents."
        )

    def listed(self) -> dict[str, list[tuple[Tag, bool]]]:
        """Each current relation with whether its removal box is ticked (for re-rendering)."""
        rows = {}
        for field, relation in self.RELATION_FIELDS.items():
            ticked = set(self[field].value() or ()) if self.is_bound else set()
            rows[relation] = [(t, str(t.pk) in ticked) for t in self.relations[relation]]
        return rows

    def clean_synonym_of(self) -> Tag | None:
        name = " ".join(self.cleaned_data["synonym_of"].split())
        if not name:
            return None
        tags, errors = _names_to_tags(name)
        if errors:
            raise forms.ValidationError(errors)
        return tags[0]

    def _clean_names(self, field: str) -> list[Tag]:
        tags, errors = _names_to_tags(self.cleaned_data[field])
        if errors:
            raise forms.ValidationError(errors)
        return tags

    def clean_add_parents(self) -> list[Tag]:
        return self._clean_names("add_parents")

    def clean_add_metatags(self) -> list[Tag]:
        return self._clean_names("add_metatags")

    def clean_add_subtags(self) -> list[Tag]:
        return self._clean_names("add_subtags")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        target = data.get("synonym_of")
        if self._makes_synonym(target) and data.get("canonical") and not self.tag.canonical:
            raise forms.ValidationError(
                "A synonym can't be canonical: untick Canonical or empty Synonym of."
            )
        return data

    def _makes_synonym(self, target: Tag | None) -> bool:
        return target is not None and target.pk != self.tag.merger_id

    def _picked(self, field: str) -> list[Tag]:
        relation = self.RELATION_FIELDS[field]
        ids = set(self.cleaned_data.get(field) or ())
        return [t for t in self.relations[relation] if str(t.pk) in ids]

    def steps(self, *, by) -> list[Step]:
        """The actions this submission asks for, in an order where each can succeed: freeing
        comes before binding, removals before the canonical change that needs them gone."""
        data = self.cleaned_data
        tag = self.tag
        target = data["synonym_of"]
        steps: list[Step] = []
        if self.type_can_change and data["type"] != tag.type:
            new_type = TagType(data["type"])
            steps.append(lambda t: actions.do_set_type(t, new_type, by=by))
        if tag.unwrangleable and not data["unwrangleable"]:
            steps.append(lambda t: actions.do_set_unwrangleable(t, False, by=by))
        if tag.merger_id and target is None:
            steps.append(lambda t: actions.do_remove_synonym(t, by=by))
        for synonym in self._picked("remove_synonyms"):
            steps.append(_with(synonym, lambda t, s: actions.do_remove_synonym(s, by=by)))
        for parent in self._picked("remove_parents"):
            steps.append(_with(parent, lambda t, p: actions.do_remove_parent(t, p, by=by)))
        for meta in self._picked("remove_metatags"):
            steps.append(_with(meta, lambda t, m: actions.do_remove_metatag(t, m, by=by)))
        for sub in self._picked("remove_subtags"):
            steps.append(_with(sub, lambda t, s: actions.do_remove_metatag(s, t, by=by)))
        makes_synonym = self._makes_synonym(target)
        # Making a synonym takes canonical status away by itself (and re-points synonyms).
        if data["canonical"] != tag.canonical and not (makes_synonym and not data["canonical"]):
            canonical = data["canonical"]
            steps.append(lambda t: actions.do_set_canonical(t, canonical, by=by))
        if makes_synonym:
            steps.append(lambda t: actions.do_make_synonym(t, target, by=by))
        if data["unwrangleable"] and not tag.unwrangleable:
            steps.append(lambda t: actions.do_set_unwrangleable(t, True, by=by))
        for parent in data["add_parents"]:
            steps.append(_with(parent, lambda t, p: actions.do_add_parent(t, p, by=by)))
        for meta in data["add_metatags"]:
            steps.append(_with(meta, lambda t, m: actions.do_add_metatag(t, m, by=by)))
        for sub in data["add_subtags"]:
            steps.append(_with(sub, lambda t, s: actions.do_add_metatag(s, t, by=by)))
        return steps


# --- Mass wrangling --------------------------------------------------------------------------

MASS_ACTIONS = [
    ("canonical", "Make canonical"),
    ("synonym", "Make synonym of"),
    ("parent", "Add parent fandom"),
]


class _CheckedTagsField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "required": "Tick the tags to wrangle.",
        "invalid_choice": "One of the ticked tags is no longer here; reload the page.",
        "invalid_pk_value": "One of the ticked tags is no longer here; reload the page.",
    }


class MassWrangleForm(forms.Form):
    """A fandom dashboard's mass action on the ticked rows."""

    tags = _CheckedTagsField(queryset=Tag.objects.none())
    action = forms.ChoiceField(choices=MASS_ACTIONS, label="Action", initial="canonical")
    target = forms.CharField(
        required=False,
        max_length=TAG_NAME_MAX,
        label="Tag name",
        help_text="The canonical tag for Make synonym of, or the fandom for Add parent fandom.",
        widget=forms.TextInput(attrs={"size": 50}),
    )

    def __init__(self, data, *, tag_type: str, **kwargs) -> None:
        super().__init__(data, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["tags"]).queryset = Tag.objects.filter(
            type=tag_type
        ).order_by("name_key")

    def ticked(self) -> set[str]:
        return set(self["tags"].value() or ()) if self.is_bound else set()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        action = data.get("action")
        name = " ".join((data.get("target") or "").split())
        if action in ("synonym", "parent"):
            if not name:
                label = dict(MASS_ACTIONS)[action]
                self.add_error("target", f"Type the name of the tag for {label}.")
                return data
            tags, errors = _names_to_tags(name)
            if errors:
                self.add_error("target", errors)
                return data
            if action == "parent" and tags[0].type != TagType.FANDOM:
                self.add_error("target", f"{tags[0].name} is not a fandom.")
                return data
            data["target_tag"] = tags[0]
        return data

    def row_action(self, *, by) -> Callable[[Tag], object]:
        data = self.cleaned_data
        if data["action"] == "synonym":
            return _with(
                data["target_tag"], lambda tag, target: actions.do_make_synonym(tag, target, by=by)
            )
        if data["action"] == "parent":
            return _with(
                data["target_tag"], lambda tag, target: actions.do_add_parent(tag, target, by=by)
            )
        return lambda tag: actions.do_set_canonical(tag, True, by=by)


class SortTagsForm(forms.Form):
    """The unsorted bin: give the ticked tags a type."""

    tags = _CheckedTagsField(
        queryset=Tag.objects.filter(type=TagType.UNSORTED).order_by("name_key")
    )
    type = forms.ChoiceField(label="Type", choices=TYPE_CHOICES)

    def ticked(self) -> set[str]:
        return set(self["tags"].value() or ()) if self.is_bound else set()

    def row_action(self, *, by) -> Callable[[Tag], object]:
        new_type = TagType(self.cleaned_data["type"])
        return lambda tag: actions.do_set_type(tag, new_type, by=by)


class FandomLookupForm(forms.Form):
    fandom = forms.CharField(max_length=TAG_NAME_MAX, label="Fandom")


class HistoryFilterForm(forms.Form):
    tag = forms.CharField(required=False, max_length=TAG_NAME_MAX, label="Tag name contains")
    wrangler = forms.CharField(required=False, max_length=150, label="Wrangler")
