"""Staff hiding a pseud (quire.moderation decides and logs; this writes the flag)."""

from django.db import transaction

from quire.works.models import Work
from quire.works.versions import do_bump_work_versions

from ..models import Pseud


def do_set_pseud_hidden(pseud: Pseud, *, hidden: bool) -> Pseud:
    """Hide a pseud's page from everyone but its user and staff (or show it again). Its works
    stay; their bylines name it without a link, so their versions are bumped."""
    with transaction.atomic():
        pseud.hidden_by_admin = hidden
        pseud.save(update_fields=["hidden_by_admin"])
        do_bump_work_versions(
            Work.objects.filter(creatorships__pseud=pseud).values_list("pk", flat=True)
        )
    return pseud
