"""The demo's canons: the public-domain ones of canons.json plus invented ones, ranked so that
a few are very popular and most are not, as on any real archive.

canons.json is a copy of ../shared/demo/canons.json, kept inside the package so the seeder
needs nothing outside the repository.
"""

import json
import random
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

from . import names

INVENTED_SUFFIX = " - Invented"


@dataclass(frozen=True)
class Canon:
    fandom: str
    characters: tuple[str, ...]
    invented: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """The tag vocabulary works draw from, with popularity weights for Zipf-like picks."""

    canons: tuple[Canon, ...]  # most popular first
    canon_weights: tuple[float, ...]  # cumulative
    freeforms: tuple[str, ...]  # most popular first (canons.json's order)
    freeform_weights: tuple[float, ...]  # cumulative
    # A canonical name -> other spellings writers use for it (synonyms in canons.json).
    aliases: dict[str, tuple[str, ...]]
    # A tag name -> metatags writers often add beside it (metatags in canons.json).
    metatags: dict[str, tuple[str, ...]]
    languages: tuple[str, ...]
    language_weights: tuple[float, ...]  # cumulative


@cache
def canons_json() -> dict:
    return json.loads(Path(__file__).with_name("canons.json").read_text(encoding="utf-8"))


def zipf_weights(count: int, exponent: float) -> tuple[float, ...]:
    """Cumulative weights 1/rank**exponent, for random.choices(cum_weights=...)."""
    return tuple(accumulate(1 / rank**exponent for rank in range(1, count + 1)))


def build_vocabulary(rng: random.Random, *, canon_count: int = 300) -> Vocabulary:
    data = canons_json()
    public = [
        Canon(entry["fandom"], tuple(entry["characters"]))
        for entries in data["media"].values()
        for entry in entries
    ]
    invented = _invented_canons(rng, canon_count - len(public), public)
    # The public-domain canons take most of the popular ranks, so the front page shows names
    # people know; a few invented ones climb in among them.
    ranked = sorted(
        [(rng.random(), canon) for canon in public]
        + [(0.3 + rng.random() * 4, canon) for canon in invented],
        key=lambda pair: pair[0],
    )
    canons = tuple(canon for _, canon in ranked)

    aliases: dict[str, list[str]] = {}
    for alias, canonical in data["synonyms"]:
        # "fluff" and "Fluff" cannot both exist: tag names are unique ignoring case.
        if alias.lower() != canonical.lower():
            aliases.setdefault(canonical, []).append(alias)
    metatags: dict[str, list[str]] = {}
    for meta, sub in data["metatags"]:
        metatags.setdefault(sub, []).append(meta)

    codes = tuple(code for code, _, _ in data["languages"])
    language_weights = tuple(accumulate(share for _, _, share in data["languages"]))
    return Vocabulary(
        canons=canons,
        canon_weights=zipf_weights(len(canons), 0.8),
        freeforms=tuple(data["freeforms"]),
        freeform_weights=zipf_weights(len(data["freeforms"]), 0.8),
        aliases={name: tuple(spellings) for name, spellings in aliases.items()},
        metatags={name: tuple(metas) for name, metas in metatags.items()},
        languages=codes,
        language_weights=language_weights,
    )


def _invented_canons(rng: random.Random, count: int, public: list[Canon]) -> list[Canon]:
    taken = {canon.fandom.lower() for canon in public}
    taken |= {name.lower() for canon in public for name in canon.characters}
    canons: list[Canon] = []
    while len(canons) < count:
        fandom = names.canon_title(rng) + INVENTED_SUFFIX
        if fandom.lower() in taken:
            continue
        taken.add(fandom.lower())
        characters: list[str] = []
        wanted = rng.randint(4, 9)
        while len(characters) < wanted:
            name = names.person_name(rng)
            # Epithets ("The Gardener") recur across canons on purpose; full names do not.
            if name.lower() in taken and not name.startswith("The "):
                continue
            if name in characters:
                continue
            taken.add(name.lower())
            characters.append(name)
        canons.append(Canon(fandom, tuple(characters), invented=True))
    return canons
