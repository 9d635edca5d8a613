"""Pseud icons: check an upload and shrink it to AO3's 100x100 with Pillow.

An upload is read only after its size in bytes is checked, and decoded only after its
declared width and height are: a few hundred bytes of PNG can declare 20000x20000 pixels,
which would take gigabytes to decode (a "decompression bomb").
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from .validators import ICON_MAX_BYTES, ICON_SIZE

# The formats AO3 accepts, and what a resized icon is saved as: JPEG stays JPEG (photographs),
# GIF and PNG become PNG (a GIF's first frame; transparency kept).
ICON_FORMATS = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "GIF": ("PNG", "png")}
# Far beyond any real icon (a 4096x4096 photograph), far below what hurts to decode.
ICON_MAX_PIXELS = 4096 * 4096

TOO_BIG = f"The icon must be smaller than {ICON_MAX_BYTES // 1024} KB."
NOT_AN_IMAGE = "The icon must be a JPEG, PNG or GIF image."
TOO_MANY_PIXELS = "That image is too large in width and height to be an icon."


class IconRefused(Exception):
    """The upload can't be an icon; the message is for the uploader."""


@dataclass(frozen=True)
class Icon:
    content: bytes
    extension: str


def check_icon(upload) -> Icon:
    """The icon an uploaded file makes, shrunk to fit ICON_SIZE square, or IconRefused."""
    if upload.size is None or upload.size > ICON_MAX_BYTES:
        raise IconRefused(TOO_BIG)
    upload.seek(0)
    data = upload.read(ICON_MAX_BYTES + 1)
    if len(data) > ICON_MAX_BYTES:
        raise IconRefused(TOO_BIG)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ICON_FORMATS:
                raise IconRefused(NOT_AN_IMAGE)
            width, height = image.size
            if width * height > ICON_MAX_PIXELS:
                raise IconRefused(TOO_MANY_PIXELS)
            image.load()
            return _resized(image)
    except Image.DecompressionBombError as error:  # Pillow's own limit, should ours be higher
        raise IconRefused(TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        # Not an image, a truncated one, or one Pillow can't decode.
        raise IconRefused(NOT_AN_IMAGE) from error


def _resized(image: Image.Image) -> Icon:
    save_as, extension = ICON_FORMATS[image.format or ""]
    image = ImageOps.exif_transpose(image)
    if save_as == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    # AO3's "100x100>": shrink to fit, keep the proportions, never enlarge.
    image.thumbnail((ICON_SIZE, ICON_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, save_as, **({"quality": 90} if save_as == "JPEG" else {"optimize": True}))
    return Icon(out.getvalue(), extension)
