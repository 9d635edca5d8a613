"""The demo archive's one news post, so the front page and /admin_posts show something."""

from quire.news.actions import NewsPostInput, do_create_news_post
from quire.news.models import NewsPost

WELCOME_TITLE = "Welcome to the demo archive"
WELCOME_BODY = """Welcome! This archive is a demonstration: its works, writers and tags were \
generated, and its text is harmless filler.

Browse the works, search them with the sidebar's filters, leave kudos and comments, or log \
in with the demo account to post a work of your own.

News from the archive's staff appears here, and in the feed."""


def write_welcome_post() -> NewsPost:
    """The welcome post, written once (a second seed of an emptied archive keeps the first)."""
    existing = NewsPost.objects.filter(title=WELCOME_TITLE).first()
    if existing is not None:
        return existing
    data = NewsPostInput(
        title=WELCOME_TITLE, body=WELCOME_BODY, tag_names=["Welcome"], published=True
    )
    return do_create_news_post(data, by=None)
