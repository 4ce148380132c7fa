"""Browse a corpus in Datasette: read-only, on the loopback interface, with canned queries.

The canned queries and facets live in ``pipeline/data/datasette_metadata.json`` under the
database name ``*``; ``write_metadata`` puts them under the real name (Datasette names a
database after its file stem). Charts come from the datasette-vega plugin when installed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline import store
from pipeline.types import HuibaoError

DEFAULT_PORT = 8001
HOST = "127.0.0.1"  # loopback only: a corpus may hold unpublished reports


def metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette metadata for the corpus at ``db_path``.

    >>> sorted(metadata("x/corpus.sqlite")["databases"])
    ['corpus']
    """
    with resources.files("pipeline").joinpath("data", "datasette_metadata.json").open(encoding="utf-8") as f:
        meta = json.load(f)
    meta["databases"] = {Path(db_path).stem: meta["databases"]["*"]}
    return meta


def write_metadata(db_path: str | Path, out: str | Path) -> Path:
    out = Path(out)
    out.write_text(json.dumps(metadata(db_path), ensure_ascii=False, indent=1), encoding="utf-8")
    return out


PLUGINS_DIR = Path(__file__).parent / "datasette_plugins"  # host_check: DNS-rebinding guard


def datasette_command(db_path: str | Path, metadata_path: str | Path, port: int = DEFAULT_PORT,
                      host: str = HOST, allow_sql: bool = False) -> list[str]:
    """The Datasette command line: the corpus opened normally, not immutable (``huibao ingest`` may
    rewrite it while it is served, and an immutable database caches its row counts and is read
    without locking), but read-only for web users; arbitrary SQL off unless ``allow_sql``
    (canned queries and table pages still work); the Host-header check plugin; metadata, host, port.
    """
    return [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(metadata_path),
            "--plugins-dir", str(PLUGINS_DIR),
            "--setting", "default_allow_sql", "on" if allow_sql else "off",
            "--host", host, "--port", str(port)]


def stop(proc: subprocess.Popen, grace: float = 10) -> None:
    """Stop a Datasette process: TERM, then KILL if it has not exited within ``grace`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def serve(db_path: str | Path, port: int = DEFAULT_PORT, allow_sql: bool = False,
          allow_hosts: tuple[str, ...] = ()) -> int:
    """Run Datasette on the corpus until interrupted; returns its exit code.

    ``allow_hosts``: Host names accepted besides localhost/127.0.0.1 (the DNS-rebinding guard).
    """
    store.open_db(db_path, readonly=True).close()  # one clear line for a missing or foreign file
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise HuibaoError("datasette is not installed (pip install datasette)") from None
    with tempfile.TemporaryDirectory(prefix="huibao-serve-") as tmp:
        meta = write_metadata(db_path, Path(tmp) / "metadata.json")
        env = dict(os.environ, HUIBAO_ALLOWED_HOSTS=",".join(allow_hosts))
        proc = subprocess.Popen(datasette_command(db_path, meta, port, allow_sql=allow_sql), env=env)
        # a TERM to `huibao serve` must not leave Datasette running on the port
        old = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
        try:
            return proc.wait()
        except KeyboardInterrupt:  # Ctrl-C reaches Datasette too (same process group)
            return 0
        finally:
            signal.signal(signal.SIGTERM, old)
            stop(proc)
