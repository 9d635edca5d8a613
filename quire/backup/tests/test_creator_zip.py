"""/users/:login/works/export.zip: a creator downloads all of their works at once, and nobody
else can."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.accounts.actions import do_create_pseud
from quire.testing import make_work, parse, set_work_fields

pytestmark = pytest.mark.django_db

URL = "/users/alice/works/export.zip"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://quire.example.org"


def unzip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="alice_works.zip"'
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def works(alice, bob):
    shared = make_work(
        author=alice,
        title="Letters Across the Moor",
        pseuds=[alice.pseuds.get(), bob.pseuds.get()],
        characters=("Elizabeth Bennet",),
        freeforms=("Letters",),
        chapters=2,
        summary="<p>Letters, mostly.</p>",
        new_series_title="The Moor Letters",
    )
    quill = do_create_pseud(alice, "Quill")
    return {
        "shared": shared,
        "draft": make_work(author=alice, title="Unfinished Thing", posted=False),
        "restricted": make_work(author=alice, title="Members Only", restricted=True),
        "anonymous": make_work(author=alice, title="Nobody Knows", pseuds=[quill]),
        "unrevealed": make_work(author=alice, title="Gift Exchange"),
        "twin": make_work(author=alice, title="Letters Across the Moor"),
        "bobs": make_work(author=bob, title="Bob's Own"),
    }


def test_it_zips_each_of_the_creators_works_as_epub_html_and_json(alice_client, works):
    set_work_fields(works["anonymous"], anonymous=True)
    set_work_fields(works["unrevealed"], in_unrevealed_collection=True)
    bundle = unzip(alice_client.get(URL))
    names = sorted(bundle.namelist())
    stems = {
        "Letters_Across_the_Moor",
        f"Letters_Across_the_Moor_Work_{works['twin'].pk}",
        "Unfinished_Thing",
        "Members_Only",
        "Nobody_Knows",
        "Gift_Exchange",
    }
    assert names == sorted(f"{stem}.{ext}" for stem in stems for ext in ("epub", "html", "json"))

    meta = json.loads(bundle.read("Letters_Across_the_Moor.json"))
    shared = works["shared"]
    assert meta["id"] == shared.pk
    assert meta["title"] == "Letters Across the Moor"
    assert meta["url"] == f"https://quire.example.org/works/{shared.pk}"
    assert meta["creators"] == [
        {"pseud": "alice", "login": "alice"},
        {"pseud": "bob", "login": "bob"},
    ]
    assert meta["tags"]["rating"] == ["General Audiences"]
    assert meta["tags"]["character"] == ["Elizabeth Bennet"]
    assert meta["tags"]["freeform"] == ["Letters"]
    assert meta["language"] == {"code": "en", "name": "English"}
    assert meta["chapters"]["posted"] == 2
    assert [c["position"] for c in meta["chapters"]["list"]] == [1, 2]
    assert meta["words"] == shared.word_count
    assert meta["summary"] == "<p>Letters, mostly.</p>"
    assert meta["series"][0]["title"] == "The Moor Letters"
    assert meta["published"] == shared.published_at.isoformat()
    assert (meta["draft"], meta["restricted"], meta["anonymous"]) == (False, False, False)

    draft = json.loads(bundle.read("Unfinished_Thing.json"))
    assert draft["draft"] is True
    assert draft["chapters"]["list"][0]["posted"] is False
    # The draft's text is in its files, though nobody else can read it yet.
    assert "The rain had stopped" in bundle.read("Unfinished_Thing.html").decode()
    assert json.loads(bundle.read("Members_Only.json"))["restricted"] is True
    anonymous = json.loads(bundle.read("Nobody_Knows.json"))
    assert anonymous["anonymous"] is True
    assert anonymous["creators"] == [{"pseud": "Quill", "login": "alice"}]
    assert json.loads(bundle.read("Gift_Exchange.json"))["in_unrevealed_collection"] is True

    page = bundle.read("Letters_Across_the_Moor.html").decode()
    assert "Letters Across the Moor" in page
    book = zipfile.ZipFile(io.BytesIO(bundle.read("Letters_Across_the_Moor.epub")))
    assert book.read("mimetype") == b"application/epub+zip"
    assert bundle.getinfo("Members_Only.epub").compress_type == zipfile.ZIP_STORED


def test_it_holds_nothing_private_of_anyone_else(alice_client, works, bob):
    bundle = unzip(alice_client.get(URL))
    everything = b"".join(bundle.read(name) for name in bundle.namelist())
    assert bob.email.encode() not in everything
    assert b"Bob's Own" not in everything
    assert b"Bob&#x27;s Own" not in everything


@pytest.mark.parametrize("viewer", ["guest", "bob", "admin"])
def test_nobody_but_the_creator_gets_it(viewers, viewer, works):
    assert viewers[viewer].get(URL).status_code == 404


def test_a_missing_user_is_404(alice_client):
    assert alice_client.get("/users/nobody/works/export.zip").status_code == 404


def test_it_is_an_empty_zip_for_a_creator_without_works(alice_client):
    assert unzip(alice_client.get(URL)).namelist() == []


def test_the_dashboard_offers_it_to_the_owner_alone(viewers, works):
    for name, client in viewers.items():
        doc = parse(client.get("/users/alice"))
        links = doc.xpath("//a[text()='Download all my works']/@href")
        assert links == ([URL] if name == "alice" else []), name


def test_its_queries_do_not_grow_with_the_number_of_works(alice, alice_client, bob):
    def queries_for_zip() -> int:
        with CaptureQueriesContext(connection) as queries:
            b"".join(alice_client.get(URL).streaming_content)
        return len(queries)

    make_work(author=alice, title="One", pseuds=[alice.pseuds.get(), bob.pseuds.get()])
    few = queries_for_zip()
    for number in range(8):
        make_work(author=alice, title=f"More {number}", chapters=2, freeforms=(f"Tag {number}",))
    assert queries_for_zip() == few  # 9 works: still one batch (BATCH = 20 works)


def test_each_batch_of_works_costs_the_same_few_queries(alice, alice_client, monkeypatch):
    from quire.backup import creator_zip

    monkeypatch.setattr(creator_zip, "BATCH", 2)

    def queries_for_zip() -> int:
        with CaptureQueriesContext(connection) as queries:
            b"".join(alice_client.get(URL).streaming_content)
        return len(queries)

    counts = []
    for number in range(3):
        make_work(author=alice, title=f"Odd {number}", chapters=number + 1)
        make_work(author=alice, title=f"Even {number}", freeforms=(f"Tag {number}",))
        counts.append(queries_for_zip())  # 1, 2, then 3 batches
    per_batch = counts[1] - counts[0]
    assert counts[2] - counts[1] == per_batch
    assert per_batch <= 10  # so a work costs at most 10 / BATCH queries
