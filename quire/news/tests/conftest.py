"""News fixtures: a staff editor with the news permissions, a staff member without them, and
a post factory that goes through the real action."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.utils import timezone

from quire.accounts.tests.browser_helpers import enable_totp
from quire.moderation.tests.conftest import staff_client_for
from quire.news.actions import NewsPostInput, do_create_news_post
from quire.news.models import NewsPost
from quire.pages.queries import assume_fresh_site, forget_site_settings
from quire.testing import make_user


def make_post(*, by=None, title="Archive news", body="<p>Hello.</p>", tags=(), **fields):
    published = fields.pop("published", True)
    published_at = fields.pop("published_at", None)
    post = do_create_news_post(
        NewsPostInput(
            title=title,
            body=body,
            tag_names=list(tags),
            published=published,
            comments_allowed=fields.pop("comments_allowed", True),
        ),
        by=by,
    )
    if published_at is not None:
        NewsPost.objects.filter(pk=post.pk).update(published_at=published_at)
        post.refresh_from_db()
    return post


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def editor(db):
    user = make_user("editor", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="news",
            codename__in=["add_newspost", "change_newspost", "delete_newspost"],
        )
    )
    enable_totp(user)  # staff pages need the second factor
    return user


@pytest.fixture
def editor_client(editor):
    return staff_client_for(editor)


@pytest.fixture
def helper(db):
    """Staff, but without the news permissions."""
    user = make_user("helper", is_staff=True)
    enable_totp(user)
    return user


@pytest.fixture(autouse=True)
def _fresh_limits_and_settings(settings):
    settings.SPAM_MIN_FORM_SECONDS = 0
    caches["ratelimit"].clear()
    # A fresh site's settings, known without a query (quire/conftest.py): the front page's
    # banner reads them on every request.
    assume_fresh_site()
    yield
    forget_site_settings()
