"""The named cast of every test (STYLE.md): alice writes, bob reads, carol is blocked by
alice, a wrangler, an admin, and the anonymous visitor (the plain `client`)."""

import pytest
from django.core.cache import caches
from django.test import Client

from quire.testing import make_user

# One session-wide Chromium for every app's browser tests.
from quire.testing_browser import browser, http_errors, open_page  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The real hasher is deliberately slow; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    # Uploaded files and built downloads in the test's own folder: test runs (and xdist's
    # workers, whose databases each start at id 1) must not find each other's files.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "downloads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "downloads")},
        },
    }


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, monkeypatch):
    # Background tasks run at enqueue time, inside the test's transaction.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # That transaction never commits, so what lib.tasks enqueues "on commit" is enqueued at
    # once (quire/lib/tests/test_tasks.py checks the real thing waits for the commit).
    monkeypatch.setattr("quire.lib.tasks.on_commit", lambda callback, using=None: callback())
    # Hits stay buffered until a test flushes them (quire/social/tests/test_hits.py).
    settings.HITS_FLUSH_SECONDS = 0
    # Subscription notices stay pending until a test sends them (quire/social/tests/).
    settings.NOTIFICATIONS_SECONDS = 0
    # Kudos wait for their digest until a test sends it (social/tests/test_kudos_emails.py).
    settings.KUDOS_DIGEST_SECONDS = 0


@pytest.fixture(autouse=True, scope="session")
def _private_page_generations(tmp_path_factory):
    # The generation table is a file shared by processes; a test run must not share it with a
    # dev server or another test run on the same machine.
    from quire.works import pagecache

    path = tmp_path_factory.mktemp("pagecache") / "page-generations"
    pagecache._generations = pagecache._FileGenerations(path)
    yield
    pagecache._generations = None


@pytest.fixture(autouse=True)
def _fresh_site_settings(monkeypatch):
    # Each worker keeps the site settings and the terms number for a few seconds; a test
    # starts from a fresh database's (without a query, so query budgets hold) and keeps what
    # it changes through the pages actions, however slowly it runs.
    from quire.pages import queries

    monkeypatch.setattr(queries, "SETTINGS_TTL", float("inf"))
    queries.assume_fresh_site()
    yield
    queries.forget_site_settings()
    queries.forget_required_terms()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Work pages cache fragments and guest pages; tests must not see each other's. Nor the
    # hits a process remembers having buffered (work ids repeat between tests).
    from quire.social.actions import forget_recent_hits

    caches["default"].clear()
    forget_recent_hits()
    yield
    caches["default"].clear()
    forget_recent_hits()


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def carol(db):
    return make_user("carol")


@pytest.fixture
def wrangler(db):
    user = make_user("wrangler")
    user.is_wrangler = True
    user.save(update_fields=["is_wrangler"])
    return user


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_staff=True, is_superuser=True)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def staff_session_for(user) -> Client:
    """A client logged in as `user` (staff) whose session passed the second factor, as the
    real TOTP sign-in leaves it (accounts.permissions.staff_mfa_ok), without typing a code:
    for tests about what staff do, not how they sign in (accounts/tests/test_mfa.py and
    test_admin_mfa.py sign in for real)."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    from quire.accounts.tests.browser_helpers import enable_totp

    enable_totp(user)
    client = client_for(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "username": user.username},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def alice_client(alice):
    return client_for(alice)


@pytest.fixture
def bob_client(bob):
    return client_for(bob)


@pytest.fixture
def admin_client_(admin_user):
    # Signed in as staff sign in: with the second factor (the admin and staff pages ask).
    return staff_session_for(admin_user)


@pytest.fixture
def viewers(client, alice, bob, admin_user):
    """The permission matrix's four clients: guest, reader, creator (alice), admin."""
    return {
        "guest": client,
        "bob": client_for(bob),
        "alice": client_for(alice),
        "admin": client_for(admin_user),
    }


@pytest.fixture
def wrangler_client(wrangler):
    return client_for(wrangler)


_SEEDED_ROWS: list[str] = []


@pytest.fixture(autouse=True)
def _seeded_rows_for_transactional_tests(request):
    """Transactional tests (the browser tests, for the live server; the PostgreSQL races) run
    against committed data, which Django empties after each. pytest-django restores the rows
    the migrations seed (fixed tags, languages) only when the database was set up for it,
    which depends on which test ran first; so the first such test keeps a copy of them, and
    each later one restores it when it finds the database empty."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.core import serializers

    from quire.pages.models import RulePage, RuleVersion
    from quire.tags.models import CommonTagging, Tag
    from quire.works.models import Language

    seeded = (Tag, CommonTagging, Language, RulePage, RuleVersion)  # what data migrations write
    if not _SEEDED_ROWS and Tag.objects.exists():
        _SEEDED_ROWS.append(
            serializers.serialize("json", [row for model in seeded for row in model.objects.all()])
        )
    if _SEEDED_ROWS and not Tag.objects.exists():
        for row in serializers.deserialize("json", _SEEDED_ROWS[0]):
            row.save()
    yield


@pytest.fixture
def limits_clock(monkeypatch, settings):
    """lib.limits' clock stopped at the start of a day, and its store emptied: a test's events
    all fall in one window, however slowly the database answers (fixed windows turn every
    `seconds`, and a test crossing a turn would start counting again). Yields a function that
    moves the clock on."""
    import types

    from quire.lib import limits

    now = [86400 * 20833]  # a multiple of every window the tests use
    monkeypatch.setattr(limits, "time", types.SimpleNamespace(time=lambda: now[0]))
    caches[limits.CACHE_ALIAS].clear()

    def advance(seconds: int) -> None:
        now[0] += seconds

    yield advance
    caches[limits.CACHE_ALIAS].clear()
