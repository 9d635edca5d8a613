"""Settings for bench/serve.py: the app's own settings, plus a bench-only URLconf that adds
the bare comparison view. Nothing in quire/ knows about it."""

from quire.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
DEBUG = False
