"""One tag's edit page: every wrangling change to a tag, all or nothing, with the rules'
messages shown beside what the wrangler typed."""

import pytest

from quire.tags.actions import do_add_metatag, do_add_parent, do_make_synonym
from quire.tags.models import (
    CommonTagging,
    FilterTagging,
    MetaTagging,
    Tag,
    TagType,
    WranglingEvent,
)
from quire.tags.queries import tag_by_name
from quire.testing import assert_form_shows, form_value, make_work, parse, text_of

from .wrangling_helpers import make_tag, make_unsorted, taxonomy_snapshot

pytestmark = pytest.mark.django_db

FANDOM = "Sherlock Holmes (TV)"
EDIT_HOLMES = "/tags/Holmes/edit"


@pytest.fixture
def tags(alice):
    fandom = make_tag(FANDOM, TagType.FANDOM, canonical=True)
    sherlock = make_tag("Sherlock Holmes", TagType.CHARACTER, canonical=True)
    work = make_work(author=alice, fandoms=(FANDOM,), characters=("Holmes",))
    return {"fandom": fandom, "sherlock": sherlock, "holmes": tag_by_name("Holmes"), "work": work}


def flash_errors(response) -> list[str]:
    return [text_of(li) for li in parse(response).xpath("//div[@class='flash error']//li")]


def refused(client, path, data, *, expect: str, skip: tuple[str, ...] = ()):
    """Post a change that breaks a rule: the page says why, shows what was typed, and the
    taxonomy is as it was."""
    before = taxonomy_snapshot()
    response = client.post(path, data)
    assert response.status_code == 200
    errors = flash_errors(response)
    assert any(expect in error for error in errors), errors
    assert_form_shows(parse(response), data, skip=skip)
    assert taxonomy_snapshot() == before
    return response


# --- Showing a tag -----------------------------------------------------------------------------


def test_it_shows_a_tags_relations_and_history(tags, wrangler_client, wrangler):
    sherlock, fandom = tags["sherlock"], tags["fandom"]
    do_make_synonym(tags["holmes"], sherlock, by=wrangler)
    do_add_parent(sherlock, fandom, by=wrangler)
    holmesian = make_tag("Holmesian Detectives", TagType.CHARACTER, canonical=True)
    young = make_tag("Young Sherlock Holmes", TagType.CHARACTER, canonical=True)
    do_add_metatag(sherlock, holmesian)
    do_add_metatag(young, sherlock)
    pair = make_tag("Sherlock Holmes/John Watson", TagType.RELATIONSHIP, canonical=True)
    do_add_parent(pair, sherlock)

    doc = parse(wrangler_client.get("/tags/Sherlock%20Holmes/edit"))
    section = {
        name: text_of(doc.xpath(f"//fieldset[@class='{name}']")[0])
        for name in ["synonyms", "parents", "children", "metatags", "subtags"]
    }
    assert "Holmes" in section["synonyms"]
    assert FANDOM in section["parents"]
    assert "Sherlock Holmes/John Watson" in section["children"]
    assert "Holmesian Detectives" in section["metatags"]
    assert "Young Sherlock Holmes" in section["subtags"]
    history = [text_of(row) for row in doc.xpath("//tr[@class='event']")]
    assert any("parent added" in row and "wrangler" in row for row in history)
    assert doc.xpath("//input[@name='canonical']/@checked")
    assert not doc.xpath("//select[@name='type']")  # a canonical tag keeps its type


def test_it_reads_escaped_tag_names_in_the_url(tags, wrangler_client):
    make_tag("Sherlock Holmes/John Watson", TagType.RELATIONSHIP)
    response = wrangler_client.get("/tags/Sherlock%20Holmes*s*John%20Watson/edit")
    assert response.status_code == 200
    assert "Sherlock Holmes/John Watson" in text_of(parse(response).xpath("//h2")[0])


# --- Changes that follow the rules -------------------------------------------------------------


def test_making_a_synonym_lists_its_works_under_the_canonical(tags, wrangler_client, wrangler):
    response = wrangler_client.post(
        EDIT_HOLMES, {"type": "character", "synonym_of": "Sherlock Holmes"}
    )
    assert response.status_code == 302
    assert response["Location"] == EDIT_HOLMES
    holmes = tag_by_name("Holmes")
    assert holmes.merger == tags["sherlock"]
    event = WranglingEvent.objects.get(tag=holmes)
    assert (event.action, event.actor) == ("synonym", wrangler)
    # The background rebuild ran (the immediate backend in tests).
    assert FilterTagging.objects.filter(work=tags["work"], tag=tags["sherlock"]).exists()


def listed_titles(client, path: str) -> list[str]:
    doc = parse(client.get(path))
    return [text_of(a) for a in doc.xpath("//li[contains(@class,'work')]//h4/a[1]")]


def test_after_a_synonym_the_canonical_lists_its_works(tags, wrangler_client, client):
    assert listed_titles(client, "/tags/Sherlock%20Holmes/works") == []
    wrangler_client.post(EDIT_HOLMES, {"type": "character", "synonym_of": "Sherlock Holmes"})
    assert listed_titles(client, "/tags/Sherlock%20Holmes/works") == [tags["work"].title]


def test_clearing_synonym_of_frees_the_synonym(tags, wrangler_client):
    do_make_synonym(tags["holmes"], tags["sherlock"])
    response = wrangler_client.post(EDIT_HOLMES, {"synonym_of": ""})
    assert response.status_code == 302
    assert tag_by_name("Holmes").merger is None


def test_it_makes_a_tag_canonical_and_takes_it_back(tags, wrangler_client):
    assert (
        wrangler_client.post(EDIT_HOLMES, {"type": "character", "canonical": "on"}).status_code
        == 302
    )
    assert tag_by_name("Holmes").canonical
    assert wrangler_client.post(EDIT_HOLMES, {}).status_code == 302
    assert not tag_by_name("Holmes").canonical
    actions = list(
        WranglingEvent.objects.filter(tag=tags["holmes"]).values_list("action", flat=True)
    )
    assert actions == ["not canonical", "canonical"]


def test_a_canonical_tag_becomes_a_synonym_with_its_relations(tags, wrangler_client):
    holmes = tag_by_name("Holmes")
    do_add_parent(make_tag("Holmes", TagType.CHARACTER, canonical=True), tags["fandom"])
    response = wrangler_client.post(EDIT_HOLMES, {"synonym_of": "Sherlock Holmes"})
    assert response.status_code == 302
    holmes.refresh_from_db()
    assert (holmes.canonical, holmes.merger) == (False, tags["sherlock"])
    assert CommonTagging.objects.filter(parent=tags["fandom"], child=tags["sherlock"]).exists()


def test_it_adds_and_removes_parents(tags, wrangler_client):
    sherlock, fandom = tags["sherlock"], tags["fandom"]
    path = "/tags/Sherlock%20Holmes/edit"
    response = wrangler_client.post(path, {"canonical": "on", "add_parents": FANDOM})
    assert response.status_code == 302
    assert CommonTagging.objects.filter(parent=fandom, child=sherlock).exists()
    response = wrangler_client.post(path, {"canonical": "on", "remove_parents": [fandom.pk]})
    assert response.status_code == 302
    assert not CommonTagging.objects.filter(parent=fandom, child=sherlock).exists()
    actions = list(WranglingEvent.objects.filter(tag=sherlock).values_list("action", flat=True))
    assert actions[:2] == ["parent removed", "parent added"]


def test_it_adds_and_removes_metatags_and_subtags(tags, wrangler_client):
    au = make_tag("Alternate Universe", canonical=True)
    coffee = make_tag("Alternate Universe - Coffee Shops", canonical=True)
    modern = make_tag("Alternate Universe - Modern", canonical=True)
    path = "/tags/Alternate%20Universe%20-%20Modern/edit"
    data: dict[str, object] = {
        "canonical": "on",
        "add_metatags": "Alternate Universe",
        "add_subtags": "Alternate Universe - Coffee Shops",
    }
    assert wrangler_client.post(path, data).status_code == 302
    assert MetaTagging.objects.filter(meta=au, sub=modern).exists()
    assert MetaTagging.objects.filter(meta=modern, sub=coffee).exists()
    data = {"canonical": "on", "remove_metatags": [au.pk], "remove_subtags": [coffee.pk]}
    assert wrangler_client.post(path, data).status_code == 302
    assert not MetaTagging.objects.exists()


def test_it_removes_synonyms_from_a_canonical_tag(tags, wrangler_client):
    do_make_synonym(tags["holmes"], tags["sherlock"])
    data = {"canonical": "on", "remove_synonyms": [tags["holmes"].pk]}
    assert wrangler_client.post("/tags/Sherlock%20Holmes/edit", data).status_code == 302
    assert tag_by_name("Holmes").merger is None


def test_it_marks_a_tag_unwrangleable_and_back(tags, wrangler_client):
    assert (
        wrangler_client.post(EDIT_HOLMES, {"type": "character", "unwrangleable": "on"}).status_code
        == 302
    )
    assert tag_by_name("Holmes").unwrangleable
    assert wrangler_client.post(EDIT_HOLMES, {"type": "character"}).status_code == 302
    assert not tag_by_name("Holmes").unwrangleable


def test_it_gives_an_unsorted_tag_a_type_and_then_wrangles_it(tags, wrangler_client):
    make_unsorted("Loose Tag")
    doc = parse(wrangler_client.get("/tags/Loose%20Tag/edit"))
    assert form_value(doc, "type") == "unsorted"
    response = wrangler_client.post(
        "/tags/Loose%20Tag/edit", {"type": "freeform", "canonical": "on"}
    )
    assert response.status_code == 302
    loose = tag_by_name("Loose Tag")
    assert (loose.type, loose.canonical) == (TagType.FREEFORM, True)


# --- Changes that break a rule -----------------------------------------------------------------


def test_an_unknown_synonym_target_is_refused(tags, wrangler_client):
    refused(
        wrangler_client,
        EDIT_HOLMES,
        {"type": "character", "synonym_of": "Sherlock Homes"},
        expect="There is no tag named Sherlock Homes.",
    )


def test_a_synonym_of_an_unwrangled_tag_is_refused(tags, wrangler_client):
    make_tag("Sherlock", TagType.CHARACTER)
    refused(
        wrangler_client,
        EDIT_HOLMES,
        {"type": "character", "synonym_of": "Sherlock"},
        expect="Sherlock is not canonical",
    )


def test_a_synonym_of_another_type_is_refused(tags, wrangler_client):
    refused(
        wrangler_client,
        EDIT_HOLMES,
        {"type": "character", "synonym_of": FANDOM},
        expect="same type",
    )


def test_a_synonym_cannot_also_be_ticked_canonical(tags, wrangler_client):
    refused(
        wrangler_client,
        EDIT_HOLMES,
        {"type": "character", "synonym_of": "Sherlock Holmes", "canonical": "on"},
        expect="A synonym can't be canonical",
    )


def test_a_parent_of_the_wrong_type_is_refused(tags, wrangler_client):
    make_tag("John Watson", TagType.CHARACTER, canonical=True)
    refused(
        wrangler_client,
        "/tags/Sherlock%20Holmes/edit",
        {"canonical": "on", "add_parents": "John Watson"},
        expect="A Character tag can't have a Character parent.",
    )


def test_an_unwrangled_parent_is_refused(tags, wrangler_client):
    make_tag("Sherlock (TV)", TagType.FANDOM)
    refused(
        wrangler_client,
        "/tags/Sherlock%20Holmes/edit",
        {"canonical": "on", "add_parents": f"{FANDOM}, Sherlock (TV)"},
        expect="Sherlock (TV) is not canonical",
    )
    # The good parent typed beside it was not kept either: all or nothing.
    assert not CommonTagging.objects.filter(child=tags["sherlock"]).exists()


def test_a_metatag_loop_is_refused_with_everything_else_in_the_form(tags, wrangler_client):
    a = make_tag("Aaa", canonical=True)
    make_tag("Bbb", canonical=True)
    do_add_metatag(a, tag_by_name("Bbb"))
    refused(
        wrangler_client,
        "/tags/Bbb/edit",
        {"canonical": "on", "unwrangleable": "", "add_metatags": "Aaa", "add_subtags": ""},
        expect="loop",
    )
    # One refused step undoes the others of the same submission.
    refused(
        wrangler_client,
        EDIT_HOLMES,
        {"type": "character", "canonical": "on", "add_metatags": "Sherlock Holmes, Holmes"},
        expect="can't be its own metatag",
    )
    assert not tag_by_name("Holmes").canonical


def test_a_canonical_tag_with_synonyms_keeps_its_status(tags, wrangler_client):
    do_make_synonym(tags["holmes"], tags["sherlock"])
    refused(
        wrangler_client,
        "/tags/Sherlock%20Holmes/edit",
        {"canonical": ""},
        expect="has synonyms",
    )


def test_a_canonical_tag_cannot_be_unwrangleable(tags, wrangler_client):
    refused(
        wrangler_client,
        "/tags/Sherlock%20Holmes/edit",
        {"canonical": "on", "unwrangleable": "on"},
        expect="only unwrangled tags can be unwrangleable",
    )


def test_fixed_tags_cannot_be_wrangled(tags, wrangler_client):
    refused(
        wrangler_client,
        "/tags/General%20Audiences/edit",
        {"canonical": ""},
        expect="one of the archive's fixed tags",
    )


def test_an_unknown_removal_is_refused(tags, wrangler_client):
    refused(
        wrangler_client,
        "/tags/Sherlock%20Holmes/edit",
        {"canonical": "on", "remove_parents": ["999999"]},
        expect="Select a valid choice",
        skip=("remove_parents",),  # no parents, so no boxes to show
    )


def test_a_tag_page_costs_the_same_however_many_relations(
    tags, wrangler_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert wrangler_client.get("/tags/Sherlock%20Holmes/edit").status_code == 200
        return len(captured)

    few = count()
    for n in range(8):
        synonym = make_tag(f"Holmes {n}", TagType.CHARACTER)
        do_make_synonym(synonym, tags["sherlock"])
        do_add_metatag(
            make_tag(f"Sub Holmes {n}", TagType.CHARACTER, canonical=True), tags["sherlock"]
        )
        do_add_parent(make_tag(f"Pair {n}", TagType.RELATIONSHIP), tags["sherlock"])
    assert count() == few
    with django_assert_max_num_queries(15):
        wrangler_client.get("/tags/Sherlock%20Holmes/edit")
    assert Tag.objects.filter(merger=tags["sherlock"]).count() == 8
