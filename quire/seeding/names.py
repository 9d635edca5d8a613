"""Invented names for the demo archive: usernames, pseuds, canons and their characters.

Everything here is made up from the word lists below, so no demo account or invented canon
borrows a real person's or a real book's name.
"""

import random


def _words(text: str) -> list[str]:
    return text.split()


_HANDLE_ADJECTIVES = _words(
    "quiet inky velvet paper rainy sleepy salty mossy amber cobalt hazel tidal starry marigold "
    "juniper clover thistle willow saffron misty copper silver lantern autumn woolly sunny "
    "midnight honey minty foggy"
)
_HANDLE_NOUNS = _words(
    "moth lark teacup quill otter fern heron wren biscuit compass kettle sparrow meadow comet "
    "pebble acorn finch badger marmalade teapot inkwell lantern scarf harbour orchard thimble "
    "crumpet puffin tortoise hedgehog"
)
_PSEUD_PLACES = _words(
    "Library Orchard Attic Harbour Garden Teashop Lighthouse Greenhouse Meadow Stacks"
)

_FIRST_NAMES = _words(
    "Mira Tobias Ines Oren Sable Wren Anselm Priya Kaito Ada Corwin Liesel Emeka Noor Rafe "
    "Isolde Tamsin Yusuf Hana Felix Marisol Bram Odette Soren Zainab Ilya Clemence Dario "
    "Ottoline Jun Rosalind Teodor Amara Lucan Maren Cass Elio Vesna Kit Hollis Juno Ansel "
    "Perpetua Bastian Leilani Idris Saoirse Matthias Esme Tariq Margit Rowan Delphine Kofi "
    "Agnieszka Lior Beatrix Casimir Niamh Thaddeus Yara Ezra Ondine Florian Sunniva Quentin"
)
_LAST_NAMES = _words(
    "Holt Vance Marlowe Achterberg Okafor Quill Ferreira Lindqvist Ashdown Kobayashi Reyes "
    "Thorne Delacroix Bellweather Nakamura Osei Castellan Fairweather Whitlock Haverford Ivers "
    "Moreau Sato Penhallow Greaves Adeyemi Larkspur Rowntree Valdes Brightwater Okonkwo "
    "Szabo Hollowell Mirza Everdell Kestrel Tamura Oyelaran Winterbourne Calloway Nightingale "
    "Abernathy Kowalczyk Sorensen Marchetti Ravensworth"
)
_EPITHETS = (
    "The Cartographer", "The Lighthouse Keeper", "The Archivist", "The Clockmaker",
    "The Ferryman", "The Beekeeper", "The Gardener", "The Stranger", "The Innkeeper",
    "The Letter Carrier",
)  # fmt: skip
_TITLES = ("Captain", "Professor", "Doctor", "Lady", "Lord", "Sister", "Auntie")

_CANON_ADJECTIVES = _words(
    "Glass Quiet Silver Paper Golden Winter Hollow Borrowed Secret Gentle Lantern-lit Early "
    "Distant Little Green Salt Velvet Copper Sleeping Wandering Northern Last Amber Painted "
    "Midnight Clockwork Starless Sunken Crimson Whispering Lonely Invisible"
)
_CANON_NOUNS = _words(
    "Orchard Garden Harbour Lantern Kingdom Season Ribbon Compass Lighthouse Library Meadow "
    "Tide Thread Archive Carousel Observatory Cartographer Orchestra Ferry Academy Bakery "
    "Menagerie Atlas Citadel Conservatory Expedition Hotel Railway Inn Circus Monastery Bridge"
)
_CANON_PLURALS = _words(
    "Lanterns Letters Ravens Keys Comets Bells Foxes Islands Moths Tides Songs Maps Clocks "
    "Kites Roses Stars Whales Gardens Crowns Ghosts"
)


def usernames(rng: random.Random, count: int, *, taken: set[str]) -> list[str]:
    """`count` distinct valid usernames ([A-Za-z0-9_], alphanumeric at both ends, 3-40)."""
    names: list[str] = []
    while len(names) < count:
        adjective, noun = rng.choice(_HANDLE_ADJECTIVES), rng.choice(_HANDLE_NOUNS)
        shape = rng.random()
        if shape < 0.35:
            name = f"{adjective}{noun}"
        elif shape < 0.6:
            name = f"{adjective}_{noun}"
        elif shape < 0.8:
            # The range grows with the list, so any number of accounts finds free names.
            name = f"{adjective}{noun}{rng.randint(1, 99 + len(names))}"
        elif shape < 0.9:
            name = f"{noun.capitalize()}{adjective.capitalize()}"
        else:
            name = f"the_{adjective}_{noun}"
        if name.lower() not in taken:
            taken.add(name.lower())
            names.append(name)
    return names


def pseud_names(rng: random.Random, username: str, count: int) -> list[str]:
    """`count` extra pseud names for one user, distinct from each other and the username."""
    names: list[str] = []
    seen = {username.lower()}
    while len(names) < count:
        adjective, noun = rng.choice(_HANDLE_ADJECTIVES), rng.choice(_HANDLE_NOUNS)
        shape = rng.random()
        if shape < 0.4:
            name = f"{adjective.capitalize()} {noun.capitalize()}"
        elif shape < 0.7:
            name = f"{noun.capitalize()} in the {rng.choice(_PSEUD_PLACES)}"
        else:
            name = f"{noun}writes"
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def person_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.07:
        return rng.choice(_EPITHETS)
    if roll < 0.14:
        return f"{rng.choice(_TITLES)} {rng.choice(_LAST_NAMES)}"
    if roll < 0.22:
        return rng.choice(_FIRST_NAMES)
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def canon_title(rng: random.Random) -> str:
    """An invented canon's title, e.g. "The Glass Orchard" or "Seven Lanterns"."""
    adjective, noun = rng.choice(_CANON_ADJECTIVES), rng.choice(_CANON_NOUNS)
    roll = rng.random()
    if roll < 0.45:
        return f"The {adjective} {noun}"
    if roll < 0.6:
        number = rng.choice(("Three", "Seven", "Twelve", "A Hundred"))
        return f"{number} {rng.choice(_CANON_PLURALS)}"
    if roll < 0.75:
        return f"{rng.choice(_CANON_PLURALS)} of the {adjective} {noun}"
    if roll < 0.88:
        return f"{adjective} {rng.choice(_CANON_PLURALS)}"
    return f"{rng.choice(_FIRST_NAMES)} and the {noun}"
