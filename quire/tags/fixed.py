"""AO3's fixed tag sets (AO3.md §1). The data migration that seeds them keeps its own copy,
because migrations never import app code; tests check the two agree."""

# name -> shows the adult-content gate
RATINGS: dict[str, bool] = {
    "Not Rated": True,
    "General Audiences": False,
    "Teen And Up Audiences": False,
    "Mature": True,
    "Explicit": True,
}
ADULT_RATINGS = frozenset(name for name, adult in RATINGS.items() if adult)

CHOOSE_NOT_TO_WARN = "Choose Not To Use Archive Warnings"
NO_WARNINGS = "No Archive Warnings Apply"
WARNINGS = [
    CHOOSE_NOT_TO_WARN,
    "Graphic Depictions Of Violence",
    "Major Character Death",
    NO_WARNINGS,
    "Rape/Non-Con",
    "Underage Sex",
]
# The label readers see for the stored choose-not-to warning.
WARNING_LABELS = {CHOOSE_NOT_TO_WARN: "Creator Chose Not To Use Archive Warnings"}

CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]

# The medium new fandoms wait under until a wrangler sorts them (seeded by migration 0005).
UNCATEGORIZED_FANDOMS = "Uncategorized Fandoms"

# Blurb symbol classes (AO3.md §9).
RATING_SYMBOLS = {
    "General Audiences": "rating-general-audience",
    "Teen And Up Audiences": "rating-teen",
    "Mature": "rating-mature",
    "Explicit": "rating-explicit",
    "Not Rated": "rating-notrated",
}
CATEGORY_SYMBOLS = {
    "Gen": "category-gen",
    "M/M": "category-slash",
    "F/M": "category-het",
    "F/F": "category-femslash",
    "Multi": "category-multi",
    "Other": "category-other",
}


def warning_symbol(names: list[str]) -> str:
    names_set = set(names)
    if names_set == {NO_WARNINGS}:
        return "warning-no"
    if names_set and names_set <= {CHOOSE_NOT_TO_WARN, NO_WARNINGS}:
        return "warning-choosenotto"
    return "warning-yes"


def category_symbol(names: list[str]) -> str:
    if not names:
        return "category-none"
    if len(names) > 1:
        return "category-multi"
    return CATEGORY_SYMBOLS.get(names[0], "category-other")
