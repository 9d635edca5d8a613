from pathlib import Path

import pytest

# Copies of ../shared/samples (AO3-format downloads, generated benign text), so the tests run
# wherever the repository is checked out.
SAMPLES = Path(__file__).resolve().parent / "samples"


@pytest.fixture
def sample():
    def read(name: str) -> bytes:
        return (SAMPLES / name).read_bytes()

    return read
