"""Reads for downloads: which works a reader may download (`access_downloadable_work`,
`downloadable_series_works`, both from `quire.works.queries.visible_works`, the one door), and
what their files show, in a fixed number of queries however many chapters, tags or works."""

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, cast
from urllib.parse import quote

from django.conf import settings
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404

from quire.lib.site import site_url as lib_site_url
from quire.tags.names import tag_to_url_part
from quire.works.models import Chapter, Creatorship, SerialWork, Series, Tagging, Work
from quire.works.presenters import TagGroup, group_tags
from quire.works.queries import access_work, series_works, visible_works, with_creators

MULTIFANDOM_AFTER = 3


@dataclass
class SeriesPlace:
    position: int
    series: Series
    url: str


@dataclass
class WorkContent:
    """One work as its downloads show it (AO3.md §10)."""

    work: Work
    site_name: str
    site_url: str
    work_url: str
    creators: list  # Creatorships with pseud and user
    tag_groups: list[TagGroup]
    fandoms: list[str]
    series: list[SeriesPlace]
    chapters: list[Chapter]
    tag_urls: dict[int, str] = field(default_factory=dict)

    @property
    def oneshot(self) -> bool:
        return self.work.is_oneshot and len(self.chapters) <= 1

    @property
    def creator_names(self) -> list[str]:
        if self.work.anonymous:
            return ["Anonymous"]
        return [c.pseud.name for c in self.creators]

    @property
    def document_title(self) -> str:
        """<title>: "Title - creators - fandoms", "Multifandom" past three fandoms."""
        fandoms = (
            "Multifandom" if len(self.fandoms) > MULTIFANDOM_AFTER else ", ".join(self.fandoms)
        )
        return " - ".join(
            part for part in (self.work.title, ", ".join(self.creator_names), fandoms) if part
        )

    @property
    def status_date(self) -> tuple[str, date] | None:
        """("Updated"|"Completed", date) when the last change is later than the first posting."""
        published, revised = self.work.published_at, self.work.revised_at
        if not published or not revised or revised.date() <= published:
            return None
        return ("Completed" if self.work.complete else "Updated", revised.date())

    @property
    def last_change(self):
        return self.work.revised_at or self.work.updated_at

    def pseud_url(self, creatorship) -> str:
        pseud = creatorship.pseud
        return f"{self.site_url}/users/{quote(pseud.user.username)}/pseuds/{quote(pseud.name)}"


def site_url() -> str:
    return lib_site_url()


def tag_absolute_url(name: str) -> str:
    """AO3's download tag links: the tag page, absolute, without /works."""
    return f"{site_url()}/tags/{quote(tag_to_url_part(name), safe='*')}"


_PREFETCHES = (
    Prefetch("taggings", queryset=Tagging.objects.select_related("tag").order_by("id")),
    Prefetch(
        "serial_works",
        queryset=SerialWork.objects.filter(series__hidden_by_admin=False)
        .exclude(series__pseuds__user__spammer=True)
        .select_related("series")
        .order_by("series_id"),
        to_attr="download_serial_works",
    ),
    Prefetch(
        "creatorships",
        queryset=Creatorship.objects.select_related("pseud__user").order_by("position", "id"),
    ),
    Prefetch(
        "chapters",
        # A chapter staff hid is out of every download, as it is out of the work page.
        queryset=Chapter.objects.filter(posted=True, hidden_by_admin=False).order_by("position"),
        to_attr="download_chapters",
    ),
)


class _Prefetched(Protocol):
    """The lists _PREFETCHES sets on each work (to_attr), for the type checker."""

    download_serial_works: list[SerialWork]
    download_chapters: list[Chapter]


def work_contents(works: list[Work]) -> list[WorkContent]:
    """What these works' downloads show, read in one query per kind of row."""
    prefetch_related_objects(works, "language", *_PREFETCHES)
    base = site_url()
    contents = []
    for work in works:
        tags = [tagging.tag for tagging in work.taggings.all()]
        groups = group_tags(tags)
        prefetched = cast(_Prefetched, work)
        contents.append(
            WorkContent(
                work=work,
                site_name=settings.SITE_NAME,
                site_url=base,
                work_url=f"{base}/works/{work.pk}",
                creators=[] if work.anonymous else list(work.creatorships.all()),
                tag_groups=groups,
                fandoms=[tag.name for tag in tags if tag.type == "fandom"],
                series=[
                    SeriesPlace(sw.position, sw.series, f"{base}/series/{sw.series_id}")
                    for sw in prefetched.download_serial_works
                ],
                chapters=prefetched.download_chapters,
                tag_urls={tag.pk: tag_absolute_url(tag.name) for tag in tags},
            )
        )
    return contents


def work_content(work: Work) -> WorkContent:
    return work_contents([work])[0]


def access_downloadable_work(viewer, work_id: int) -> Work:
    """A work whose files `viewer` may download: one of `visible_works(viewer)`, so never a
    draft, a hidden work or one in an unrevealed collection, not even for its creators or
    admins (who may still read it on the site). A guest asking for a restricted work gets
    RestrictedWork (the login redirect); anything else missing is Http404, as in access_work."""
    work = with_creators(
        visible_works(viewer).select_related("language", "stats").filter(pk=work_id)
    ).first()
    if work is None:
        access_work(viewer, work_id)  # raises RestrictedWork for a guest on a restricted work
        raise Http404("No such work.")
    return work


def downloadable_series_works(series: Series, viewer) -> QuerySet[Work]:
    """The series' works this viewer may read, in series order, ready for work_contents."""
    return series_works(series, viewer).select_related("language")
