"""Factories for tests, benchmarks and the demo seeder. They call the real actions, so data
is built the way the app builds it."""

from quire.accounts.actions import do_create_user
from quire.accounts.models import User
from quire.lib.wordcount import count_words
from quire.tags.models import Tag
from quire.works.actions import ChapterInput, WorkInput, do_add_chapter, do_create_work
from quire.works.models import Language, Work

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
) -> Work:
    pseud = author.pseuds.get(is_default=True)
    fixed = {tag.name: tag for tag in Tag.objects.filter(canonical=True)}
    data = WorkInput(
        title=title,
        pseuds=[pseud],
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
    )
    work = do_create_work(data, chapter_input(text), post=posted)
    for number in range(2, chapters + 1):
        do_add_chapter(work, chapter_input(text, title=f"Part {number}"), post=posted)
    work.refresh_from_db()
    return work


def chapter_input(text: str, *, title: str = "") -> ChapterInput:
    return ChapterInput(content=text, title=title, word_count=count_words(text))
