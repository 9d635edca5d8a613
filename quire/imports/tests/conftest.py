from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"
if not SAMPLES.is_dir():  # the worktree sits beside ../shared
    SAMPLES = Path("/work/shared/samples")


@pytest.fixture
def sample():
    def read(name: str) -> bytes:
        return (SAMPLES / name).read_bytes()

    return read
