"""Pseuds: the names a user writes under."""

import secrets
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction

from quire.social.models import Bookmark, Comment
from quire.works.models import Creatorship, Series, Work
from quire.works.versions import do_bump_work_versions

from ..icons import Icon
from ..models import Pseud, User


def do_create_pseud(user: User, name: str, description: str = "") -> Pseud:
    return Pseud.objects.create(user=user, name=name, description=description)


def do_update_pseud(pseud: Pseud, *, name: str, description: str, **icon_fields) -> Pseud:
    """Rename a pseud, change its description and its icon's alt text and comment
    (`icon_alt_text`, `icon_comment`). Bylines are part of cached work pages, so its works get
    a new version when the name changes."""
    with transaction.atomic():
        renamed = pseud.name != name
        pseud.name = name
        pseud.description = description
        fields = ["name", "description"]
        for field in ("icon_alt_text", "icon_comment"):
            if field in icon_fields:
                setattr(pseud, field, icon_fields[field])
                fields.append(field)
        pseud.save(update_fields=fields)
        if renamed:
            do_bump_work_versions(pseud_work_ids([pseud.pk]))
    return pseud


def do_set_pseud_icon(pseud: Pseud, icon: Icon | None) -> Pseud:
    """Store `icon` (already checked and resized, accounts.icons.check_icon) as the pseud's
    icon, or remove it (None). The old file goes once the change is committed; a new file
    gets a new name, so no browser keeps showing the old one."""
    old = pseud.icon.name
    with transaction.atomic():
        if icon is None:
            pseud.icon = None
            pseud.icon_alt_text = ""
            pseud.icon_comment = ""
        else:
            name = f"{pseud.user_id}-{pseud.pk}-{secrets.token_hex(4)}.{icon.extension}"
            pseud.icon.save(name, ContentFile(icon.content), save=False)
        pseud.save(update_fields=["icon", "icon_alt_text", "icon_comment"])
        if old:
            storage = pseud.icon.storage
            transaction.on_commit(lambda: storage.delete(old))
    return pseud


def do_make_pseud_default(pseud: Pseud) -> Pseud:
    """Make `pseud` its user's default (the one new works are credited to), in place of the
    old default."""
    with transaction.atomic():
        Pseud.objects.filter(user_id=pseud.user_id, is_default=True).exclude(pk=pseud.pk).update(
            is_default=False
        )
        Pseud.objects.filter(pk=pseud.pk).update(is_default=True)
        pseud.is_default = True
    return pseud


def do_delete_pseud(pseud: Pseud) -> None:
    """Delete a pseud that is not its user's default; its works, series, bookmarks and
    comments move to the default pseud (AO3's rule), and the works get a new version (their
    byline changed). Callers refuse the default pseud."""
    with transaction.atomic():
        default = Pseud.objects.select_for_update().get(user_id=pseud.user_id, is_default=True)
        if default.pk == pseud.pk:
            raise ValueError("The default pseud can't be deleted.")
        work_ids = pseud_work_ids([pseud.pk])
        move_pseud_credits([pseud.pk], default)
        Bookmark.objects.filter(pseud=pseud).update(pseud=default)
        Comment.objects.filter(pseud=pseud).update(pseud=default)
        old_icon = pseud.icon.name
        storage = pseud.icon.storage
        pseud.delete()
        do_bump_work_versions(work_ids)
        if old_icon:
            transaction.on_commit(lambda: storage.delete(old_icon))


def pseud_work_ids(pseud_ids: Iterable[int]) -> list[int]:
    return list(
        Work.objects.filter(creatorships__pseud_id__in=list(pseud_ids))
        .values_list("pk", flat=True)
        .distinct()
    )


def move_pseud_credits(
    pseud_ids: Iterable[int],
    to: Pseud,
    *,
    work_ids: Iterable[int] | None = None,
    series_ids: Iterable[int] | None = None,
) -> None:
    """Credit `to` with the works and series these pseuds are credited on (only those of
    `work_ids` and `series_ids` when given), keeping each byline's place. A work already
    crediting `to` just loses the moved pseud. The caller bumps the works' versions."""
    pseud_ids = list(pseud_ids)
    rows = Creatorship.objects.filter(pseud_id__in=pseud_ids).order_by("work_id", "position")
    if work_ids is not None:
        rows = rows.filter(work_id__in=list(work_ids))
    for row in rows:
        if Creatorship.objects.filter(work_id=row.work_id, pseud=to).exists():
            row.delete()
        else:
            row.pseud = to
            row.save(update_fields=["pseud"])
    series = Series.objects.filter(pseuds__pk__in=pseud_ids).distinct()
    if series_ids is not None:
        series = series.filter(pk__in=list(series_ids))
    for one in series:
        one.pseuds.remove(*pseud_ids)
        one.pseuds.add(to)
