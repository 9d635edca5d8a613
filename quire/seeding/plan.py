"""The demo archive as plain data, decided before anything touches the database.

`plan_archive(works, seed=..., now=...)` is a pure function: the same arguments give the same
plan. Each work draws from its own random generator (seeded from the seed and the work's
number), so its text can be generated later, batch by batch, without holding 10,000 works
of prose in memory, and without depending on the order anything else was generated in.

What a planned work holds is what a writer would type into the posting form (plain text,
tag names); archive.py turns it into the actions' inputs the way the form does.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from itertools import accumulate

from quire.tags.fixed import CHOOSE_NOT_TO_WARN, NO_WARNINGS

from . import names
from .canons import Canon, Vocabulary, build_vocabulary, zipf_weights
from .text import CJK, Prose

DEMO_USERNAME = "demo"
# The demo's tag wrangler: an account with no works, created beside the plan's users.
DEMO_WRANGLER = "demo_wrangler"
DEMO_PSEUD = "Quire Demo"
SPAN = datetime.timedelta(days=3 * 365)
DAY = 86_400

# AO3's proportions (AO3.md; the demo brief).
RATINGS = {
    "General Audiences": 28,
    "Teen And Up Audiences": 30,
    "Mature": 15,
    "Explicit": 16,
    "Not Rated": 11,
}
CATEGORIES = {"M/M": 47, "F/M": 23, "Gen": 18, "F/F": 8, "Other": 3, "Multi": 1}
# The demo's text is gentle whatever the labels say; it uses only the warnings that need no
# sexual content to be plausible.
OTHER_WARNINGS = ("Graphic Depictions Of Violence", "Major Character Death")

# Chapter counts of chaptered works: 2 is most common, 20 is rare.
_CHAPTER_COUNTS = tuple(range(2, 21))
_CHAPTER_WEIGHTS = tuple(accumulate(1 / (count - 1) ** 1.5 for count in _CHAPTER_COUNTS))

# What the demo account's first works show: a finished chaptered work, a work in progress,
# a draft and a registered-users-only work.
_DEMO_SHAPES = ("chaptered", "wip", "draft", "restricted")


@dataclass
class PlannedUser:
    username: str
    pseuds: list[str]  # the first is the default pseud, named after the username
    is_demo: bool = False
    joined_at: datetime.datetime | None = None
    pseud_created_at: list[datetime.datetime] = field(default_factory=list)


@dataclass
class PlannedChapter:
    position: int
    title: str
    summary: str
    notes: str
    endnotes: str
    words: int  # how much text to generate; the real count comes from the text
    posted: bool
    created_at: datetime.datetime


@dataclass
class PlannedWork:
    key: int  # the work's number, which seeds its text
    text_seed: str
    creators: list[tuple[str, str]]  # (username, pseud name), in byline order
    language: str
    title: str
    summary: str
    notes: str
    endnotes: str
    rating: str
    warnings: list[str]
    categories: list[str]
    fandoms: list[str]
    relationships: list[str]
    characters: list[str]
    freeforms: list[str]
    prose_names: tuple[str, str]
    restricted: bool
    comment_permission: int
    moderated_comments: bool
    expected_chapters: int | None
    posted: bool
    chapters: list[PlannedChapter]
    series: "PlannedSeries | None" = None
    series_position: int = 0

    @property
    def created_at(self) -> datetime.datetime:
        return self.chapters[0].created_at

    @property
    def published_at(self) -> datetime.date | None:
        return self.created_at.date() if self.posted else None

    @property
    def revised_at(self) -> datetime.datetime | None:
        """Posting a chapter makes the work's "Date Updated" that moment."""
        posted = [chapter.created_at for chapter in self.chapters if chapter.posted]
        return max(posted) if self.posted and posted else None

    @property
    def updated_at(self) -> datetime.datetime:
        # Every action that saves the work row (create, add a chapter) sets it; the series
        # actions bump versions with a queryset update, which leaves it alone.
        return max(chapter.created_at for chapter in self.chapters)

    @property
    def version(self) -> int:
        """A fresh archive has no cached fragments yet, so any starting version is right."""
        return 1


@dataclass
class PlannedSeries:
    title: str
    summary: str
    notes: str
    complete: bool
    works: list[PlannedWork]  # in series order, which is posting order
    updated_at: datetime.datetime
    # Whether the creator edited the series (description, notes, complete) after its last
    # work joined: one do_update_series, which bumps every member's version.
    updated_by_creator: bool

    @property
    def created_at(self) -> datetime.datetime:
        return self.works[0].created_at


@dataclass
class Plan:
    seed: int
    now: datetime.datetime
    users: list[PlannedUser]  # in joining order
    works: list[PlannedWork]  # in posting order
    series: list[PlannedSeries]  # in creation order
    prose: Prose

    def chapter_texts(self, work: PlannedWork) -> list[str]:
        """The plain text of each chapter, as its writer would have typed it."""
        return [
            self.prose.chapter(
                random.Random(f"{work.text_seed}:chapter:{chapter.position}"),
                work.language,
                work.prose_names,
                chapter.words,
            )
            for chapter in work.chapters
        ]


def plan_archive(works: int, *, seed: int, now: datetime.datetime) -> Plan:
    if works < 1:
        raise ValueError("The demo needs at least one work.")
    root = f"quire-demo:{seed}"
    rng = random.Random(root)
    now = now.replace(microsecond=0)
    vocabulary = build_vocabulary(random.Random(f"{root}:canons"))
    prose = Prose(root)

    users = _plan_users(rng, max(5, round(works / 20)))
    demo, writers = users[0], users[1:]
    writer_weights = zipf_weights(len(writers), 0.6)
    demo_works = min(works, max(len(_DEMO_SHAPES), min(12, works // 50)))
    showcase = _Showcase(vocabulary)

    planned: list[PlannedWork] = []
    for key in range(works):
        work_rng = random.Random(f"{root}:work:{key}")
        spelling = None
        if key < demo_works:
            owner = demo
            shape = _DEMO_SHAPES[key] if key < len(_DEMO_SHAPES) else ""
            if shape != "draft":
                spelling = showcase.next()
        else:
            owner = work_rng.choices(writers, cum_weights=writer_weights)[0]
            shape = ""
        creators = [(owner.username, _pick_pseud(work_rng, owner))]
        if not shape and work_rng.random() < 0.02:
            other = work_rng.choice(writers)
            if other is not owner:
                creators.append((other.username, other.pseuds[0]))
        planned.append(
            _plan_work(
                work_rng,
                key=key,
                text_seed=f"{root}:text:{key}",
                creators=creators,
                shape=shape,
                vocabulary=vocabulary,
                prose=prose,
                now=now,
                showcase=spelling,
            )
        )
    planned.sort(key=lambda work: (work.created_at, work.key))
    series = _plan_series(rng, planned, users, prose, now)
    _date_users(rng, users, planned, now)
    users.sort(key=lambda user: (user.joined_at, user.username))
    return Plan(seed=seed, now=now, users=users, works=planned, series=series, prose=prose)


# Users ----------------------------------------------------------------------------------------


def _plan_users(rng: random.Random, count: int) -> list[PlannedUser]:
    demo = PlannedUser(DEMO_USERNAME, [DEMO_USERNAME, DEMO_PSEUD], is_demo=True)
    users = [demo]
    for username in names.usernames(rng, count, taken={DEMO_USERNAME, DEMO_WRANGLER}):
        extra = 0
        if rng.random() < 0.3:
            extra = rng.choice((1, 1, 2))
        users.append(PlannedUser(username, [username, *names.pseud_names(rng, username, extra)]))
    # Popularity is not alphabetical: shuffle before the Zipf weights are laid over the list.
    writers = users[1:]
    rng.shuffle(writers)
    return [demo, *writers]


def _pick_pseud(rng: random.Random, user: PlannedUser) -> str:
    if len(user.pseuds) > 1 and rng.random() < 0.3:
        return rng.choice(user.pseuds[1:])
    return user.pseuds[0]


def _date_users(
    rng: random.Random, users: list[PlannedUser], works: list[PlannedWork], now: datetime.datetime
) -> None:
    first_work: dict[str, datetime.datetime] = {}
    for work in works:  # in posting order, so the first seen is the earliest
        for username, _ in work.creators:
            first_work.setdefault(username, work.created_at)
    for user in sorted(users, key=lambda user: user.username):
        anchor = first_work.get(user.username)
        if anchor is None:  # a reader: joined any time in the span
            anchor = now - datetime.timedelta(seconds=int(rng.random() * SPAN.total_seconds()))
        lead = datetime.timedelta(seconds=int(rng.uniform(3_600, 120 * DAY)))
        user.joined_at = anchor - lead
        # Extra pseuds come after joining and before the first work.
        user.pseud_created_at = [user.joined_at] + [
            user.joined_at + datetime.timedelta(seconds=int(lead.total_seconds() * rng.random()))
            for _ in user.pseuds[1:]
        ]


# Works ----------------------------------------------------------------------------------------


def _plan_work(
    rng: random.Random,
    *,
    key: int,
    text_seed: str,
    creators: list[tuple[str, str]],
    shape: str,
    vocabulary: Vocabulary,
    prose: Prose,
    now: datetime.datetime,
    showcase: "_Spelling | None" = None,
) -> PlannedWork:
    language = rng.choices(vocabulary.languages, cum_weights=vocabulary.language_weights)[0]
    rating = _weighted(rng, RATINGS)
    categories = [_weighted(rng, CATEGORIES)]
    if rng.random() < 0.12:
        second = _weighted(rng, CATEGORIES)
        if second not in categories:
            categories.append(second)
    canons = _pick_canons(rng, vocabulary) if showcase is None else [showcase.canon]
    relationships, characters = _cast(rng, canons, categories)
    fandoms = [_spelling(rng, vocabulary, canon.fandom) for canon in canons]
    fandoms += _metatags_beside(rng, vocabulary, fandoms)
    freeforms = _freeforms(rng, vocabulary, characters)
    prose_names = _prose_names(rng, canons, characters)
    characters = [_spelling(rng, vocabulary, name) for name in characters]
    if showcase is not None:
        fandoms, characters, freeforms = showcase.respell(fandoms, characters, freeforms)

    posted = shape != "draft" and (shape != "" or rng.random() >= 0.03)
    chapter_count, expected, trailing_draft = _chapter_shape(rng, shape, posted=posted)
    words = _word_target(rng, freeforms, chaptered=chapter_count > 1)
    times = _timeline(rng, chapter_count + trailing_draft, now)
    titled = chapter_count > 1 and rng.random() < 0.55
    chapters = [
        PlannedChapter(
            position=position,
            title=prose.chapter_title(rng, language) if titled else "",
            summary=(
                prose.summary(rng, language, prose_names)
                if chapter_count > 1 and rng.random() < 0.15
                else ""
            ),
            notes=(
                prose.notes(rng, language, prose_names, rng.choice(vocabulary.freeforms))
                if chapter_count > 1 and rng.random() < 0.2
                else ""
            ),
            endnotes=prose.endnotes(rng, language) if rng.random() < 0.1 else "",
            words=words(),
            posted=posted and position <= chapter_count,
            created_at=times[position - 1],
        )
        for position in range(1, chapter_count + trailing_draft + 1)
    ]
    roll = rng.random()
    return PlannedWork(
        key=key,
        text_seed=text_seed,
        creators=creators,
        language=language,
        title=prose.title(rng, language, prose_names),
        summary=prose.summary(rng, language, prose_names) if rng.random() < 0.92 else "",
        notes=(
            prose.notes(rng, language, prose_names, freeforms[0] if freeforms else "Fluff")
            if rng.random() < 0.35
            else ""
        ),
        endnotes=prose.endnotes(rng, language) if rng.random() < 0.2 else "",
        rating=rating,
        warnings=_warnings(rng),
        categories=categories,
        fandoms=list(dict.fromkeys(fandoms)),
        relationships=relationships,
        characters=list(dict.fromkeys(characters)),
        freeforms=freeforms,
        prose_names=prose_names,
        restricted=shape == "restricted" or (not shape and rng.random() < 0.08),
        comment_permission=0 if roll < 0.88 else (1 if roll < 0.98 else 2),
        moderated_comments=rng.random() < 0.06,
        expected_chapters=expected,
        posted=posted,
        chapters=chapters,
    )


class _Spelling:
    """One showcase work: its canon, and the other spellings it uses."""

    def __init__(self, canon: Canon, aliases: dict[str, str], freeform: str | None) -> None:
        self.canon = canon
        self.aliases = aliases
        self.freeform = freeform

    def respell(
        self, fandoms: list[str], characters: list[str], freeforms: list[str]
    ) -> tuple[list[str], list[str], list[str]]:
        # Every spelled-differently character of the canon is there, spelled differently.
        characters = characters + [name for name in self.canon.characters if name in self.aliases]
        extra = [self.freeform] if self.freeform else []
        return (
            list(dict.fromkeys(self.aliases.get(name, name) for name in fandoms)),
            list(dict.fromkeys(self.aliases.get(name, name) for name in characters)),
            list(dict.fromkeys([*freeforms, *extra])),
        )


class _Showcase:
    """The demo account's works spell tags the other way canons.json's synonym pairs do
    ("Holmes", "Les Mis", "coffee shop AU"), so however small the archive, a demo wrangler
    finds those spellings on works, waiting to be made synonyms."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.aliases = {name: spellings[0] for name, spellings in vocabulary.aliases.items()}
        self.canons: list[Canon] = []
        for name in self.aliases:  # canons.json's order
            for canon in vocabulary.canons:
                if (name == canon.fandom or name in canon.characters) and (
                    canon not in self.canons
                ):
                    self.canons.append(canon)
        in_canons = {n for canon in self.canons for n in (canon.fandom, *canon.characters)}
        self.freeforms = [alias for name, alias in self.aliases.items() if name not in in_canons]
        self.count = 0

    def next(self) -> _Spelling:
        index, self.count = self.count, self.count + 1
        freeform = self.freeforms[index % len(self.freeforms)] if self.freeforms else None
        return _Spelling(self.canons[index % len(self.canons)], self.aliases, freeform)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _warnings(rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.52:
        return [NO_WARNINGS]
    if roll < 0.9:
        return [CHOOSE_NOT_TO_WARN]
    return sorted(rng.sample(OTHER_WARNINGS, rng.choice((1, 1, 2))))


def _pick_canons(rng: random.Random, vocabulary: Vocabulary) -> list[Canon]:
    roll = rng.random()
    count = 1 if roll < 0.85 else (2 if roll < 0.96 else rng.randint(3, 4))
    canons: list[Canon] = []
    while len(canons) < count:
        canon = rng.choices(vocabulary.canons, cum_weights=vocabulary.canon_weights)[0]
        if canon not in canons:
            canons.append(canon)
    return canons


def _spelling(rng: random.Random, vocabulary: Vocabulary, name: str) -> str:
    """The canonical name, or now and then one of the other spellings writers use."""
    aliases = vocabulary.aliases.get(name)
    if aliases and rng.random() < 0.15:
        return rng.choice(aliases)
    return name


def _metatags_beside(rng: random.Random, vocabulary: Vocabulary, tags: list[str]) -> list[str]:
    """Writers often add the broader tag too ("Alternate Universe" beside a specific AU)."""
    extra: list[str] = []
    for tag in tags:
        for meta in vocabulary.metatags.get(tag, ()):
            if meta not in tags and meta not in extra and rng.random() < 0.25:
                extra.append(meta)
    return extra


def _character_pick(rng: random.Random, canon: Canon) -> tuple[int, str]:
    # Leads first: canons.json lists each canon's characters roughly by prominence.
    weights = zipf_weights(len(canon.characters), 0.8)
    index = rng.choices(range(len(canon.characters)), cum_weights=weights)[0]
    return index, canon.characters[index]


def _pairing(rng: random.Random, canons: list[Canon], size: int) -> list[str] | None:
    canon = canons[0] if len(canons) == 1 or rng.random() < 0.7 else rng.choice(canons)
    if len(canon.characters) < size:
        return None
    picked: dict[int, str] = {}
    while len(picked) < size:
        index, name = _character_pick(rng, canon)
        picked[index] = name
    # One order per pairing ("Sherlock Holmes/John Watson", never the reverse), so a popular
    # pairing is one popular tag.
    return [picked[index] for index in sorted(picked)]


def _cast(
    rng: random.Random, canons: list[Canon], categories: list[str]
) -> tuple[list[str], list[str]]:
    if categories == ["Gen"]:
        romantic = 0
    elif "Multi" in categories:
        romantic = rng.randint(2, 3)
    elif categories == ["Other"]:
        romantic = rng.randint(0, 1)
    else:
        roll = rng.random()
        romantic = 1 if roll < 0.7 else (2 if roll < 0.85 else 0)
    roll = rng.random()
    platonic = 0 if roll < 0.5 else (1 if roll < 0.85 else 2)
    if categories == ["Gen"] and rng.random() < 0.6:
        platonic = max(platonic, 1)

    relationships: list[str] = []
    characters: list[str] = []
    for kind in ["/"] * romantic + [" & "] * platonic:
        size = 3 if kind == "/" and rng.random() < 0.03 else 2
        pair = _pairing(rng, canons, size)
        if pair is None:
            continue
        name = kind.join(pair)
        if name not in relationships:
            relationships.append(name)
            characters.extend(pair)
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        characters.append(_character_pick(rng, rng.choice(canons))[1])
    if not characters and rng.random() < 0.9:
        characters.append(_character_pick(rng, canons[0])[1])
    return relationships, list(dict.fromkeys(characters))


def _freeforms(rng: random.Random, vocabulary: Vocabulary, characters: list[str]) -> list[str]:
    roll = rng.random()
    count = 0 if roll < 0.1 else (rng.randint(1, 3) if roll < 0.45 else rng.randint(4, 12))
    chosen: list[str] = []
    while len(chosen) < count:
        name = rng.choices(vocabulary.freeforms, cum_weights=vocabulary.freeform_weights)[0]
        if name not in chosen:
            chosen.append(name)
    chosen += _metatags_beside(rng, vocabulary, chosen)
    people = [name for name in characters if not name.startswith("Original ")]
    if people and rng.random() < 0.12:
        person = rng.choice(people)
        shape = rng.choice(
            ("{} Needs a Hug", "Soft {}", "{}-centric", "Protective {}", "{} Loves Tea")
        )
        chosen.append(shape.format(person))
    return list(dict.fromkeys(_spelling(rng, vocabulary, name) for name in chosen))


def _prose_names(rng: random.Random, canons: list[Canon], characters: list[str]) -> tuple[str, str]:
    """The two people the text is about: the work's characters, topped up from its canons."""
    people = [name for name in characters if not name.startswith("Original ")]
    pool = list(
        dict.fromkeys(
            name
            for canon in canons
            for name in canon.characters
            if name not in people and not name.startswith("Original ")
        )
    )
    while len(people) < 2:
        people.append(pool.pop(rng.randrange(len(pool))) if pool else names.person_name(rng))
    return people[0], people[1]


def _chapter_shape(rng: random.Random, shape: str, *, posted: bool) -> tuple[int, int | None, int]:
    """(chapters posted or drafted now, expected chapters, unposted chapters after them)."""
    if not posted:
        count = 1 if rng.random() < 0.7 else rng.randint(2, 4)
        return count, count if rng.random() < 0.6 else None, 0
    if shape == "chaptered":
        count = rng.randint(3, 6)
        return count, count, 0
    if shape == "wip":
        return rng.randint(2, 5), None, 1
    if rng.random() < 0.3:
        count = rng.choices(_CHAPTER_COUNTS, cum_weights=_CHAPTER_WEIGHTS)[0]
    else:
        count = 1
        if rng.random() >= 0.04:
            return 1, 1, 0
    # A work in progress: "?" or a number still ahead of what is posted.
    if count > 1 and rng.random() >= 0.45:
        return count, count, 0
    expected = None if rng.random() < 0.5 else count + rng.randint(1, 8)
    return count, expected, int(rng.random() < 0.1)


def _word_target(rng: random.Random, freeforms: list[str], *, chaptered: bool):
    """A function giving each chapter's word target: most land between 500 and 5,000."""
    if "Drabble" in freeforms and not chaptered:
        return lambda: 100
    median = 500 if "Ficlet" in freeforms else (900 if chaptered else 1000)
    mu = math.log(median)
    return lambda: max(150, min(9_000, int(rng.lognormvariate(mu, 0.6))))


def _timeline(rng: random.Random, count: int, now: datetime.datetime) -> list[datetime.datetime]:
    """When each chapter was added: newer works are more common, as archives grow."""
    age = max(3_600.0 * (count + 1), SPAN.total_seconds() * rng.random() ** 1.4)
    gaps = [min(120 * DAY, max(600.0, rng.expovariate(1 / (12 * DAY)))) for _ in range(count - 1)]
    room = age - 60
    if sum(gaps) > room:
        gaps = [gap * room / sum(gaps) for gap in gaps]
    start = now - datetime.timedelta(seconds=int(age))
    return [start + datetime.timedelta(seconds=int(offset)) for offset in accumulate([0, *gaps])]


# Series ---------------------------------------------------------------------------------------


def _plan_series(
    rng: random.Random,
    works: list[PlannedWork],
    users: list[PlannedUser],
    prose: Prose,
    now: datetime.datetime,
) -> list[PlannedSeries]:
    """Series of one creator's posted works, each joining when it was posted."""
    candidates: dict[str, list[PlannedWork]] = {}
    for work in works:
        if work.posted and len(work.creators) == 1:
            candidates.setdefault(work.creators[0][0], []).append(work)
    series: list[PlannedSeries] = []
    for user in sorted(users, key=lambda user: user.username):
        own = candidates.get(user.username, [])
        if len(own) < 3 or not (user.is_demo or rng.random() < 0.25):
            continue
        rounds = 2 if len(own) >= 12 and not user.is_demo and rng.random() < 0.5 else 1
        for _ in range(rounds):
            free = [work for work in own if work.series is None]
            if len(free) < 2:
                break
            members = sorted(
                rng.sample(free, rng.randint(2, min(6, len(free)))),
                key=lambda work: (work.created_at, work.key),
            )
            series.append(_make_series(rng, members, prose, now))
    series.sort(key=lambda item: (item.created_at, item.works[0].key))
    return series


def _make_series(
    rng: random.Random, members: list[PlannedWork], prose: Prose, now: datetime.datetime
) -> PlannedSeries:
    first = members[0]
    language = first.language if first.language not in CJK else "en"
    summary = prose.summary(rng, language, first.prose_names) if rng.random() < 0.6 else ""
    notes = prose.endnotes(rng, language) if rng.random() < 0.2 else ""
    complete = rng.random() < 0.4
    updated_by_creator = bool(summary or notes or complete)
    updated_at = members[-1].created_at
    if updated_by_creator:
        later = datetime.timedelta(seconds=int(rng.uniform(60, 3 * DAY)))
        updated_at = max(updated_at, min(now, updated_at + later))
    item = PlannedSeries(
        title=prose.series_title(rng, first.prose_names),
        summary=summary,
        notes=notes,
        complete=complete,
        works=members,
        updated_at=updated_at,
        updated_by_creator=updated_by_creator,
    )
    for position, work in enumerate(members, start=1):
        work.series = item
        work.series_position = position
    return item
