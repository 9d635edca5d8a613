"""Pseud icons (AO3-INVENTORY §2.7): JPEG, PNG or GIF up to 500 KB, shrunk to fit 100x100
with Pillow, stored with Django's storage; alt text (≤ 250) and a comment (≤ 50). Anything
Pillow can't open, too many bytes, or too many pixels is refused with a message."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from quire.accounts.actions import do_create_pseud
from quire.accounts.models import Pseud
from quire.testing import assert_form_shows, parse

pytestmark = pytest.mark.django_db

EDIT = "/users/alice/pseuds/alice/edit"


def image_file(
    size=(300, 200), fmt="PNG", name="icon.png", color=(200, 30, 30)
) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def bomb_png(width=20_000, height=20_000) -> bytes:
    """A tiny PNG whose header declares width x height pixels (most of them never stored)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" + b"\x00" * 3 * 10)  # one short row; the rest is missing
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def edit(client, icon, **fields):
    data = {"name": "alice", "description": "", "icon_alt_text": "", "icon_comment": ""}
    data.update(fields)
    if icon is not None:
        data["icon"] = icon
    return client.post(EDIT, data)


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "png")])
def test_an_icon_is_shrunk_to_fit_100_by_100(alice, alice_client, fmt, extension):
    upload = image_file((300, 200), fmt=fmt, name=f"icon.{fmt.lower()}")
    response = edit(alice_client, upload, icon_alt_text="A red square", icon_comment="Red")
    assert response["Location"] == "/users/alice/pseuds"
    pseud = Pseud.objects.get(user=alice)
    assert pseud.icon.name.endswith(f".{extension}")
    with pseud.icon.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (100, 67)
        assert image.format == ("JPEG" if fmt == "JPEG" else "PNG")
    assert (pseud.icon_alt_text, pseud.icon_comment) == ("A red square", "Red")


def test_a_small_icon_is_not_enlarged(alice, alice_client):
    edit(alice_client, image_file((40, 40)))
    with Pseud.objects.get(user=alice).icon.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (40, 40)


def test_the_icon_shows_on_the_pseud_list_and_the_dashboard(alice, alice_client, client):
    edit(alice_client, image_file(), icon_alt_text="A red square")
    url = Pseud.objects.get(user=alice).icon.url
    assert url.startswith("/media/")
    for page in ("/users/alice/pseuds", "/users/alice"):
        icons = parse(client.get(page)).xpath("//img[@class='icon']")
        assert [(img.get("src"), img.get("alt")) for img in icons] == [(url, "A red square")]


def test_a_new_icon_replaces_the_old_file(alice, alice_client, django_capture_on_commit_callbacks):
    edit(alice_client, image_file(color=(1, 2, 3)))
    old = Pseud.objects.get(user=alice).icon
    storage, old_name = old.storage, old.name
    with django_capture_on_commit_callbacks(execute=True):
        edit(alice_client, image_file(color=(3, 2, 1)))
    assert Pseud.objects.get(user=alice).icon.name != old_name
    assert not storage.exists(old_name)


def test_deleting_the_icon(alice, alice_client, django_capture_on_commit_callbacks):
    edit(alice_client, image_file(), icon_alt_text="Red")
    stored = Pseud.objects.get(user=alice).icon
    storage, name = stored.storage, stored.name
    with django_capture_on_commit_callbacks(execute=True):
        edit(alice_client, None, delete_icon="on")
    pseud = Pseud.objects.get(user=alice)
    assert not pseud.icon and pseud.icon_alt_text == ""
    assert not storage.exists(name)


def test_a_new_pseud_can_have_an_icon(alice, alice_client):
    response = alice_client.post(
        "/users/alice/pseuds/new",
        {"name": "Lizzy", "description": "", "icon": image_file(), "icon_alt_text": "Red"},
    )
    assert response.status_code == 302
    assert Pseud.objects.get(name="Lizzy").icon


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("icon.png", b"this is not an image", content_type="image/png"),
            "The icon must be a JPEG, PNG or GIF image.",
        ),
        (
            SimpleUploadedFile("icon.png", b"\x89PNG\r\n" + b"\x00" * 600 * 1024),
            "The icon must be smaller than 500 KB.",
        ),
        (
            SimpleUploadedFile("icon.png", bomb_png(), content_type="image/png"),
            "That image is too large in width and height to be an icon.",
        ),
        (
            SimpleUploadedFile("icon.png", bomb_png(5_000, 5_000), content_type="image/png"),
            "That image is too large in width and height to be an icon.",
        ),
        (
            image_file(fmt="BMP", name="icon.bmp"),
            "The icon must be a JPEG, PNG or GIF image.",
        ),
    ],
    ids=["not-an-image", "too-many-bytes", "decompression-bomb", "bomb-under-pillows-limit", "bmp"],
)
def test_bad_icons_are_refused_with_a_message(alice, alice_client, upload, message):
    data = {"icon_alt_text": "Typed alt", "icon_comment": "Typed"}
    response = edit(alice_client, upload, description="Kept text", **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert_form_shows(parse(response), {"description": "Kept text", **data})
    pseud = Pseud.objects.get(user=alice)
    assert not pseud.icon and pseud.icon_alt_text == ""


def test_the_bombs_are_tiny_but_declare_millions_of_pixels():
    assert len(bomb_png()) < 200
    with pytest.raises(Image.DecompressionBombError):  # Pillow's own limit: 2 x 89M pixels
        Image.open(io.BytesIO(bomb_png()))
    # Under Pillow's limit, over Quire's (4096 x 4096): refused by accounts.icons itself.
    with Image.open(io.BytesIO(bomb_png(5_000, 5_000))) as image:  # the header alone
        assert image.size == (5_000, 5_000)


def test_alt_text_and_comment_have_limits(alice, alice_client):
    response = edit(alice_client, None, icon_alt_text="a" * 251, icon_comment="c" * 51)
    body = response.content.decode()
    assert "at most 250 characters" in body and "at most 50 characters" in body


def test_someone_elses_pseud_icon_cannot_be_changed(alice, bob_client):
    lizzy = do_create_pseud(alice, "Lizzy")
    response = bob_client.post(
        "/users/alice/pseuds/Lizzy/edit", {"name": "Lizzy", "icon": image_file()}
    )
    assert response.status_code == 404
    lizzy.refresh_from_db()
    assert not lizzy.icon


def test_descriptions_are_sanitized(alice, client):
    do_create_pseud(alice, "Lizzy", '<script>alert(1)</script><i onclick="x()">hi</i>')
    body = client.get("/users/alice/pseuds").content.decode()
    assert "<script" not in body and "onclick" not in body and "<i>hi</i>" in body


def test_deleting_the_pseud_or_the_account_removes_icon_files(
    alice, alice_client, django_capture_on_commit_callbacks
):
    from quire.accounts.actions import DeletionPlan, do_delete_account, do_delete_pseud

    lizzy = do_create_pseud(alice, "Lizzy")
    edit(alice_client, image_file())
    alice_client.post(
        "/users/alice/pseuds/Lizzy/edit", {"name": "Lizzy", "description": "", "icon": image_file()}
    )
    own, lizzys = (
        Pseud.objects.get(user=alice, is_default=True).icon,
        Pseud.objects.get(pk=lizzy.pk).icon,
    )
    storage = own.storage
    assert storage.exists(own.name) and storage.exists(lizzys.name)
    with django_capture_on_commit_callbacks(execute=True):
        do_delete_pseud(Pseud.objects.get(pk=lizzy.pk))
    assert not storage.exists(lizzys.name) and storage.exists(own.name)
    with django_capture_on_commit_callbacks(execute=True):
        do_delete_account(alice, DeletionPlan())
    assert not storage.exists(own.name)
