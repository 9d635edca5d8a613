"""The rules pages at AO3's URLs, their history, and staff editing them in the site."""

import pytest

from quire.conftest import client_for
from quire.moderation.models import ActivityEntry
from quire.pages.models import RulePage, RuleVersion
from quire.pages.queries import current_version
from quire.pages.tests.conftest import staff_client
from quire.testing import form_value, parse, text_of

pytestmark = pytest.mark.django_db

SLUGS = ["tos", "content", "privacy", "faq", "about"]


@pytest.mark.parametrize("slug", SLUGS)
def test_each_rules_page_shows_its_starting_text_date_and_history_link(client, slug):
    response = client.get(f"/{slug}")
    assert response.status_code == 200
    doc = parse(response)
    version = current_version(slug)
    assert version is not None and version.number == 1
    assert text_of(doc.xpath("//div[@class='userstuff']")[0]).strip()
    assert version.created_at.strftime("%Y") in text_of(doc.xpath("//p[@class='meta']")[0])
    assert doc.xpath(f"//a[@href='/{slug}/versions']")


def test_the_privacy_page_says_what_quire_stores(client):
    body = client.get("/privacy").content.decode().lower()
    for word in ("e-mail", "hashed", "reading history"):
        assert word in body


def test_the_footer_links_the_five_pages(client):
    doc = parse(client.get("/"))
    links = {a.get("href") for a in doc.xpath("//footer[@id='footer']//a")}
    assert {f"/{slug}" for slug in SLUGS} <= links


def test_history_lists_versions_with_notes_and_shows_each(client, editor_client):
    editor_client.post("/tos/edit", {"body": "<p>Be kinder.</p>", "change_note": "Kinder."})
    doc = parse(client.get("/tos/versions"))
    items = doc.xpath("//li[@class='version']")
    assert len(items) == 2
    assert "Kinder." in text_of(items[0])
    old = client.get("/tos/versions/1")
    assert old.status_code == 200
    assert "see the current version" in old.content.decode()
    assert "Be kinder." in client.get("/tos/versions/2").content.decode()


@pytest.mark.parametrize(
    "path", ["/tos/versions/9", "/tos/versions/99999999999999999999999", "/rules"]
)
def test_a_missing_version_or_page_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_who_may_edit(client, bob, plain_staff, editor_client):
    assert client.get("/tos/edit").status_code == 302  # to log in
    assert client_for(bob).get("/tos/edit").status_code == 404
    assert staff_client(plain_staff).get("/tos/edit").status_code == 404
    response = editor_client.get("/tos/edit")
    assert response.status_code == 200
    # The form starts from the current text.
    assert form_value(parse(response), "body").strip() == current_version("tos").body.strip()
    assert client_for(bob).post("/tos/edit", {"body": "<p>Mine</p>"}).status_code == 404
    assert RuleVersion.objects.filter(page__slug="tos").count() == 1


def test_saving_publishes_a_sanitized_new_version_and_logs_it(editor, editor_client):
    response = editor_client.post(
        "/content/edit",
        {"body": '<p onclick="x()">New rules<script>alert(1)</script></p>', "change_note": "Tidy"},
    )
    assert response.status_code == 302
    first, second = RuleVersion.objects.filter(page__slug="content").order_by("number")
    assert second.number == 2
    assert "script" not in second.body and "onclick" not in second.body
    assert "New rules" in second.body
    assert second.created_by == editor and second.change_note == "Tidy"
    assert not second.needs_acceptance  # only the terms ask for acceptance
    assert "New rules" not in first.body  # versions are never edited
    entry = ActivityEntry.objects.get(action="publish_rule_version")
    assert entry.actor == editor and entry.target == second and entry.note == "Tidy"


def test_only_the_terms_form_offers_acceptance(editor_client):
    assert b"needs_acceptance" in editor_client.get("/tos/edit").content
    assert b"needs_acceptance" not in editor_client.get("/faq/edit").content
    editor_client.post("/faq/edit", {"body": "<p>Q</p>", "needs_acceptance": "on"})
    assert not current_version("faq").needs_acceptance


def test_a_rejected_form_keeps_the_text(editor_client):
    deep = "<div>" * 200 + "Deep text" + "</div>" * 200
    response = editor_client.post("/about/edit", {"body": deep, "change_note": "My note"})
    assert response.status_code == 200
    doc = parse(response)
    assert doc.xpath("//*[@id='error']")
    assert "Deep text" in form_value(doc, "body")
    assert form_value(doc, "change_note") == "My note"
    assert RulePage.objects.get(slug="about").versions.count() == 1
