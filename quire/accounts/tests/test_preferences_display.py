"""Display preferences a reader sees at once: the time zone of every date, the whole work by
default, the page title's format, and the robots meta of creators who hide from search
engines."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.accounts.actions import do_update_preferences
from quire.accounts.models import Preference
from quire.conftest import client_for
from quire.social.models import Comment
from quire.testing import make_comment, make_user, make_work, parse, text_of
from quire.works.models import Work

pytestmark = pytest.mark.django_db

LATE = datetime.datetime(2026, 3, 14, 23, 30, tzinfo=datetime.UTC)
PLUS_TWO = "Africa/Johannesburg"  # UTC+2 all year


def comment_dates(doc) -> list[str]:
    return [
        text_of(s)
        for s in doc.xpath("//li[contains(@class, 'comment')]//span[@class='posted datetime']")
    ]


def test_a_comment_at_2330_utc_shows_the_next_day_to_a_reader_in_utc_plus_2(alice, bob):
    work = make_work(author=alice)
    comment = make_comment(work, user=bob)
    Comment.objects.filter(pk=comment.pk).update(created_at=LATE)
    carol = make_user("carol")
    do_update_preferences(carol, time_zone=PLUS_TWO)
    path = f"/works/{work.pk}"
    assert comment_dates(parse(client_for(carol).get(path))) == ["Sun 15 Mar 2026 01:30 AM SAST"]
    assert comment_dates(parse(client_for(bob).get(path))) == ["Sat 14 Mar 2026 11:30 PM UTC"]
    assert comment_dates(parse(client_for(None).get(path))) == ["Sat 14 Mar 2026 11:30 PM UTC"]
    # The creator's inbox too.
    do_update_preferences(alice, time_zone=PLUS_TWO)
    inbox = text_of(parse(client_for(alice).get("/users/alice/inbox")))
    assert "15 Mar 2026" in inbox and "14 Mar 2026" not in inbox


def test_blurb_dates_follow_the_reader_and_never_leak_between_readers(alice, bob):
    work = make_work(author=alice)
    Work.objects.filter(pk=work.pk).update(revised_at=LATE)
    do_update_preferences(bob, time_zone=PLUS_TWO)
    carol = make_user("carol")

    def blurb_date(user) -> list[str]:
        doc = parse(client_for(user).get("/works"))
        return [text_of(p) for p in doc.xpath(f"//li[@id='work_{work.pk}']//p[@class='datetime']")]

    for _ in range(2):  # cold, then warm
        assert blurb_date(bob) == ["15 Mar 2026"]
        assert blurb_date(carol) == ["14 Mar 2026"]
        assert blurb_date(None) == ["14 Mar 2026"]


def test_an_unknown_time_zone_is_refused_and_the_form_keeps_what_was_typed(bob):
    client = client_for(bob)
    response = client.post(
        "/users/bob/preferences", {"time_zone": "Mars/Olympus_Mons", "hide_warnings": "on"}
    )
    assert response.status_code == 200
    doc = parse(response)
    assert doc.xpath("//dd[@class='error']//p[@class='error']")
    assert doc.xpath("//input[@name='hide_warnings'][@checked]")
    assert not Preference.objects.filter(user=bob).exists()  # nothing half-saved


@pytest.mark.parametrize("saved", [True, False])
def test_preferences_cost_no_query_of_their_own(alice, bob, saved):
    """The account is read with its preferences joined, whether or not it ever saved them:
    the zone, the hidden tags, the title format and the adult gate ask nothing more."""
    if saved:
        do_update_preferences(bob, time_zone=PLUS_TWO, hide_warnings=True)
    work = make_work(author=alice, chapters=2)
    client = client_for(bob)
    for path in ("/", f"/works/{work.pk}?view_full_work=true", "/works"):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        # (Recording the reading asks the history switch inside its own INSERT.)
        alone = [
            q["sql"]
            for q in captured
            if q["sql"].startswith("SELECT") and 'FROM "accounts_preference"' in q["sql"]
        ]
        assert alone == [], path


def test_the_whole_work_opens_by_default_with_the_preference(alice, bob):
    work = make_work(author=alice, chapters=3)
    client = client_for(bob)
    assert client.get(f"/works/{work.pk}").status_code == 302
    do_update_preferences(bob, view_full_works=True)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    doc = parse(response)
    assert len(doc.xpath("//div[@id='chapters']/div[contains(@class, 'chapter')]")) == 3
    by_chapter = doc.xpath("//li[@class='chapter bychapter']/a/@href")
    first = work.chapters.order_by("position").first()
    assert by_chapter == [f"/works/{work.pk}/chapters/{first.pk}"]
    assert client.get(by_chapter[0]).status_code == 200
    # Others still get chapter by chapter.
    assert client_for(None).get(f"/works/{work.pk}").status_code == 302


def title_of(response) -> str:
    return text_of(parse(response).xpath("//title")[0])


def test_the_work_page_title_follows_the_readers_format(alice, bob):
    work = make_work(author=alice, title="Storm", fandoms=("Emma - Jane Austen",))
    path = f"/works/{work.pk}"
    assert title_of(client_for(None).get(path)).startswith("Storm - alice - Emma - Jane Austen |")
    do_update_preferences(bob, work_title_format="FANDOM_AUTHOR_TITLE")
    assert title_of(client_for(bob).get(path)).startswith("Emma - Jane Austen_alice_Storm |")


@pytest.mark.parametrize("value", ["<TITLE>", "TITLE; AUTHOR", "TITLE \u2013 AUTHOR"])
def test_a_title_format_with_other_characters_is_refused(bob, value):
    response = client_for(bob).post("/users/bob/preferences", {"work_title_format": value})
    assert response.status_code == 200
    assert "can only contain letters, numbers, spaces" in text_of(parse(response))


def robots(response) -> list[str]:
    return parse(response).xpath("//meta[@name='robots']/@content")


def test_a_creator_who_minimises_search_engines_gets_noindex_pages(alice, bob):
    work = make_work(author=alice, chapters=2)
    chapter = work.chapters.order_by("position").first()
    pages = [
        f"/works/{work.pk}?view_full_work=true",
        f"/works/{work.pk}/chapters/{chapter.pk}",
        f"/works/{work.pk}/navigate",
        "/users/alice",
        "/users/alice/works",
    ]
    for path in pages:
        assert robots(client_for(None).get(path)) == [], path
    # Through the form, which expires the guests' stored copies of alice's work pages.
    client_for(alice).post("/users/alice/preferences", {"minimize_search_engines": "on"})
    for client in (client_for(None), client_for(bob)):
        for path in pages:
            response = client.get(path)
            assert robots(response) == ["noindex"], path
            assert response["X-Robots-Tag"] == "noindex", path
    # Another creator's pages are indexed as before.
    assert robots(client_for(None).get("/users/bob")) == []


def test_stored_only_preferences_are_kept_and_shown(bob):
    client = client_for(bob)
    flags = ["allow_gifts", "allow_cocreator", "allow_collection_invitation"]
    client.post("/users/bob/preferences", dict.fromkeys(flags, "on") | {"preferred_locale": "en"})
    preference = bob.__class__.objects.select_related("preference").get(pk=bob.pk).preference
    assert all(getattr(preference, flag) for flag in flags)
    doc = parse(client.get("/users/bob/preferences"))
    for flag in flags:
        assert doc.xpath(f"//input[@name='{flag}'][@checked]"), flag
    legends = [text_of(legend) for legend in doc.xpath("//fieldset/legend")]
    assert legends == [
        "Privacy",
        "Display",
        "Comments",
        "Collections, Challenges and Gifts",
        "Misc",
    ]
    assert doc.xpath("//select[@name='preferred_locale']/option/@value") == ["en"]


def test_hide_work_skins_offers_the_creators_style_back(alice, bob):
    work = make_work(author=alice)
    client = client_for(bob)
    show_style = "//li[@class='style']/a[text()=\"Show Creator's Style\"]/@href"
    assert parse(client.get(f"/works/{work.pk}")).xpath(show_style) == []
    do_update_preferences(bob, disable_work_skins=True)
    assert parse(client.get(f"/works/{work.pk}")).xpath(show_style) == ["?style=enable"]
    assert parse(client.get(f"/works/{work.pk}?style=enable")).xpath(show_style) == []
