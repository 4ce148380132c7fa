"""Shared fixtures. Real documents are read from ../shared (CI has it); tests skip, saying why, without it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent: the real documents live in ../shared beside the project (CI has them)")
    return p


@pytest.fixture
def shared():
    return shared_path
