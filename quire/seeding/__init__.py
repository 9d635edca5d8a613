"""The demo archive behind `manage.py seed_demo`: generated, benign, and the same for the same
seed.

plan.py decides everything as plain data (canons.py and names.py supply the vocabulary,
text.py the prose); archive.py writes it in bulk, row for row what the actions would write;
wrangling.py sorts the taxonomy as AO3's wranglers would have; login.py keeps the demo
accounts' passwords in the data directory.
"""

from pathlib import Path

from django.utils import timezone

from .archive import SeedError, Written, write_archive
from .login import demo_password, wrangler_password, write_demo_login
from .plan import DEMO_USERNAME, DEMO_WRANGLER, plan_archive

__all__ = ["DEMO_USERNAME", "DEMO_WRANGLER", "SeedError", "Written", "seed_demo"]


def seed_demo(*, works: int, seed: int, data_dir: Path, progress=None) -> Written:
    """Plan and write a demo archive of `works` works into an archive without works.

    Side effect: the logins of the demo account and the demo wrangler are stored in
    `data_dir` (see login.py) once the archive is written.
    """
    password, wrangler = demo_password(data_dir), wrangler_password(data_dir)
    plan = plan_archive(works, seed=seed, now=timezone.now())
    written = write_archive(
        plan, demo_password=password, wrangler_password=wrangler, progress=progress
    )
    write_demo_login(data_dir, password, wrangler)
    return written
