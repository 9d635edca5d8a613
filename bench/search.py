"""Search benchmark: tag listings over an AO3-shaped archive of 1,000,000 works.

Builds (once, then reuses) an archive in bulk: users and pseuds, Zipf-popular fandoms (the
largest on about 6% of works; 1-3 fandoms, 0-4 relationships, 1-8 characters, 0-15 additional
tags a work), synonyms and metatags so filter sets hold inherited tags, works with their stats,
creators, taggings and filter rows, and the search index as quire/search/index.py writes it
(WorkDoc rows packed with engines.facets.pack_tags, full-text rows with the same words as
engines.fulltext.write_documents; a sample is checked against index.py's own builder).

Then runs a fixed mix of 50 listing queries (/tags/<fandom>/works with AO3's GET parameters:
bare popular and mid fandoms, exclusions, an included character, text words, sorts, later
pages, complete=T, words_from) three ways, and prints p50/p95/max per database:

- engine: get_engine().query(q, audience=PUBLIC, facets=True); parsing is outside the timing;
- view: the whole listing through Django's test Client as a guest; once cold (facet cache
  emptied, blurb fragments not cached), then warm repeats;
- floor: the same answers (page of ids, total, top-10 facets per type) computed by numpy over
  in-memory arrays loaded once from the same database; every answer is checked against the
  engine's and the mismatches are counted.

Run (the first run builds; later runs reuse var/bench/search-<N>/ and the PostgreSQL database
quire_bench_<N> while their BUILD_VERSION matches; --rebuild forces a new build):

    .venv/bin/python bench/search.py --works 20000 --db sqlite      # a quick look
    .venv/bin/python bench/search.py --works 1000000 --db both      # the issue's targets

PostgreSQL is reached at --pg-url (default postgres://postgres@127.0.0.1:5432/postgres), which
must allow CREATE DATABASE. SQLite is measured as Django leaves it (no ANALYZE: the app never
runs one); PostgreSQL after VACUUM ANALYZE, as autovacuum would leave it.
"""

import argparse
import bisect
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BUILD_VERSION = "search-bench-3"  # 2: PostgreSQL summary and notes columns; 3: SQLite rowid doc key
BATCH = 50_000
WARM_REPEATS = 3
POPULAR_REPEATS = 10
PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
TARGET_VIEW_P95 = 150.0
TARGET_POPULAR_P95 = 25.0
TARGET_FLOOR_RATIO = 5.0


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _split(text: str) -> list[str]:
    return text.split()


FIRST = _split(
    """Aaron Abigail Ada Adam Adrian Agnes Aiden Akira Alan Albert Alex Alice Alma Amelia Amir
    Ana Anders Andrea Anna Anne Anton Arthur Asha Astrid Aurora Ava Beatrice Ben Bianca Blake
    Bram Brooke Bruce Caleb Camille Carl Carmen Cecil Celeste Charles Chen Chloe Clara Claude
    Colin Cora Daisy Dante Daria David Dean Diana Dmitri Dora Edgar Edith Edmund Elena Eli Elise
    Ellen Emil Emma Erik Esme Ethan Eva Evan Ezra Faye Felix Fiona Finn Frank Freya Gabriel
    Gemma George Gideon Grace Greta Hana Hannah Harry Hazel Hector Helen Henry Hugo Ian Ida Igor
    Ingrid Irene Isaac Isla Ivan Jack Jade James Jane Jasper Jean Jiro Joan John Jonah Jose
    Josie Jude Julia Kai Kara Kate Kenji Kira Kurt Kyle Lara Laura Leah Leo Levi Lila Lin Lionel
    Lisa Liam Lucas Lucy Luke Mabel Maggie Malik Mara Marco Maria Mark Martha Mary Mateo Max
    Maya Mei Mia Miles Mina Molly Nadia Naomi Nate Neil Nell Nico Nina Noah Nora Olga Oliver Omar
    Oscar Otto Paul Peter Pia Quinn Rafael Rahul Remy Rhea Rita Robin Rosa Ruby Ryan Sam Sana
    Sara Sasha Scott Selma Seth Shiro Simon Sofia Stella Steve Sylvia Tara Ted Thea Theo Tom
    Tony Uma Vera Victor Vince Wade Walter Wanda Wen Will Xander Yara Yuki Yuri Zack Zara Zoe"""
)
LAST = _split(
    """Abbott Adler Akers Alvarez Amari Arden Ashby Baker Banner Barnes Baxter Bennet Bower
    Brandt Brooks Brown Burke Byrne Cain Calder Carter Castillo Chase Clarke Cole Collins Cooper
    Cruz Dale Darcy Davies Diaz Dixon Doyle Drake Dunn Ellis Evans Falk Fischer Fisher Ford
    Foster Gates Garcia Hale Hall Hart Hayes Holmes Hudson Hughes Hunt Ishida Jackson Jensen
    Jones Kane Keller Kent Knight Kowalski Lang Larsen Lee Lewis Lloyd Lopez Lowe Lynch Marsh
    Martin Mason McBride McCoy McKay Meyer Miller Mills Moreau Morgan Murphy Nakamura Nash Novak
    Nunez Odell Oakley Olsen Ortiz Owens Palmer Park Parker Patel Pierce Porter Price Quill Rao
    Reed Reyes Rhodes Rogers Ross Russo Ryder Sato Schmidt Shaw Silva Stark Sullivan Suzuki
    Tanaka Taylor Thorne Todd Turner Vance Voss Wagner Walsh Ward Watson Webb Wilde Wright Yates
    Young Zhang Ziegler"""
)
# Fandom names and additional tags draw on these; text words (below) never do.
TAG_WORDS = _split(
    """amber ancient arrow ash autumn bell birch blade bloom blue bone bright brass candle cedar
    chain cinder circle cloud coast copper coral crimson crown crystal dawn desert dream dust
    ember empire fern flame forest fox frost garden gate ghost glass gold green grey harbor
    hawk hidden hollow honey iron island ivory jade king lake lily lion lunar marble meadow
    mirror moon moss north oak ocean orchid pale pearl pine plum raven red river rose ruby rust
    salt sand scarlet shadow shore silver sky snow song spring star stone storm summer sun
    thorn thunder tide tower twilight velvet violet wild willow wind winter wolf wood zephyr"""
)
TROPES = [
    "Fluff", "Angst", "Hurt/Comfort", "Slow Burn", "Alternate Universe", "Fix-It", "Friendship",
    "Humor", "Romance", "Drama", "Established Relationship", "Enemies to Lovers",
    "Friends to Lovers", "Found Family", "Character Study", "Post-Canon", "Pre-Canon",
    "Canon Divergence", "Whump", "Pining", "Mutual Pining", "Domestic", "Coffee Shops",
    "Soulmates", "Time Travel", "Modern Setting", "Office", "College", "High School",
    "Roommates", "Fake Dating", "Road Trip", "Secret Identity", "Amnesia", "Sick Fic",
    "Nightmares", "Hand Holding", "First Kiss", "Getting Together", "Kidfic", "Role Reversal",
    "Magic", "Dragons", "Vampires", "Werewolves", "Space", "Pirates", "Detectives", "Mystery",
    "Horror", "Tragedy", "Poetry", "Drabble", "Crack", "Crossover", "Missing Scene",
    "Episode Tag", "Angst with a Happy Ending", "Emotional Hurt/Comfort",
]  # fmt: skip
MEDIA = [" (TV)", " (Movies)", " - All Media Types", " (Video Game)", " (Anime)", ""]
# Titles and summaries: Zipf-frequent, and disjoint from every tag and user name's words.
TEXT_WORDS = _split(
    """letter journey promise kitchen window village lantern bridge morning evening quiet
    little kind gentle warm careful brave tired small old new long short first last again
    home road rain train station library market lesson answer question secret story memory
    photograph picnic festival winterfeast ballroom teacup sweater scarf blanket
    candlelight fireplace chess violin piano melody harmony rhythm verse chorus dance waltz
    tango sailing harborlight orchard vineyard bakery bread pastry biscuit cocoa tea coffee
    midnightsnack breakfast lunch dinner supper recipe notebook pencil inkwell parchment
    compass telescope lighthouse cottage cabin attic cellar staircase hallway doorway balcony
    rooftop courtyard fountain statue museum gallery theater cinema concert rehearsal audition
    hospital infirmary bandage fever recovery apology forgiveness confession reunion farewell
    homecoming anniversary birthday holiday vacation weekend afternoon sunrise sunset
    starlight moonrise snowfall heatwave drizzle puddle umbrella raincoat boots mittens
    bicycle motorcycle carriage wagon ferry voyage expedition adventure quest riddle puzzle
    clue alibi witness ledger archive manuscript chronicle legend
    ballad sonnet haiku limerick fable parable proverb whisper murmur laughter giggle sigh
    embrace handshake kiss glance wink smile frown blush stutter"""
)


# --- building -------------------------------------------------------------------------------


class Names:
    """Unique (case-insensitively) tag names, made unique with a number where needed."""

    def __init__(self, taken=()) -> None:
        self.seen = {name.lower() for name in taken}

    def add(self, name: str) -> str:
        candidate, number = name, 1
        while candidate.lower() in self.seen:
            number += 1
            candidate = f"{name} {number}"
        self.seen.add(candidate.lower())
        return candidate


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _fandom_exponent(count: int) -> float:
    """The Zipf exponent that puts the largest fandom on about 6% of works (1.3 fandoms a work
    on average, so its share of fandom draws is about 6% / 1.3)."""
    low, high = 0.0, 3.0
    for _ in range(50):
        middle = (low + high) / 2
        weights = [1 / (rank + 1) ** middle for rank in range(count)]
        share = weights[0] / sum(weights)
        if share * 1.3 > 0.06:
            high = middle
        else:
            low = middle
    return low


class Plan:
    """Every tag, and how works draw them."""

    def __init__(self, works: int, fixed: dict[str, int], first_id: int, seed: int) -> None:
        rng = random.Random(f"{seed}:tags")
        self.fixed = fixed
        self.tags: list[
            tuple[int, str, str, bool, int | None]
        ] = []  # id, name, type, canon, merger
        self.metas: list[tuple[int, int]] = []  # (meta, sub)
        self.next_id = first_id
        names = Names(fixed)

        named: dict[int, str] = {}

        def tag(name: str, kind: str, canonical: bool = True, merger: int | None = None) -> int:
            tag_id = self.next_id
            self.next_id += 1
            named[tag_id] = names.add(name)
            self.tags.append((tag_id, named[tag_id], kind, canonical, merger))
            return tag_id

        fandom_count = max(100, works // 500)
        exponent = _fandom_exponent(fandom_count)
        weights = [1 / (rank + 1) ** exponent for rank in range(fandom_count)]
        self.fandom_cum = _cumulative(weights)
        self.fandoms, self.characters, self.synonyms, self.relationships = [], [], {}, []
        for rank in range(fandom_count):
            words = " ".join(w.title() for w in rng.sample(TAG_WORDS, rng.choice((1, 2, 2, 3))))
            fandom = tag(f"{rng.choice(('', '', 'The '))}{words}{rng.choice(MEDIA)}", "fandom")
            self.fandoms.append(fandom)
            scale = weights[rank] / weights[0]
            cast = []
            for index in range(max(3, round(3 + 400 * scale))):
                person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                character = tag(person, "character")
                cast.append(character)
                if index < 3 and rng.random() < 0.5:  # another spelling, wrangled as a synonym
                    self.synonyms[character] = tag(
                        f"{person.split()[0]} {person.split()[1][0]}.",
                        "character",
                        False,
                        character,
                    )
            self.characters.append(cast)
            pairs = []
            for _ in range(max(2, round(2 + 250 * scale))):
                a, b = rng.sample(cast, 2)
                joiner = "/" if rng.random() < 0.8 else " & "
                pairs.append(tag(f"{named[a]}{joiner}{named[b]}", "relationship"))
            self.relationships.append(pairs)
        # Metatags over the most popular fandoms ("X" under "X - Everything").
        for fandom in self.fandoms[: max(5, fandom_count // 100)]:
            self.metas.append((tag(f"{named[fandom]} - Everything", "fandom"), fandom))
        pool = max(500, works // 50)
        self.freeforms, self.freeform_canonical = [], []
        for index in range(pool):
            roll = rng.random()
            if index < len(TROPES):
                name = TROPES[index]
            elif roll < 0.5:
                name = f"{rng.choice(TROPES)} - {rng.choice(TAG_WORDS).title()}"
            else:
                name = " ".join(rng.choice(TAG_WORDS) for _ in range(rng.randint(2, 4)))
                name = name.capitalize()
            canonical = index < 200 or rng.random() < 0.6
            freeform = tag(name, "freeform", canonical)
            self.freeforms.append(freeform)
            if canonical and index < 300 and rng.random() < 0.4:
                self.synonyms[freeform] = tag(f"{name} (spelling)", "freeform", False, freeform)
            if canonical and index >= 40 and rng.random() < 0.05:
                meta = self.freeforms[rng.randrange(20)]
                self.metas.append((meta, freeform))
        self.freeform_cum = _cumulative(1 / (rank + 1) ** 0.9 for rank in range(pool))

        # Each tag's filter set: itself or its merger, then its metatags (inherited).
        canonical = {t[0]: (t[3], t[4]) for t in self.tags}
        canonical.update({tag_id: (True, None) for tag_id in fixed.values()})
        meta_of: dict[int, list[int]] = {}
        for meta, sub in self.metas:
            meta_of.setdefault(sub, []).append(meta)
        self.filters: dict[int, list[tuple[int, bool]]] = {}
        for tag_id, (is_canonical, merger) in canonical.items():
            if not (is_canonical or merger):
                self.filters[tag_id] = []
                continue
            root = merger or tag_id
            self.filters[tag_id] = [(root, False)] + [(m, True) for m in meta_of.get(root, [])]
        self.type_of = {t[0]: t[2] for t in self.tags}
        self.name_of = {t[0]: t[1] for t in self.tags}

    def draw_tags(self, rng: random.Random) -> list[int]:
        """One work's own tags, in the order a posting form lists them."""
        fixed = self.fixed
        rating = rng.choices(
            ["Not Rated", "General Audiences", "Teen And Up Audiences", "Mature", "Explicit"],
            [8, 25, 30, 17, 20],
        )[0]
        tags = [fixed[rating]]
        warning = rng.choices(
            ["No Archive Warnings Apply", "Choose Not To Use Archive Warnings",
             "Graphic Depictions Of Violence", "Major Character Death"],
            [55, 30, 10, 5],
        )[0]  # fmt: skip
        tags.append(fixed[warning])
        if rng.random() < 0.1:
            tags.append(fixed["Graphic Depictions Of Violence"])
        for _ in range(rng.choices((0, 1, 2), (10, 75, 15))[0]):
            tags.append(fixed[rng.choice(("F/F", "F/M", "Gen", "M/M", "Multi", "Other"))])
        total = self.fandom_cum[-1]
        picked = []
        for _ in range(rng.choices((1, 2, 3), (78, 16, 6))[0]):
            picked.append(bisect.bisect(self.fandom_cum, rng.random() * total))
        picked = list(dict.fromkeys(min(p, len(self.fandoms) - 1) for p in picked))
        tags += [self.fandoms[p] for p in picked]
        for _ in range(rng.choices(range(5), (25, 45, 18, 8, 4))[0]):
            pairs = self.relationships[rng.choice(picked)]
            tags.append(pairs[int(len(pairs) * rng.random() ** 2.5)])
        for _ in range(rng.choices(range(1, 9), (20, 25, 18, 12, 9, 7, 5, 4))[0]):
            cast = self.characters[rng.choice(picked)]
            character = cast[int(len(cast) * rng.random() ** 2.5)]
            if character in self.synonyms and rng.random() < 0.2:
                character = self.synonyms[character]
            tags.append(character)
        total = self.freeform_cum[-1]
        for _ in range(min(15, int(rng.expovariate(1 / 5)))):
            index = min(
                bisect.bisect(self.freeform_cum, rng.random() * total), len(self.freeforms) - 1
            )
            freeform = self.freeforms[index]
            if freeform in self.synonyms and rng.random() < 0.15:
                freeform = self.synonyms[freeform]
            tags.append(freeform)
        return sorted(set(tags))  # in id order, as the database reads them back


def _tables_indexes(cursor, vendor: str, tables: list[str]) -> list[tuple[str, str]]:
    """Drop the secondary indexes and unique constraints of these tables; return how to make
    them again."""
    again = []
    for table in tables:
        if vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
            for name, sql in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                again.append((name, sql))
            continue
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u'",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            again.append((name, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'))
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT "
            "IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            again.append((name, definition))
    return again


class Loader:
    """Bulk rows into tables: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor

    def put(self, table: str, columns: str, rows) -> None:
        if not rows:
            return
        if self.vendor == "postgresql":
            with (
                self.connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        raw = self.connection.connection
        marks = ", ".join("?" * len(rows[0]))
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _stamp(seconds: int, vendor: str) -> str:
    text = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))
    return text + "+00:00" if vendor == "postgresql" else text


def build(works: int, seed: int) -> dict:
    """The archive, in bulk. Returns what it made."""
    from django.db import connection

    from quire.lib.text import title_sort_key
    from quire.search.engines.facets import pack_tags
    from quire.search.engines.fulltext import FIELD_GAP, FIELDS, WEIGHTS
    from quire.search.engines.fulltext import OWN_COLUMNS as OWN
    from quire.search.text import tokens
    from quire.tags.models import Tag
    from quire.works.models import Language

    vendor = connection.vendor
    started = time.perf_counter()
    fixed = dict(Tag.objects.values_list("name", "id"))
    first_id = max(fixed.values()) + 1
    plan = Plan(works, fixed, first_id, seed)
    log(f"planned {len(plan.tags):,} tags in {time.perf_counter() - started:.1f}s")
    languages = list(Language.objects.order_by("pk").values_list("pk", "code"))
    english = next(pk for pk, code in languages if code == "en")
    loader = Loader()
    tables = ["accounts_user", "accounts_pseud", "tags_tag", "tags_metatagging", "works_work",
              "works_workstats", "works_creatorship", "works_tagging", "tags_filtertagging",
              "search_workdoc"]  # fmt: skip
    if vendor == "postgresql":
        tables.append("search_worktext")
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA foreign_keys=OFF")
        else:
            cursor.execute("SET session_replication_role = replica")  # no FK triggers
            cursor.execute("SET maintenance_work_mem = '1GB'")
        again = _tables_indexes(cursor, vendor, tables)
    raw = connection.connection
    begin = (lambda: raw.execute("BEGIN")) if vendor == "sqlite" else (lambda: None)
    commit = (lambda: raw.execute("COMMIT")) if vendor == "sqlite" else (lambda: None)

    # Users and their default pseuds (pseud id = user id).
    users = max(1000, works // 20)
    now = _stamp(1_780_000_000, vendor)
    begin()
    loader.put(
        "accounts_user",
        "id, password, is_superuser, username, first_name, last_name, email, is_staff, "
        "is_active, date_joined, is_wrangler",
        [(i, "!", False, f"writer{i:07d}", "", "", "", False, True, now, False)
         for i in range(1, users + 1)],
    )  # fmt: skip
    loader.put(
        "accounts_pseud",
        "id, user_id, name, description, is_default, created_at",
        [(i, i, f"writer{i:07d}", "", True, now) for i in range(1, users + 1)],
    )
    loader.put(
        "tags_tag",
        "id, name, name_key, type, canonical, merger_id, unwrangleable, created_at",
        [(i, n, n.lower(), k, c, m, False, now) for i, n, k, c, m in plan.tags],
    )
    loader.put(
        "tags_metatagging", "meta_id, sub_id, created_at", [(m, s, now) for m, s in plan.metas]
    )
    commit()
    tag_tokens = {tag_id: tokens(name) for tag_id, name in Tag.objects.values_list("id", "name")}
    tag_names = dict(Tag.objects.values_list("id", "name"))
    type_of = dict(Tag.objects.values_list("id", "type"))
    from quire.search.engines.facets import TYPE_CODES  # noqa: F401  (pack_tags reads it)

    text_rng = random.Random(f"{seed}:text")
    text_cum = _cumulative(1 / (rank + 1) for rank in range(len(TEXT_WORDS)))
    text_total = text_cum[-1]

    def text_words(count: int) -> list[str]:
        return [TEXT_WORDS[bisect.bisect(text_cum, text_rng.random() * text_total)]
                for _ in range(count)]  # fmt: skip

    rng = random.Random(f"{seed}:works")
    low, high = 1_262_304_000, 1_793_000_000  # 2010-01-01 .. late 2026
    counts = {"works": 0, "taggings": 0, "filters": 0, "users": users, "tags": len(plan.tags)}
    for start in range(1, works + 1, BATCH):
        ids = range(start, min(works, start + BATCH - 1) + 1)
        work_rows, stats_rows, creator_rows, tagging_rows, filter_rows = [], [], [], [], []
        doc_rows, text_rows = [], []
        for work_id in ids:
            tags = plan.draw_tags(rng)
            words = text_words(rng.randint(2, 4))
            title = " ".join(w.capitalize() for w in words)
            if rng.random() < 0.2:
                title = "The " + title
            summary = (" ".join(text_words(rng.randint(8, 30))) + ".").capitalize()
            restricted = rng.random() < 0.05
            anonymous = rng.random() < 0.01
            language = english if rng.random() < 0.9 else rng.choice(languages)[0]
            chapters = 1 if rng.random() < 0.6 else rng.randint(2, 40)
            if chapters == 1:
                expected = 1 if rng.random() < 0.9 else None
            else:
                expected = chapters if rng.random() < 0.5 else rng.choice((None, chapters + 5))
            complete = expected == chapters
            word_count = max(10, min(500_000, int(rng.lognormvariate(7.8, 1.2)) * chapters))
            revised = rng.randint(low, high)
            published_day = max(low, revised - int(rng.random() * 3 * 365 * 86400)) // 86400
            published = published_day * 86400
            fandom_count = sum(1 for t in tags if type_of[t] == "fandom")
            sort_key = title_sort_key(title)
            work_rows.append(
                (work_id, title, summary, "", "", language, restricted, 0, False, expected, True,
                 complete, word_count, chapters, None, False, False, anonymous, False,
                 fandom_count > 1, False, time.strftime("%Y-%m-%d", time.gmtime(published)),
                 _stamp(revised, vendor), _stamp(published, vendor), _stamp(revised, vendor), 1,
                 sort_key)
            )  # fmt: skip
            hits = int(rng.lognormvariate(6, 1.5))
            kudos = int(hits * rng.random() * 0.1)
            stats_rows.append(
                (
                    work_id,
                    hits,
                    kudos,
                    int(kudos * rng.random() * 0.3),
                    int(kudos * rng.random() * 0.2),
                )
            )
            creators = [rng.randint(1, users)]
            if rng.random() < 0.03:
                creators.append(rng.randint(1, users))
            creators = list(dict.fromkeys(creators))
            creator_rows += [(work_id, pseud, position) for position, pseud in enumerate(creators)]
            tagging_rows += [(work_id, tag_id) for tag_id in tags]
            filters: dict[int, bool] = {}
            for tag_id in tags:
                for root, inherited in plan.filters[tag_id]:
                    filters[root] = filters.get(root, True) and inherited
            filters = dict(sorted(filters.items()))
            filter_rows += [(tag_id, work_id, inherited) for tag_id, inherited in filters.items()]
            names = [f"writer{pseud:07d}" for pseud in creators]
            if anonymous:
                byline, sort_name = "Anonymous", "anonymous"
            else:
                byline = " ".join(f"{name} {name}" for name in names)
                sort_name = ", ".join(names).casefold()
            tag_text_ids = list(dict.fromkeys([tag_names[t] for t in tags]
                                              + [tag_names[t] for t in filters]))  # fmt: skip
            text = {"title": title, "creators": byline, "summary": summary, "notes": "",
                    "tags": " ".join(tag_text_ids)}  # fmt: skip
            joined = "\x00".join(text[name] for name in FIELDS)
            digest = hashlib.blake2b(joined.encode(), digest_size=16).hexdigest()
            doc_rows.append(
                (work_id, not restricted, anonymous, language, complete, fandom_count > 1,
                 chapters, word_count, revised, published, sort_key[:300], sort_name[:300],
                 pack_tags([(t, type_of[t]) for t in filters]), digest)
            )  # fmt: skip
            seen_tags: dict[str, None] = dict.fromkeys(tag_names[t] for t in tags)
            seen_tags.update(dict.fromkeys(tag_names[t] for t in filters))
            by_name = {tag_names[t]: t for t in [*tags, *filters]}
            tag_words = [w for name in seen_tags for w in tag_tokens[by_name[name]]]
            field_words = {
                "title": tokens(title),
                "creators": tokens(byline),
                "summary": tokens(summary),
                "notes": [],
                "tags": tag_words,
            }
            if vendor == "postgresql":
                text_rows.append(
                    (
                        work_id,
                        _tsvector(field_words, FIELDS, WEIGHTS, FIELD_GAP),
                        *(_tsvector(field_words, (name,), WEIGHTS, FIELD_GAP) for name in OWN),
                    )
                )
            else:
                text_rows.append((work_id, *(" ".join(field_words[name]) for name in FIELDS)))
        begin()
        loader.put(
            "works_work",
            "id, title, summary, notes, endnotes, language_id, restricted, comment_permission, "
            "moderated_comments, expected_chapters, posted, complete, word_count, "
            "posted_chapter_count, last_chapter_id, hidden_by_admin, in_unrevealed_collection, "
            "anonymous, adult, crossover, otp, published_at, revised_at, created_at, "
            "updated_at, version, title_sort_key",
            work_rows,
        )
        loader.put(
            "works_workstats",
            "work_id, hits, kudos_count, comments_count, bookmarks_count",
            stats_rows,
        )
        loader.put("works_creatorship", "work_id, pseud_id, position", creator_rows)
        loader.put("works_tagging", "work_id, tag_id", tagging_rows)
        loader.put("tags_filtertagging", "tag_id, work_id, inherited", filter_rows)
        loader.put(
            "search_workdoc",
            "work_id, public, anonymous, language_id, complete, crossover, chapters, "
            "word_count, revised_at, published_at, title_sort_key, creator_sort_key, tags, "
            "text_digest",
            doc_rows,
        )
        if vendor == "postgresql":
            loader.put("search_worktext", f"work_id, document, {', '.join(OWN)}", text_rows)
        else:
            loader.put("search_workfts", "rowid, title, creators, summary, notes, tags", text_rows)
        commit()
        counts["works"] += len(work_rows)
        counts["taggings"] += len(tagging_rows)
        counts["filters"] += len(filter_rows)
        log(f"  {counts['works']:,} of {works:,} works ({time.perf_counter() - started:.0f}s)")
    log(f"rows in {time.perf_counter() - started:.0f}s; indexing")
    with connection.cursor() as cursor:
        for name, sql in again:
            began = time.perf_counter()
            cursor.execute(sql)
            log(f"  index {name} in {time.perf_counter() - began:.1f}s")
        if vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
            for table in ("accounts_user", "accounts_pseud", "tags_tag", "works_work"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE")  # what autovacuum would leave
        else:
            cursor.execute("INSERT INTO search_workfts(search_workfts) VALUES ('optimize')")
        cursor.execute("CREATE TABLE bench_build (version varchar(100), works integer)")
        cursor.execute("INSERT INTO bench_build VALUES (%s, %s)", [BUILD_VERSION, works])
    counts["seconds"] = time.perf_counter() - started
    return counts


def _tsvector(field_words, fields, weights, gap) -> str:
    """fulltext._tsvector_literal, from words already split."""
    positions: dict[str, list[str]] = {}
    position = 1
    for name in fields:
        weight = weights[name]
        for word in field_words[name]:
            if position <= 16383:
                positions.setdefault(word, []).append(f"{position}{weight}")
            position += 1
        position += gap
    return " ".join(f"'{word}':{','.join(spots)}" for word, spots in positions.items())


def check_index(sample_size: int = 300) -> str:
    """Compare a sample of the bulk-written index with what index.py would write."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from quire.search.engines import fulltext
    from quire.search.index import DOC_FIELDS, _build_docs, _row
    from quire.search.models import WorkDoc
    from quire.search.text import tokens
    from quire.works.queries import visible_works

    top = WorkDoc.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = sorted(random.Random(7).sample(range(1, top + 1), min(sample_size, top)))
    public = set(visible_works(AnonymousUser()).filter(pk__in=ids).values_list("pk", flat=True))
    docs, texts = _build_docs(ids, public)
    stored = {
        row[0]: _row(row) for row in WorkDoc.objects.filter(pk__in=ids).values_list(*DOC_FIELDS)
    }
    bad_docs = sum(
        1 for doc in docs if stored.get(doc.work_id) != _row(getattr(doc, n) for n in DOC_FIELDS)
    )
    bad_text = 0
    with connection.cursor() as cursor:
        for work_id, fields in texts.items():
            if connection.vendor == "postgresql":
                own = fulltext.OWN_COLUMNS
                cursor.execute(
                    "SELECT document = %s::tsvector"
                    + "".join(f" AND {name} = %s::tsvector" for name in own)
                    + " FROM search_worktext WHERE work_id = %s",
                    [
                        fulltext._tsvector_literal(fields),
                        *(fulltext._tsvector_literal(fields, only=name) for name in own),
                        work_id,
                    ],
                )
                bad_text += not cursor.fetchone()[0]
            else:
                cursor.execute(
                    "SELECT title, creators, summary, notes, tags FROM search_workfts "
                    "WHERE rowid = %s",
                    [work_id],
                )
                want = tuple(" ".join(tokens(fields.get(n, ""))) for n in fulltext.FIELDS)
                bad_text += cursor.fetchone() != want
    return f"{len(ids)} sampled: {bad_docs} doc and {bad_text} text mismatches"


# --- the floor ------------------------------------------------------------------------------


class Floor:
    """Listings answered by numpy over arrays held in memory (guest audience)."""

    def __init__(self, query_words: set[str]) -> None:
        import numpy as np
        from django.db import connection

        from quire.search.engines.facets import FACET_TYPES

        self.np = np
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT work_id, public, complete, word_count, revised_at, tags "
                "FROM search_workdoc ORDER BY work_id"
            )
            rows = cursor.fetchall()
            size = rows[-1][0] + 1
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            self.public = np.zeros(size, bool)
            self.public[ids] = [bool(r[1]) for r in rows]
            self.complete = np.zeros(size, bool)
            self.complete[ids] = [bool(r[2]) for r in rows]
            self.words = np.zeros(size, np.int64)
            self.words[ids] = [r[3] for r in rows]
            self.revised = np.zeros(size, np.int64)
            self.revised[ids] = [r[4] for r in rows]
            packs = [bytes(r[5]) for r in rows]
            lengths = np.zeros(size, np.int64)
            lengths[ids] = [len(p) // 4 for p in packs]
            self.values = np.frombuffer(b"".join(packs), dtype="<u4").astype(np.int64)
            del rows, packs
            self.ptr = np.zeros(size + 1, np.int64)
            np.cumsum(lengths, out=self.ptr[1:])
            # The title order as the database collates it, looked up once as a sort key.
            cursor.execute("SELECT work_id FROM search_workdoc ORDER BY title_sort_key, work_id")
            order = np.fromiter((r[0] for r in cursor.fetchall()), dtype=np.int64)
            self.title_rank = np.zeros(size, np.int64)
            self.title_rank[order] = np.arange(len(order))
            self.kudos = np.zeros(size, np.int64)
            cursor.execute("SELECT work_id, kudos_count FROM works_workstats")
            for work_id, kudos in cursor.fetchall():
                self.kudos[work_id] = kudos
            # Postings of the query words: titles and summaries only, as the build keeps them
            # out of every tag and user name (checked below).
            self.postings = {word: [] for word in query_words}
            cursor.execute("SELECT id, title, summary FROM works_work")
            for work_id, title, summary in cursor.fetchall():
                found = query_words.intersection(
                    re.findall(r"[a-z]+", f"{title} {summary}".lower())
                )
                for word in found:
                    self.postings[word].append(work_id)
            cursor.execute("SELECT name FROM tags_tag UNION ALL SELECT username FROM accounts_user")
            from quire.search.text import tokens

            clash = {w for (name,) in cursor.fetchall() for w in tokens(name)} & query_words
            assert not clash, f"query words also in tag or user names: {clash}"
        self.postings = {w: np.array(sorted(v), dtype=np.int64) for w, v in self.postings.items()}
        self.size = size
        work_of = np.repeat(np.arange(size), lengths)
        tag_ids = self.values >> 3
        self.tag_ids = tag_ids
        self.codes = self.values & 7
        keep = self.public[work_of]
        order = np.argsort(tag_ids[keep], kind="stable")
        public_tags, public_works = tag_ids[keep][order], work_of[keep][order]
        bounds = np.flatnonzero(np.diff(public_tags)) + 1
        starts = np.concatenate(([0], bounds))
        self.tag_works = {
            int(public_tags[s]): w
            for s, w in zip(starts, np.split(public_works, bounds), strict=True)
        }
        self.max_tag = int(tag_ids.max()) + 1
        self.type_code = np.full(self.max_tag, 7, np.int64)
        self.type_code[tag_ids] = self.codes
        self.facet_types = FACET_TYPES
        self.mark = np.zeros(size, bool)
        log(f"floor loaded in {time.perf_counter() - started:.1f}s")

    def _marked(self, tag_ids) -> "object":
        np = self.np
        arrays = [self.tag_works.get(t, np.empty(0, np.int64)) for t in tag_ids]
        return np.concatenate(arrays) if arrays else np.empty(0, np.int64)

    def query(self, q) -> tuple[list[int], int, dict]:
        from quire.search.engines import MAX_RESULTS, PER_PAGE

        np = self.np
        ids = self.tag_works.get(q.tag_id, np.empty(0, np.int64))
        for tag_id in q.include_tag_ids:
            other = self._marked([tag_id])
            self.mark[other] = True
            ids = ids[self.mark[ids]]
            self.mark[other] = False
        if q.exclude_tag_ids:
            other = self._marked(q.exclude_tag_ids)
            self.mark[other] = True
            ids = ids[~self.mark[ids]]
            self.mark[other] = False
        if q.complete is not None:
            ids = ids[self.complete[ids] == q.complete]
        if q.words is not None:
            if q.words.low is not None:
                ids = ids[self.words[ids] >= q.words.low]
            if q.words.high is not None:
                ids = ids[self.words[ids] <= q.words.high]
        if q.text is not None:
            for word in q.text.words:  # one plain Term in this mix
                ids = np.intersect1d(ids, self.postings[word], assume_unique=True)
        total = int(ids.size)
        last = max(1, -(-min(total, MAX_RESULTS) // PER_PAGE))
        page = min(max(q.page, 1), last)
        want = page * PER_PAGE
        key = {
            "kudos_count": lambda: self.kudos[ids],
            "word_count": lambda: self.words[ids],
            "title_to_sort_on": lambda: self.title_rank[ids],
        }.get(q.sort, lambda: self.revised[ids])()
        combined = key * (1 << 21) + ids
        if not q.ascending:
            combined = -combined
        if combined.size > want:
            top = np.argpartition(combined, want - 1)[:want]
        else:
            top = np.arange(combined.size)
        top = top[np.argsort(combined[top], kind="stable")]
        page_ids = [int(i) for i in ids[top[(page - 1) * PER_PAGE : want]]]
        # Facets: every matching work's filter tags, counted.
        starts, ends = self.ptr[ids], self.ptr[ids + 1]
        lengths = ends - starts
        index = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        counts = np.bincount(self.tag_ids[index], minlength=self.max_tag)
        present = np.flatnonzero(counts)
        facets = {}
        codes = self.type_code[present]
        for code, tag_type in enumerate(self.facet_types):
            chosen = present[codes == code]
            tallies = counts[chosen]
            order = np.lexsort((chosen, -tallies))[:10]
            facets[tag_type] = [(int(chosen[i]), int(tallies[i])) for i in order]
        return page_ids, total, facets


# --- the query mix --------------------------------------------------------------------------


def make_queries(floor: Floor, seed: int) -> tuple[list[dict], list[dict]]:
    """50 listing queries (tag id and name, query string, kind) and the popular bare ones."""
    from quire.tags.models import Tag

    rng = random.Random(f"{seed}:queries")
    fandoms = list(
        Tag.objects.filter(type="fandom", canonical=True)
        .exclude(name__endswith=" - Everything")  # the metatags: their listings are supersets
        .values_list("id", "name")
    )
    by_size = sorted(fandoms, key=lambda f: (-len(floor.tag_works.get(f[0], ())), f[0]))
    top, mid = by_size[:3], by_size[20:200]
    fixed = dict(Tag.objects.filter(type__in=["rating", "warning"]).values_list("name", "id"))
    # Words of the text: a common, a middling and a rare one.
    words = [TEXT_WORDS[0], TEXT_WORDS[4], TEXT_WORDS[30], TEXT_WORDS[120]]
    queries: list[dict] = []

    def add(kind: str, fandom, **params) -> None:
        queries.append({"kind": kind, "tag_id": fandom[0], "name": fandom[1],
                        "qs": urlencode(params, doseq=True)})  # fmt: skip

    def facet(fandom, tag_type: str, rank: int) -> int:
        q = _query_for(fandom[0], "")
        listed = floor.query(q)[2][tag_type]
        return listed[min(rank, len(listed) - 1)][0]

    for fandom in top:
        add("bare popular", fandom)
    add("bare popular, page 2", top[0], page=2)
    add("bare popular, page 3", top[1], page=3)
    for fandom in rng.sample(mid, 8):
        add("bare mid", fandom)
    exclusions = [("rating_ids", "Explicit"), ("archive_warning_ids", "Major Character Death"),
                  ("rating_ids", "Mature"),
                  ("archive_warning_ids", "Graphic Depictions Of Violence")]  # fmt: skip
    for n in range(6):
        fandom = top[n % 3] if n < 3 else rng.choice(mid)
        param, name = exclusions[n % len(exclusions)]
        add("exclude rating/warning", fandom, **{f"exclude_work_search[{param}][]": fixed[name]})
    for n in range(6):
        fandom = top[n % 3] if n < 3 else rng.choice(mid)
        character = facet(fandom, "character", rng.choice((0, 3, 9)))
        add("include character", fandom,
            **{"include_work_search[character_ids][]": character})  # fmt: skip
    for n in range(4):
        fandom = top[n % 3] if n < 2 else rng.choice(mid)
        freeform = facet(fandom, "freeform", rng.choice((0, 2)))
        relationship = facet(fandom, "relationship", 0)
        add("exclude freeform+relationship", fandom,
            **{"exclude_work_search[freeform_ids][]": freeform,
               "exclude_work_search[relationship_ids][]": relationship})  # fmt: skip
    for n in range(8):
        fandom = top[n % 3] if n < 4 else rng.choice(mid)
        add("text word", fandom, **{"work_search[query]": words[n % len(words)]})
    for n, sort in enumerate(["kudos_count", "word_count", "title_to_sort_on"] * 2):
        fandom = top[n % 3] if n < 3 else rng.choice(mid)
        add(f"sort {sort}", fandom, **{"work_search[sort_column]": sort},
            **({"page": 2} if n == 4 else {}))  # fmt: skip
    for n in range(3):
        fandom = top[n] if n < 2 else rng.choice(mid)
        add("complete=T", fandom, **{"work_search[complete]": "T"})
    for n, low in enumerate((10000, 50000, 5000, 100000)):
        fandom = top[n % 3] if n < 2 else rng.choice(mid)
        add("words_from", fandom, **{"work_search[words_from]": str(low)})
    assert len(queries) == 50, len(queries)
    return queries, queries[:3]


def _query_for(tag_id: int, qs: str):
    from django.http import QueryDict

    from quire.search.forms import parse_work_search, with_scope

    return with_scope(parse_work_search(QueryDict(qs)), tag_id=tag_id).query


def _path(case: dict) -> str:
    from quire.tags.names import tag_to_url_part

    path = f"/tags/{quote(tag_to_url_part(case['name']), safe='')}/works"
    return f"{path}?{case['qs']}" if case["qs"] else path


# --- measuring ------------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(samples: list[float]) -> dict:
    return {"p50": statistics.median(samples), "p95": percentile(samples, 0.95),
            "max": max(samples), "n": len(samples)}  # fmt: skip


def measure(queries: list[dict], popular: list[dict], floor: Floor) -> dict:
    from django.test import Client

    from quire.search.engines import PUBLIC, get_engine
    from quire.search.models import FacetCache

    engine = get_engine()
    parsed = [_query_for(case["tag_id"], case["qs"]) for case in queries]
    times: dict[str, list[float]] = {k: [] for k in
                                     ("engine cold", "engine warm", "view cold", "view warm",
                                      "popular cached", "popular cached engine",
                                      "floor")}  # fmt: skip
    per_query = []
    mismatches, facet_mismatches = [], 0
    FacetCache.objects.all().delete()
    for case, q in zip(queries, parsed, strict=True):
        samples = []
        for repeat in range(1 + WARM_REPEATS):
            began = time.perf_counter()
            result = engine.query(q, audience=PUBLIC, facets=True)
            elapsed = (time.perf_counter() - began) * 1000
            times["engine cold" if repeat == 0 else "engine warm"].append(elapsed)
            samples.append(elapsed)
        floor_samples = []
        for _ in range(1 + WARM_REPEATS):
            began = time.perf_counter()
            ids, total, facets = floor.query(q)
            floor_samples.append((time.perf_counter() - began) * 1000)
        times["floor"] += floor_samples[1:]
        if (ids, total) != (result.ids, result.total):
            mismatches.append((case["kind"], case["qs"], total, result.total))
        if {k: [tuple(p) for p in v] for k, v in (result.facets or {}).items()} != facets:
            facet_mismatches += 1
        floor_ms = statistics.median(floor_samples[1:])
        per_query.append({"kind": case["kind"], "path": _path(case), "total": total,
                          "engine": samples, "floor": floor_ms})  # fmt: skip
    client = Client()
    FacetCache.objects.all().delete()
    for case, row in zip(queries, per_query, strict=True):
        path = _path(case)
        samples = []
        for repeat in range(1 + WARM_REPEATS):
            began = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, (path, response.status_code)
            times["view cold" if repeat == 0 else "view warm"].append(elapsed)
            samples.append(elapsed)
        row["view"] = samples
    for case in popular:
        path = _path(case)
        client.get(path)
        for _ in range(POPULAR_REPEATS):
            began = time.perf_counter()
            client.get(path)
            times["popular cached"].append((time.perf_counter() - began) * 1000)
        q = _query_for(case["tag_id"], case["qs"])
        for _ in range(POPULAR_REPEATS):
            began = time.perf_counter()
            result = engine.query(q, audience=PUBLIC, facets=True)
            times["popular cached engine"].append((time.perf_counter() - began) * 1000)
            assert result.facets_cached
    return {
        "times": {k: _summary(v) for k, v in times.items()},
        "mismatches": mismatches,
        "facet_mismatches": facet_mismatches,
        "per_query": per_query,
    }


def explain(queries: list[dict], per_query: list[dict], limit: int = 4) -> list[str]:
    """The query plans of the slowest warm engine call of each of the `limit` slowest shapes."""
    from django.db import connection

    from quire.search.engines import PUBLIC, get_engine

    slow = sorted(range(len(queries)), key=lambda i: -statistics.median(per_query[i]["engine"][1:]))
    worst: dict[str, int] = {}
    for index in slow:
        worst.setdefault(queries[index]["kind"], index)
    out = []
    for index in list(worst.values())[:limit]:
        case = queries[index]
        q = _query_for(case["tag_id"], case["qs"])
        warm = statistics.median(per_query[index]["engine"][1:])
        out.append(f"--- {case['kind']}: {_path(case)} "
                   f"(engine warm median {warm:.1f} ms, "
                   f"total {per_query[index]['total']:,})")  # fmt: skip
        before = len(connection.queries_log)
        connection.force_debug_cursor = True
        try:
            get_engine().query(q, audience=PUBLIC, facets=True)
        finally:
            connection.force_debug_cursor = False
        for entry in list(connection.queries_log)[before:]:
            sql = entry["sql"]
            if "search_facetcache" in sql.lower() or sql.startswith("INSERT"):
                continue
            with connection.cursor() as cursor:  # timed again with its rows fetched
                began = time.perf_counter()
                cursor.execute(sql)
                fetched = len(cursor.fetchall())
                took = (time.perf_counter() - began) * 1000
            out.append(f"  [{took:.1f} ms, {fetched:,} rows] {sql[:600]}")
            prefix = ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite"
                      else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ")  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                for row in cursor.fetchall():
                    out.append("    " + " | ".join(str(v) for v in row))
    return out


# --- one database (a child process) ---------------------------------------------------------


def run_child(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    fresh = "bench_build" not in tables  # the parent removed any other build
    counts = None
    if fresh:
        began = time.perf_counter()
        call_command("migrate", verbosity=0)
        log(f"{connection.vendor}: migrated in {time.perf_counter() - began:.1f}s")
        counts = build(args.works, args.seed)
    connection.close()
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    index_check = check_index()
    log(f"index check: {index_check}")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            size = Path(connection.settings_dict["NAME"]).stat().st_size
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM works_tagging")
        taggings = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM tags_filtertagging")
        filters = cursor.fetchone()[0]
    floor = Floor({TEXT_WORDS[i] for i in (0, 4, 30, 120)})
    queries, popular = make_queries(floor, args.seed)
    biggest = max(len(v) for v in floor.tag_works.values() if v is not None)
    results = measure(queries, popular, floor)
    plans = explain(queries, results["per_query"])
    print("RESULT " + json.dumps({
        "vendor": connection.vendor, "works": args.works, "build": counts, "size": size,
        "taggings": taggings, "filters": filters, "index_check": index_check,
        "largest_public_tag": biggest, "plans": plans,
        "word_works": {word: int(ids.size) for word, ids in floor.postings.items()}, **results,
    }), flush=True)  # fmt: skip


def report(result: dict) -> None:
    t = result["times"]
    build = result["build"]
    built = f"built in {build['seconds']:.0f} s" if build else "reused (cached build)"
    print()
    size = result["size"] / 2**30
    print(f"== {result['vendor']}: {result['works']:,} works, {result['taggings']:,} taggings, "
          f"{result['filters']:,} filter rows; {built}; database {size:.2f} GiB")  # fmt: skip
    print(f"   index check against index.py: {result['index_check']}; "
          f"answers (ids, total) differing from the floor: {len(result['mismatches'])} of 50; "
          f"facets differing: {result['facet_mismatches']} of 50")  # fmt: skip
    words = ", ".join(
        f"{w!r} {n:,}" for w, n in sorted(result["word_works"].items(), key=lambda x: -x[1])
    )
    print(f"   largest public tag {result['largest_public_tag']:,} works; "
          f"works holding each text word: {words}")  # fmt: skip
    print()
    print("| case | samples | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    rows = [
        ("engine, cold (first call; facet cache empty)", "engine cold"),
        (f"engine, warm ({WARM_REPEATS} repeats)", "engine warm"),
        ("view, cold (first request; facet cache empty)", "view cold"),
        (f"view, warm ({WARM_REPEATS} repeats)", "view warm"),
        ("bare popular-tag listing, cached facets (view)", "popular cached"),
        ("bare popular-tag listing, cached facets (engine alone)", "popular cached engine"),
        ("floor (numpy, in memory)", "floor"),
    ]
    for label, key in rows:
        s = t[key]
        print(f"| {label} | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['max']:.1f} |")
    ratio = t["engine warm"]["p95"] / t["floor"]["p95"]
    print()
    view_p95 = max(t["view cold"]["p95"], t["view warm"]["p95"])
    checks = [
        (f"full listing view p95 <= {TARGET_VIEW_P95:.0f} ms (worse of cold and warm)", view_p95,
         view_p95 <= TARGET_VIEW_P95),
        (f"bare popular-tag listing, cached facets, p95 <= {TARGET_POPULAR_P95:.0f} ms",
         t["popular cached"]["p95"], t["popular cached"]["p95"] <= TARGET_POPULAR_P95),
        (f"engine (warm) / floor at p95 <= {TARGET_FLOOR_RATIO:.0f}x", ratio,
         ratio <= TARGET_FLOOR_RATIO),
    ]  # fmt: skip
    for label, number, ok in checks:
        print(f"   {label}: {number:.1f} -> {'ok' if ok else 'MISS'}")
    print()
    print("| query shape | queries | engine cold p50 | engine warm p50 | view cold p50 "
          "| view warm p50 | floor p50 | largest total |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    kinds: dict[str, list[dict]] = {}
    for row in result["per_query"]:
        kinds.setdefault(row["kind"], []).append(row)
    for kind, rows_of in kinds.items():
        cold = [r["engine"][0] for r in rows_of]
        warm = [x for r in rows_of for x in r["engine"][1:]]
        view_cold = [r["view"][0] for r in rows_of]
        view_warm = [x for r in rows_of for x in r["view"][1:]]
        floor = [r["floor"] for r in rows_of]
        print(f"| {kind} | {len(rows_of)} | {statistics.median(cold):.1f} "
              f"| {statistics.median(warm):.1f} | {statistics.median(view_cold):.1f} "
              f"| {statistics.median(view_warm):.1f} | {statistics.median(floor):.2f} "
              f"| {max(r['total'] for r in rows_of):,} |")  # fmt: skip
    print()
    print("   slowest queries (warm view median ms, engine warm median ms, floor ms, total):")
    slow = sorted(result["per_query"], key=lambda r: -statistics.median(r["view"][1:]))[:8]
    for row in slow:
        print(f"     {statistics.median(row['view'][1:]):7.1f} "
              f"{statistics.median(row['engine'][1:]):7.1f} {row['floor']:6.1f} "
              f"{row['total']:>8,}  {row['kind']}: {row['path']}")  # fmt: skip
    for kind, qs, floor_total, engine_total in result["mismatches"][:10]:
        print(f"   MISMATCH {kind} {qs}: floor total {floor_total}, engine {engine_total}")
    if result["plans"]:
        print()
        print("   plans of the slowest engine calls:")
        for line in result["plans"]:
            print("   " + line)


def _postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def _sqlite_built(path: Path, works: int) -> bool:
    import sqlite3

    if not path.exists():
        return False
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT version, works FROM bench_build").fetchone() == (
            BUILD_VERSION,
            works,
        )
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def _postgres_built(url: str, works: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            row = connection.execute("SELECT version, works FROM bench_build").fetchone()
    except psycopg.Error:
        return False
    return row == (BUILD_VERSION, works)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_URL))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    data_dir = ROOT / "var" / "bench" / f"search-{args.works}"
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for database in databases:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quire.settings", "DEBUG": "false",
               "PYTHONPATH": str(ROOT), "QUIRE_DATA_DIR": str(data_dir)}  # fmt: skip
        env.pop("REDIS_URL", None)
        env.pop("ALLOWED_HOSTS", None)
        if database == "sqlite":
            env.pop("DATABASE_URL", None)
            database_file = data_dir / "quire.sqlite3"
            if args.rebuild or not _sqlite_built(database_file, args.works):
                shutil.rmtree(data_dir, ignore_errors=True)
            (data_dir / "static").mkdir(parents=True, exist_ok=True)
        else:
            name = f"quire_bench_{args.works}"
            url = urlunsplit(urlsplit(args.pg_url)._replace(path=f"/{name}"))
            if args.rebuild or not _postgres_built(url, args.works):
                _postgres(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                _postgres(args.pg_url, f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = url
            (data_dir / "static").mkdir(parents=True, exist_ok=True)
        log(f"{database}: {args.works:,} works")
        command = [sys.executable, __file__, "--child", "--works", str(args.works),
                   "--seed", str(args.seed)]  # fmt: skip
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
                              check=False)  # fmt: skip
        found = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode or not found:
            sys.exit(f"the {database} run failed (exit {done.returncode})")
        report(json.loads(found[-1][len("RESULT ") :]))


if __name__ == "__main__":
    main()
