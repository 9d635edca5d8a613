"""AO3's markup, which AO3's tools read (AO3.md §9): class strings exactly, in this order."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from quire.accounts.actions import do_create_pseud
from quire.conftest import client_for
from quire.testing import chapter_input, make_work, parse, text_of
from quire.works.actions import do_add_chapter
from quire.works.models import Work, WorkStats

pytestmark = pytest.mark.django_db


def main_class(response) -> str:
    return parse(response).xpath("//div[@id='main']/@class")[0]


def pairs(dl) -> list[tuple[str, str, str]]:
    """(dt class, dt text, dd class) for each dt/dd pair of a dl, in order."""
    result = []
    for dt in dl.xpath("dt"):
        dd = dt.getnext()
        assert dd.tag == "dd"
        result.append((dt.get("class"), text_of(dt), dd.get("class")))
    return result


@pytest.fixture
def tagged(alice):
    return make_work(
        author=alice,
        title="Tea & Letters",
        rating="Mature",
        warnings=("Choose Not To Use Archive Warnings", "Major Character Death"),
        categories=("F/M", "M/M"),
        fandoms=("Sherlock Holmes & Related Fandoms",),
        relationships=("Sherlock Holmes/John Watson", "Mary Morstan/John Watson"),
        characters=("Sherlock Holmes",),
        freeforms=("Fluff", "Angst"),
        summary="<p>A summary.</p>",
        notes="<p>Some notes.</p>",
        endnotes="<p>Closing notes.</p>",
    )


# #main -------------------------------------------------------------------------------------


def test_each_page_names_itself_on_main(alice, client):
    work = make_work(author=alice, chapters=2)
    chapter = work.chapters.get(position=1)
    assert main_class(client.get(f"/works/{work.pk}?view_full_work=true")) == "works-show region"
    path = f"/works/{work.pk}/chapters/{chapter.pk}"
    assert main_class(client.get(path)) == "chapters-show region"
    assert main_class(client.get(f"/works/{work.pk}/navigate")) == "works-navigate region"
    assert main_class(client.get("/works")) == "works-index region"
    assert main_class(client.get("/users/alice/works")) == "works-index region"
    # Only a canonical tag's /works is a listing; an unwrangled tag lists works on its page.
    assert main_class(client.get("/tags/General%20Audiences/works")) == "works-index region"
    fandom = "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen"
    assert main_class(client.get(fandom)) == "tags-show region"


def test_a_one_shot_is_works_show(alice, client):
    work = make_work(author=alice)
    assert main_class(client.get(f"/works/{work.pk}")) == "works-show region"


# The meta group ---------------------------------------------------------------------------


def test_the_meta_group_pairs_each_tag_type_with_its_label(tagged, client):
    doc = parse(client.get(f"/works/{tagged.pk}?view_adult=true"))
    meta = doc.xpath("//dl[@class='work meta group']")[0]
    assert pairs(meta) == [
        ("rating tags", "Rating:", "rating tags"),
        ("warning tags", "Archive Warnings:", "warning tags"),
        ("category tags", "Categories:", "category tags"),
        ("fandom tags", "Fandom:", "fandom tags"),
        ("relationship tags", "Relationships:", "relationship tags"),
        ("character tags", "Character:", "character tags"),
        ("freeform tags", "Additional Tags:", "freeform tags"),
        ("language", "Language:", "language"),
        ("stats", "Stats:", "stats"),
    ]


def test_singular_labels_for_one_tag_and_no_pair_for_none(alice, client):
    work = make_work(author=alice, freeforms=("Fluff",))
    meta = parse(client.get(f"/works/{work.pk}")).xpath("//dl[@class='work meta group']")[0]
    assert [label for _, label, _ in pairs(meta)] == [
        "Rating:",
        "Archive Warning:",
        "Category:",
        "Fandom:",
        "Additional Tags:",
        "Language:",
        "Stats:",
    ]


def test_no_category_means_no_category_pair(alice, client):
    work = make_work(author=alice, categories=())
    meta = parse(client.get(f"/works/{work.pk}")).xpath("//dl[@class='work meta group']")[0]
    assert "category tags" not in [css for css, _, _ in pairs(meta)]


def test_tags_are_links_to_their_escaped_works_urls(tagged, client):
    doc = parse(client.get(f"/works/{tagged.pk}?view_adult=true"))
    links = doc.xpath("//dd[@class='relationship tags']/ul[@class='commas']/li/a[@class='tag']")
    assert [(a.text, a.get("href")) for a in links] == [
        (
            "Sherlock Holmes/John Watson",
            "/tags/Sherlock%20Holmes*s*John%20Watson/works",
        ),
        ("Mary Morstan/John Watson", "/tags/Mary%20Morstan*s*John%20Watson/works"),
    ]
    fandom = doc.xpath("//dd[@class='fandom tags']//a/@href")
    assert fandom == ["/tags/Sherlock%20Holmes%20*a*%20Related%20Fandoms/works"]
    warnings = doc.xpath("//dd[@class='warning tags']//a")
    assert [(a.text, a.get("href")) for a in warnings] == [
        (
            "Creator Chose Not To Use Archive Warnings",
            "/tags/Choose%20Not%20To%20Use%20Archive%20Warnings/works",
        ),
        ("Major Character Death", "/tags/Major%20Character%20Death/works"),
    ]


def test_the_language_carries_its_code(alice, client):
    work = make_work(author=alice, language="ptBR")
    dd = parse(client.get(f"/works/{work.pk}")).xpath("//dd[@class='language']")[0]
    assert dd.get("lang") == "ptBR"
    assert text_of(dd) == "Português brasileiro"


def stats_of(doc) -> list[tuple[str, str, str]]:
    stats = doc.xpath("//dl[@class='work meta group']/dd[@class='stats']/dl[@class='stats']")[0]
    return [(dt.get("class"), text_of(dt), text_of(dt.getnext())) for dt in stats.xpath("dt")]


def test_a_one_shots_stats_leave_out_zero_rows(alice, client):
    work = make_work(author=alice, text="<p>" + "word " * 12_345 + "</p>")
    today = timezone.now().date().isoformat()
    assert stats_of(parse(client.get(f"/works/{work.pk}"))) == [
        ("published", "Published:", today),
        ("words", "Words:", "12,345"),
        ("chapters", "Chapters:", "1/1"),
        ("hits", "Hits:", "0"),
    ]


def test_the_stats_of_a_popular_chaptered_work_in_ao3s_order(alice, client):
    work = make_work(author=alice, chapters=2, expected_chapters=5)
    WorkStats.objects.filter(work=work).update(
        hits=1_234_567, kudos_count=2_345, comments_count=1_001, bookmarks_count=12
    )
    Work.objects.filter(pk=work.pk).update(
        published_at=datetime.date(2025, 3, 4),
        revised_at=datetime.datetime(2026, 1, 16, 12, tzinfo=datetime.UTC),
    )
    doc = parse(client.get(f"/works/{work.pk}?view_full_work=true"))
    assert stats_of(doc) == [
        ("published", "Published:", "2025-03-04"),
        ("status", "Updated:", "2026-01-16"),
        ("words", "Words:", f"{work.word_count:,}"),
        ("chapters", "Chapters:", "2/5"),
        ("comments", "Comments:", "1,001"),
        ("kudos", "Kudos:", "2,345"),
        ("bookmarks", "Bookmarks:", "12"),
        ("hits", "Hits:", "1,234,567"),
    ]
    assert doc.xpath("//dd[@class='bookmarks']/a/@href") == [f"/works/{work.pk}/bookmarks"]


def test_a_complete_chaptered_work_says_completed(alice, client):
    work = make_work(author=alice, chapters=2)
    doc = parse(client.get(f"/works/{work.pk}?view_full_work=true"))
    assert stats_of(doc)[1][:2] == ("status", "Completed:")
    assert stats_of(doc)[3][2] == "2/2"


def test_an_open_ended_work_counts_chapters_against_a_question_mark(alice, client):
    work = make_work(author=alice, chapters=3)
    Work.objects.filter(pk=work.pk).update(expected_chapters=None, complete=False)
    doc = parse(client.get(f"/works/{work.pk}?view_full_work=true"))
    assert ("chapters", "Chapters:", "3/?") in stats_of(doc)


# The work skin ----------------------------------------------------------------------------


def test_the_workskin_holds_preface_chapters_and_afterword(tagged, client):
    doc = parse(client.get(f"/works/{tagged.pk}?view_adult=true"))
    skin = doc.xpath("//div[contains(@class, 'work')]//div[@id='workskin']")[0]
    assert [(div.tag, div.get("id"), div.get("class")) for div in skin] == [
        ("div", None, "preface group"),
        ("div", "chapters", None),
        ("div", None, "afterword preface group"),
    ]
    preface = skin[0]
    assert [(el.tag, el.get("class")) for el in preface] == [
        ("h2", "title heading"),
        ("h3", "byline heading"),
        ("div", "summary module"),
        ("div", "notes module"),
    ]
    summary = preface[2]
    assert text_of(summary.xpath("h3[@class='heading']")[0]) == "Summary:"
    assert text_of(summary.xpath("blockquote[@class='userstuff']")[0]) == "A summary."
    notes = preface[3]
    assert [(el.tag, el.get("class")) for el in notes] == [
        ("h3", "heading"),
        ("blockquote", "userstuff"),
        ("p", "jump"),
    ]
    assert text_of(notes[0]) == "Notes:"
    assert text_of(notes[2]) == "(See the end of the work for more notes.)"
    afterword = skin[2]
    endnotes = afterword.xpath("div[@id='work_endnotes']")[0]
    assert endnotes.get("class") == "end notes module"
    assert text_of(endnotes.xpath("h3[@class='heading']")[0]) == "Notes:"
    assert text_of(endnotes.xpath("blockquote[@class='userstuff']")[0]) == "Closing notes."


def test_a_work_without_summary_or_notes_has_no_such_modules(alice, client):
    work = make_work(author=alice)
    doc = parse(client.get(f"/works/{work.pk}"))
    preface = doc.xpath("//div[@id='workskin']/div[@class='preface group']")[0]
    assert [el.get("class") for el in preface] == ["title heading", "byline heading"]
    assert not doc.xpath("//div[@id='work_endnotes']")


def test_end_notes_alone_still_point_to_the_end(alice, client):
    work = make_work(author=alice, endnotes="<p>Only at the end.</p>")
    doc = parse(client.get(f"/works/{work.pk}"))
    notes = doc.xpath("//div[@class='preface group']/div[@class='notes module']")[0]
    assert [el.get("class") for el in notes] == ["heading", "jump"]


def test_a_one_shots_text_is_work_text(alice, client):
    work = make_work(author=alice, text="<p>Only one part.</p>")
    doc = parse(client.get(f"/works/{work.pk}"))
    chapters = doc.xpath("//div[@id='workskin']/div[@id='chapters']")[0]
    assert chapters.get("role") == "article"
    assert [(el.tag, el.get("class"), el.get("id")) for el in chapters] == [
        ("h3", "landmark heading", "work"),
        ("div", "userstuff", None),
    ]
    assert text_of(chapters[0]) == "Work Text:"
    assert text_of(chapters[1]) == "Only one part."
    assert not doc.xpath("//div[@class='chapter']")


def test_a_chaptered_works_chapters_are_marked_up_as_ao3s(alice, client):
    work = make_work(author=alice, chapters=1, expected_chapters=2)
    second = do_add_chapter(
        work,
        chapter_input("<p>The second part.</p>", title="Second Thoughts"),
        post=True,
    )
    second.summary, second.notes, second.endnotes = "<p>Sum.</p>", "<p>Pre.</p>", "<p>Post.</p>"
    second.save()
    work.refresh_from_db()
    first = work.chapters.get(position=1)
    doc = parse(client.get(f"/works/{work.pk}?view_full_work=true"))
    chapters = doc.xpath("//div[@id='workskin']/div[@id='chapters']")[0]
    assert [(div.get("class"), div.get("id")) for div in chapters] == [
        ("chapter", "chapter-1"),
        ("chapter", "chapter-2"),
    ]
    one = chapters[0]
    assert [div.get("class") for div in one] == ["chapter preface group", "userstuff module"]
    title = one.xpath("div[@class='chapter preface group']/h3[@class='title']")[0]
    assert text_of(title) == "Chapter 1"
    assert title.xpath("a/@href") == [f"/works/{work.pk}/chapters/{first.pk}"]
    two = chapters[1]
    assert [div.get("class") for div in two] == [
        "chapter preface group",
        "userstuff module",
        "chapter preface group",
    ]
    preface = two[0]
    assert text_of(preface.xpath("h3[@class='title']")[0]) == "Chapter 2: Second Thoughts"
    assert preface.xpath("h3[@class='title']/a/text()") == ["Chapter 2"]
    assert preface.xpath("div[@id='summary']/@class") == ["summary module"]
    assert preface.xpath("div[@id='notes']/@class") == ["notes module"]
    text = two[1]
    assert text.get("role") == "article"
    assert (text[0].tag, text[0].get("class"), text[0].get("id")) == (
        "h3",
        "landmark heading",
        "work",
    )
    assert text_of(text[0]) == "Chapter Text"
    assert "The second part." in text_of(text)
    endnotes = two[2].xpath("div")[0]
    assert (endnotes.get("class"), endnotes.get("id")) == ("end notes module", "chapter_2_endnotes")
    assert text_of(endnotes.xpath("blockquote[@class='userstuff']")[0]) == "Post."


def test_a_restricted_works_title_starts_with_the_lock(alice, bob):
    work = make_work(author=alice, title="Members Only", restricted=True)
    doc = parse(client_for(bob).get(f"/works/{work.pk}"))
    title = doc.xpath("//h2[@class='title heading']")[0]
    img = title[0]
    assert (img.tag, img.get("alt"), img.get("title")) == ("img", "(Restricted)", "Restricted")
    assert (img.tail or "").strip() == "Members Only"
    assert not (title.text or "").strip()


def test_the_byline_names_pseud_and_login_when_they_differ(alice, client):
    lizzy = do_create_pseud(alice, "Lizzy")
    work = make_work(author=alice, pseuds=[lizzy, alice.pseuds.get(is_default=True)])
    doc = parse(client.get(f"/works/{work.pk}"))
    byline = doc.xpath("//h3[@class='byline heading']")[0]
    assert text_of(byline) == "Lizzy (alice), alice"
    assert [(a.get("rel"), a.get("href")) for a in byline.xpath("a")] == [
        ("author", "/users/alice/pseuds/Lizzy"),
        ("author", "/users/alice/pseuds/alice"),
    ]


def test_the_byline_link_leads_to_the_pseuds_works(alice, client):
    lizzy = do_create_pseud(alice, "Lizzy")
    make_work(author=alice, title="By Lizzy", pseuds=[lizzy])
    response = client.get("/users/alice/pseuds/Lizzy", follow=True)
    assert response.redirect_chain[-1][0] == "/users/alice/pseuds/Lizzy/works"
    assert client.get("/users/alice/pseuds/Nobody").status_code == 404


# Navigate ---------------------------------------------------------------------------------


def test_the_chapter_index_reads_as_ao3s(alice, client):
    work = make_work(author=alice, title="Long Road", chapters=3)
    work.chapters.update(published_at=datetime.date(2026, 1, 16))
    doc = parse(client.get(f"/works/{work.pk}/navigate"))
    h2 = doc.xpath("//div[@id='main']/h2[@class='heading']")[0]
    assert text_of(h2) == "Chapter Index for Long Road by alice"
    assert h2.xpath("a[1]/@href") == [f"/works/{work.pk}"]
    assert h2.xpath("a[@rel='author']/text()") == ["alice"]
    index = doc.xpath("//ol[@class='chapter index group']")[0]
    assert index.get("role") == "navigation"
    items = index.xpath("li")
    assert [text_of(li) for li in items] == [
        "1. Chapter 1 (2026-01-16)",
        "2. Part 2 (2026-01-16)",
        "3. Part 3 (2026-01-16)",
    ]
    ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    assert [li.xpath("a/@href")[0] for li in items] == [
        f"/works/{work.pk}/chapters/{pk}" for pk in ids
    ]
    assert [li.xpath("span[@class='datetime']/text()")[0] for li in items] == ["(2026-01-16)"] * 3


# Blurbs -------------------------------------------------------------------------------------


def blurb(client, work, path="/works"):
    return parse(client.get(path)).xpath(f"//li[@id='work_{work.pk}']")[0]


def test_a_blurb_is_marked_up_as_ao3s(tagged, alice, bob):
    Work.objects.filter(pk=tagged.pk).update(
        revised_at=datetime.datetime(2026, 1, 16, 23, 59, tzinfo=datetime.UTC), restricted=True
    )
    li = blurb(client_for(bob), tagged)
    assert li.get("class") == f"work blurb group work-{tagged.pk} user-{alice.pk}"
    assert li.get("role") == "article"
    header = li.xpath("div[@class='header module']")[0]
    h4 = header.xpath("h4[@class='heading']")[0]
    assert text_of(h4) == "Tea & Letters by alice"
    assert h4.xpath("a[1]/@href") == [f"/works/{tagged.pk}"]
    assert h4.xpath("a[@rel='author']/@href") == ["/users/alice/pseuds/alice"]
    assert h4.xpath("img/@alt") == ["(Restricted)"]
    fandoms = header.xpath("h5[@class='fandoms heading']")[0]
    assert fandoms.xpath("span[@class='landmark']/text()") == ["Fandoms:"]
    assert fandoms.xpath("a[@class='tag']/text()") == ["Sherlock Holmes & Related Fandoms"]
    assert header.xpath("p[@class='datetime']/text()") == ["16 Jan 2026"]
    tags = li.xpath("ul[@class='tags commas']/li")
    assert [(item.get("class"), text_of(item)) for item in tags] == [
        ("warnings", "Creator Chose Not To Use Archive Warnings"),
        ("warnings", "Major Character Death"),
        ("relationships", "Sherlock Holmes/John Watson"),
        ("relationships", "Mary Morstan/John Watson"),
        ("characters", "Sherlock Holmes"),
        ("freeforms", "Fluff"),
        ("freeforms", "Angst"),
    ]
    assert tags[0].xpath("strong/a[@class='tag']/@href") == [
        "/tags/Choose%20Not%20To%20Use%20Archive%20Warnings/works"
    ]
    assert li.xpath("h6[contains(@class, 'landmark')]/text()") == ["Tags", "Summary"]
    summary = li.xpath("blockquote[@class='userstuff summary']")[0]
    assert text_of(summary) == "A summary."


def test_a_blurbs_required_tags_are_four_symbols(tagged, bob):
    li = blurb(client_for(bob), tagged)
    symbols = li.xpath("div/ul[@class='required-tags']/li/a")
    assert len(symbols) == 4
    for a in symbols:
        assert (a.get("class"), a.get("title"), a.get("href")) == (
            "help symbol question modal",
            "Symbols key",
            "/help/symbols-key.html",
        )
    spans = [a.xpath("span")[0] for a in symbols]
    assert [(s.get("class"), s.get("title")) for s in spans] == [
        ("rating-mature rating", "Mature"),
        (
            "warning-yes warnings",
            "Creator Chose Not To Use Archive Warnings, Major Character Death",
        ),
        ("category-multi category", "F/M, M/M"),
        ("complete-yes iswip", "Complete Work"),
    ]
    assert [s.xpath("span[@class='text']/text()")[0] for s in spans] == [
        s.get("title") for s in spans
    ]


@pytest.mark.parametrize(
    ("rating", "css"),
    [
        ("General Audiences", "rating-general-audience rating"),
        ("Teen And Up Audiences", "rating-teen rating"),
        ("Mature", "rating-mature rating"),
        ("Explicit", "rating-explicit rating"),
        ("Not Rated", "rating-notrated rating"),
    ],
)
def test_rating_symbols(alice, client, rating, css):
    work = make_work(author=alice, rating=rating)
    assert blurb(client, work).xpath("div/ul/li[1]/a/span/@class") == [css]


@pytest.mark.parametrize(
    ("warnings", "css"),
    [
        (("No Archive Warnings Apply",), "warning-no warnings"),
        (("Choose Not To Use Archive Warnings",), "warning-choosenotto warnings"),
        (
            ("Choose Not To Use Archive Warnings", "No Archive Warnings Apply"),
            "warning-choosenotto warnings",
        ),
        (("Graphic Depictions Of Violence",), "warning-yes warnings"),
        (("No Archive Warnings Apply", "Underage Sex"), "warning-yes warnings"),
    ],
)
def test_warning_symbols(alice, client, warnings, css):
    work = make_work(author=alice, warnings=warnings)
    assert blurb(client, work).xpath("div/ul/li[2]/a/span/@class") == [css]


@pytest.mark.parametrize(
    ("categories", "css"),
    [
        (("Gen",), "category-gen category"),
        (("M/M",), "category-slash category"),
        (("F/M",), "category-het category"),
        (("F/F",), "category-femslash category"),
        (("Multi",), "category-multi category"),
        (("Other",), "category-other category"),
        (("F/F", "Gen"), "category-multi category"),
        ((), "category-none category"),
    ],
)
def test_category_symbols(alice, client, categories, css):
    work = make_work(author=alice, categories=categories)
    assert blurb(client, work).xpath("div/ul/li[3]/a/span/@class") == [css]


def test_a_work_in_progress_symbol(alice, client):
    work = make_work(author=alice, expected_chapters=2)
    span = blurb(client, work).xpath("div/ul/li[4]/a/span")[0]
    assert (span.get("class"), span.get("title")) == ("complete-no iswip", "Work in Progress")


def blurb_stats(li) -> list[tuple[str, str]]:
    dl = li.xpath("dl[@class='stats']")[0]
    return [(dd.get("class"), text_of(dd)) for dd in dl.xpath("dd")]


def test_a_blurbs_stats_leave_out_zero_rows(alice, client):
    work = make_work(author=alice, text="<p>" + "word " * 1_500 + "</p>")
    li = blurb(client, work)
    assert blurb_stats(li) == [("language", "English"), ("words", "1,500"), ("chapters", "1/1")]
    assert li.xpath("dl/dd[@class='language']/@lang") == ["en"]
    assert li.xpath("dl/dd[@class='chapters']/a") == []


def test_a_blurbs_stats_show_the_counters_that_are_not_zero(alice, client):
    work = make_work(author=alice)
    WorkStats.objects.filter(work=work).update(hits=12_345, kudos_count=7)
    assert blurb_stats(blurb(client, work))[3:] == [("kudos", "7"), ("hits", "12,345")]


def test_the_blurb_chapter_count_links_to_the_last_posted_chapter(alice, client):
    work = make_work(author=alice, chapters=2)
    Work.objects.filter(pk=work.pk).update(expected_chapters=None)
    work.refresh_from_db()
    do_add_chapter(work, chapter_input("<p>A draft, not linked.</p>"), post=False)
    last_posted = work.chapters.get(position=2)
    dd = blurb(client, work).xpath("dl/dd[@class='chapters']")[0]
    assert text_of(dd) == "2/?"
    assert dd.xpath("a/@href") == [f"/works/{work.pk}/chapters/{last_posted.pk}"]
    assert dd.xpath("a/text()") == ["2"]


def test_a_blurb_without_summary_has_no_summary_block(alice, client):
    work = make_work(author=alice)
    li = blurb(client, work)
    assert not li.xpath("blockquote")
    assert li.xpath("h6[contains(@class, 'landmark')]/text()") == ["Tags"]


# Logged in or out --------------------------------------------------------------------------


def test_the_body_says_whether_the_visitor_is_logged_in(alice, client):
    work = make_work(author=alice)
    for path in ("/", "/works", f"/works/{work.pk}", "/users/login"):
        assert parse(client.get(path)).xpath("//body/@class") == ["logged-out"], path
    member = client_for(alice)
    for path in ("/", "/works", f"/works/{work.pk}", "/works/new"):
        doc = parse(member.get(path))
        assert doc.xpath("//body/@class") == ["logged-in"], path
        logout = doc.xpath("//a[text()='Log Out']/@href")
        assert logout and logout[0].startswith("/users/logout"), path


def test_the_log_out_link_returns_to_the_page(alice):
    work = make_work(author=alice)
    doc = parse(client_for(alice).get(f"/works/{work.pk}"))
    href = urlsplit(doc.xpath("//a[text()='Log Out']/@href")[0])
    assert href.path == "/users/logout"
    assert parse_qs(href.query) == {"return_to": [f"/works/{work.pk}"]}


def test_guests_have_no_log_out_link(client):
    assert not parse(client.get("/works")).xpath("//a[starts-with(@href, '/users/logout')]")


def test_flash_errors_are_inside_main(alice):
    response = client_for(alice).post("/works/new", {"title": ""})
    assert parse(response).xpath("//div[@id='main']//div[contains(@class, 'flash error')]")
