"""AZW3 and MOBI through calibre's `ebook-convert`, from Quire's own EPUB, as AO3 makes them.
Offered only when ebook-convert is on the machine."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_TIMEOUT = 600


def ebook_convert() -> str | None:
    return shutil.which("ebook-convert")


def convert(epub: bytes, ext: str) -> bytes:
    program = ebook_convert()
    if program is None:
        raise RuntimeError("ebook-convert is not installed")
    with tempfile.TemporaryDirectory(prefix="quire-convert-") as folder:
        source, target = Path(folder) / "book.epub", Path(folder) / f"book.{ext}"
        source.write_bytes(epub)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": folder}
        subprocess.run(  # noqa: S603 - fixed program, our own file names
            [program, str(source), str(target)],
            check=True,
            capture_output=True,
            timeout=CONVERT_TIMEOUT,
            env=env,
            cwd=folder,
        )
        return target.read_bytes()
