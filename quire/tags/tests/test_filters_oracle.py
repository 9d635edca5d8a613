"""Random taxonomies, random wrangling: after every step the filter table, the crossover and
the OTP flags equal a brute-force recomputation from the raw rows."""

from itertools import combinations

from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from quire.tags import actions
from quire.tags.models import FilterTagging, MetaTagging, Tag, TagType
from quire.testing import make_user, make_work, metatags_above
from quire.works.models import Tagging, Work

FREEFORMS = [f"Trope {n}" for n in range(6)]
FANDOMS = [f"Canon {n}" for n in range(4)]
RELATIONSHIPS = ["A/B", "A & B", "C/D"]
NAMES = FREEFORMS + FANDOMS + RELATIONSHIPS

# Wrangling only succeeds between tags of one type, so pairs are drawn within a type.
same_type_pair = st.sampled_from([FREEFORMS, FANDOMS, RELATIONSHIPS]).flatmap(
    lambda group: st.tuples(st.sampled_from(group), st.sampled_from(group))
)


def _op(kind: str, pairs=same_type_pair):
    return pairs.map(lambda pair: (kind, *pair))


operation = st.one_of(
    st.tuples(st.just("canonical"), st.sampled_from(NAMES), st.booleans()),
    _op("synonym"),
    # Undoing picks among the links that exist at that moment, so undos happen often.
    st.tuples(st.just("unsynonym"), st.integers(0, 20), st.just(None)),
    _op("meta"),
    _op("meta"),
    st.tuples(st.just("unmeta"), st.integers(0, 20), st.just(None)),
)
work_tags = st.tuples(
    st.lists(st.sampled_from(FANDOMS), min_size=1, max_size=3, unique=True),
    st.lists(st.sampled_from(FREEFORMS), max_size=4, unique=True),
    st.lists(st.sampled_from(RELATIONSHIPS), max_size=2, unique=True),
)


def oracle() -> dict[int, tuple[dict[int, bool], bool, bool]]:
    """Each work's expected (filter set, crossover, otp), from the rows, in plain Python."""
    tags = {tag.pk: tag for tag in Tag.objects.all()}
    above = metatags_above()

    expected = {}
    for work in Work.objects.all():
        own = [tags[t] for t in Tagging.objects.filter(work=work).values_list("tag_id", flat=True)]
        roots = {tag.merger_id or tag.pk for tag in own if tag.canonical or tag.merger_id}
        filters = {tag_id: False for tag_id in roots}
        for tag_id in roots:
            for meta_id in above(tag_id):
                filters.setdefault(meta_id, True)
        fandoms = {tag.merger_id or tag.pk for tag in own if tag.type == TagType.FANDOM}
        families = [{f} | above(f) for f in fandoms]
        crossover = any(not (a & b) for a, b in combinations(families, 2))
        relationships = {tag.merger_id or tag.pk for tag in own if tag.type == TagType.RELATIONSHIP}
        expected[work.pk] = (filters, crossover, len(relationships) == 1)
    return expected


def actual() -> dict[int, tuple[dict[int, bool], bool, bool]]:
    rows: dict[int, dict[int, bool]] = {}
    for work_id, tag_id, inherited in FilterTagging.objects.values_list(
        "work_id", "tag_id", "inherited"
    ):
        rows.setdefault(work_id, {})[tag_id] = inherited
    return {
        work.pk: (rows.get(work.pk, {}), work.crossover, work.otp) for work in Work.objects.all()
    }


def apply(step) -> None:
    kind, first, second = step
    try:
        if kind == "unsynonym":
            synonyms = list(Tag.objects.filter(merger__isnull=False).order_by("pk"))
            if synonyms:
                actions.do_remove_synonym(synonyms[first % len(synonyms)])
            return
        if kind == "unmeta":
            links = list(MetaTagging.objects.select_related("meta", "sub").order_by("pk"))
            if links:
                link = links[first % len(links)]
                actions.do_remove_metatag(link.sub, link.meta)
            return
        tag = Tag.objects.get(name=first)
        if kind == "canonical":
            actions.do_set_canonical(tag, second)
        elif kind == "synonym":
            actions.do_make_synonym(tag, Tag.objects.get(name=second))
        elif kind == "meta":
            actions.do_add_metatag(tag, Tag.objects.get(name=second))
    except actions.WranglingError:
        pass  # a refused change must leave everything as it was; the check below sees it


class FilterOracleTests(TestCase):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        canon=st.sets(st.sampled_from(NAMES), min_size=7),
        works=st.lists(work_tags, min_size=1, max_size=3),
        steps=st.lists(operation, min_size=1, max_size=15),
    )
    def test_filters_match_a_brute_force_recomputation_after_every_step(self, canon, works, steps):
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        ):
            author = make_user("oracle")
            for names, tag_type in (
                (FREEFORMS, TagType.FREEFORM),
                (FANDOMS, TagType.FANDOM),
                (RELATIONSHIPS, TagType.RELATIONSHIP),
            ):
                actions.do_find_or_create_tags(names, tag_type)
            for name in sorted(canon):
                actions.do_set_canonical(Tag.objects.get(name=name), True)
            for fandoms, freeforms, relationships in works:
                make_work(
                    author=author,
                    fandoms=tuple(fandoms),
                    freeforms=tuple(freeforms),
                    relationships=tuple(relationships),
                )
            assert actual() == oracle()
            for step in steps:
                apply(step)
                assert actual() == oracle(), step
