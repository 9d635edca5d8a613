"""Factories for tests, benchmarks and the demo seeder. They call the real actions, so data
is built the way the app builds it."""

from quire.accounts.actions import do_create_user
from quire.accounts.models import Pseud, User
from quire.lib.wordcount import count_words
from quire.tags.models import Tag
from quire.works.actions import ChapterInput, WorkInput, do_add_chapter, do_create_work
from quire.works.models import Language, Series, Work

TEST_PASSWORD = "correct horse battery"  # noqa: S105 - a test fixture, not a secret


def make_user(username: str = "alice", *, password: str = TEST_PASSWORD, **flags) -> User:
    return do_create_user(username, f"{username}@example.org", password, **flags)


def make_work(
    *,
    author: User,
    title: str = "A Quiet Afternoon",
    rating: str = "General Audiences",
    warnings: tuple[str, ...] = ("No Archive Warnings Apply",),
    categories: tuple[str, ...] = ("Gen",),
    fandoms: tuple[str, ...] = ("Pride and Prejudice - Jane Austen",),
    relationships: tuple[str, ...] = (),
    characters: tuple[str, ...] = (),
    freeforms: tuple[str, ...] = (),
    chapters: int = 1,
    expected_chapters: int | None = None,
    posted: bool = True,
    restricted: bool = False,
    summary: str = "",
    notes: str = "",
    endnotes: str = "",
    language: str = "en",
    text: str = "<p>The rain had stopped by the time the letters came.</p>",
    pseuds: list[Pseud] | None = None,
    series: Series | None = None,
    new_series_title: str = "",
    series_position: int | None = None,
) -> Work:
    pseuds = pseuds or [author.pseuds.get(is_default=True)]
    fixed = {tag.name: tag for tag in Tag.objects.filter(canonical=True)}
    data = WorkInput(
        title=title,
        pseuds=pseuds,
        rating=fixed[rating],
        warnings=[fixed[name] for name in warnings],
        categories=[fixed[name] for name in categories],
        fandoms=list(fandoms),
        relationships=list(relationships),
        characters=list(characters),
        freeforms=list(freeforms),
        language=Language.objects.get(code=language),
        restricted=restricted,
        summary=summary,
        notes=notes,
        endnotes=endnotes,
        expected_chapters=expected_chapters if expected_chapters is not None else chapters,
        series=series,
        new_series_title=new_series_title,
        series_position=series_position,
    )
    work = do_create_work(data, chapter_input(text), post=posted)
    for number in range(2, chapters + 1):
        do_add_chapter(work, chapter_input(text, title=f"Part {number}"), post=posted)
    work.refresh_from_db()
    return work


def make_comment(
    work: Work,
    *,
    user: User | None = None,
    text: str = "What a lovely chapter; thank you for writing it.",
    parent=None,
    chapter=None,
    guest_name: str = "A Visitor",
    ip: str = "10.0.0.1",
):
    """A comment (or a reply to `parent`) by `user`, or by a guest, through the real action;
    on the work's newest posted chapter unless `chapter` is given."""
    from quire.social.actions import CommentInput, do_create_comment
    from quire.works.queries import access_work

    work = access_work(user or _anonymous(), work.pk)
    if chapter is None:
        chapter = (
            parent.chapter
            if parent is not None
            else work.chapters.filter(posted=True).order_by("-position").first()
        )
    data = CommentInput(
        content=text,
        pseud=user.pseuds.get(is_default=True) if user is not None else None,
        guest_name="" if user is not None else guest_name,
        guest_email="" if user is not None else "visitor@example.org",
    )
    return do_create_comment(work, chapter, user=user, data=data, parent=parent, ip=ip)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def chapter_input(text: str, *, title: str = "") -> ChapterInput:
    return ChapterInput(content=text, title=title, word_count=count_words(text))


# Reading pages as AO3's tools do: parse the HTML and look at classes and structure.


def parse(response):
    """The response's HTML as an lxml document (lxml is a dev dependency, hence the import
    here: the demo seeder imports this module too)."""
    import lxml.html

    return lxml.html.document_fromstring(response.content.decode())


def text_of(element) -> str:
    """An element's text with white space collapsed, as a reader sees it."""
    return " ".join(element.text_content().split())


def form_value(doc, name: str):
    """What a form shows for field `name`: an input's value, a textarea's text, a select's
    chosen value, or the list of checked values of a checkbox group."""
    fields = doc.xpath("//*[@name=$name]", name=name)
    if not fields:
        raise AssertionError(f"the form has no field named {name}")
    first = fields[0]
    if first.tag == "textarea":
        # The HTML parser drops one newline after <textarea>, as browsers do.
        return (first.text or "").removeprefix("\n").removeprefix("\r\n")
    if first.tag == "select":
        chosen = first.xpath(".//option[@selected]")
        return chosen[0].get("value") if chosen else None
    if first.get("type") in ("checkbox", "radio"):
        return [field.get("value") for field in fields if field.get("checked") is not None]
    return first.get("value")


def assert_form_shows(doc, data: dict, *, skip: tuple[str, ...] = ()) -> None:
    """Every value a person submitted is in the re-rendered form (buttons and `skip` aside),
    so nothing they typed is lost when the form is rejected."""
    expected: object
    for name, sent in data.items():
        if name.endswith("_button") or name in skip:
            continue
        shown = form_value(doc, name)
        if isinstance(sent, list | tuple):
            expected = sorted(str(value) for value in sent)
            shown = sorted(shown)
        elif isinstance(shown, list) and not doc.xpath(
            "//input[@name=$name][@type='radio']", name=name
        ):  # a lone checkbox: checked or not
            expected = sent not in ("", "0", "false", "off")
            shown = bool(shown)
        elif isinstance(shown, list):  # a radio group
            expected = [str(sent)]
        else:
            expected = str(sent)
            shown = shown or ""
        if shown != expected:
            raise AssertionError(f"{name}: the form shows {shown!r}, not {expected!r}")


def row_counts(*models) -> dict[str, int]:
    """How many rows each model has: compare before and after a rejected form."""
    return {model.__name__: model.objects.count() for model in models}


def work_form_data(author: User, **fields) -> dict:
    """A valid submission of the posting form; keyword arguments replace fields (None drops
    one). Posts the work unless another button is named."""
    fixed = {tag.name: tag.pk for tag in Tag.objects.filter(canonical=True)}
    data = {
        "title": "A Quiet Afternoon",
        "pseuds": [author.pseuds.get(is_default=True).pk],
        "rating": fixed["General Audiences"],
        "warnings": [fixed["No Archive Warnings Apply"]],
        "categories": [fixed["Gen"]],
        "fandoms": "Pride and Prejudice - Jane Austen",
        "relationships": "",
        "characters": "",
        "freeforms": "",
        "summary": "",
        "notes": "",
        "endnotes": "",
        "language": "en",
        "comment_permission": "0",
        "expected_chapters": "1",
        "chapter_title": "",
        "content": "The rain had stopped by the time the letters came.",
        "post_button": "1",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def fixed_tag_id(name: str) -> int:
    return Tag.objects.get(name=name, canonical=True).pk


def set_work_fields(work, **fields) -> None:
    """Change a work's row behind the actions' back (a test backdating it, say), then reindex
    it as every action does, so listings see the change."""
    from quire.search.engines import get_engine
    from quire.works.models import Work

    Work.objects.filter(pk=work.pk).update(**fields)
    get_engine().index([work.pk])


def metatags_above():
    """For the oracles: a function giving every metatag above a tag, transitively, read from
    the MetaTagging rows now, in plain Python."""
    from quire.tags.models import MetaTagging

    metas: dict[int, set[int]] = {}
    for meta_id, sub_id in MetaTagging.objects.values_list("meta_id", "sub_id"):
        metas.setdefault(sub_id, set()).add(meta_id)

    def above(tag_id: int) -> set[int]:
        found, stack = set(), list(metas.get(tag_id, ()))
        while stack:
            meta_id = stack.pop()
            if meta_id not in found:
                found.add(meta_id)
                stack.extend(metas.get(meta_id, ()))
        return found

    return above


def past_spam_traps() -> dict[str, str]:
    """The spam-trap fields of a guest form (lib/spam.py) as a person sends them: the honeypot
    empty, the form shown a minute ago."""
    import time

    from django.core import signing

    from quire.lib import spam

    return {"form_started": signing.dumps(int(time.time()) - 60, salt=spam.SALT)}
