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


def kill_mid_run(proc, db_path, at_least: int = 10, group: bool = False, timeout: float = 20) -> None:
    """SIGKILL ``proc`` once ``db_path`` holds ``at_least`` documents (the interrupted-ingest tests).

    ``group`` kills the whole process group, pool workers included (start the process with
    ``start_new_session=True``).
    """
    import signal
    import sqlite3
    import time

    try:
        deadline = time.monotonic() + timeout
        stored = 0
        while time.monotonic() < deadline and stored < at_least:
            time.sleep(0.02)
            try:
                with sqlite3.connect(db_path, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                pass  # not created or mid-commit
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
