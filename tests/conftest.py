"""Shared fixtures. Real documents are read from ../shared (CI has it); tests skip, saying why, without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time (a red build is reproducible, not a dice roll) and does
# not time examples on a shared machine; locally hypothesis explores new examples on each run.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

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
