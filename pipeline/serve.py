"""Browse a corpus in Datasette: read-only, on the loopback interface, with canned queries.

The canned queries and facets live in ``pipeline/data/datasette_metadata.json`` under the
database name ``*`` (the corpus) and ``*reviews`` (the reviews file); ``write_metadata`` puts
them under the real names (Datasette names a database after its file stem). Charts come from
the datasette-vega plugin when installed.

Served: the corpus, opened normally (``huibao ingest`` may write it meanwhile: WAL mode, see
``store._write_ahead``), never written; and the auditors' reviews file (``pipeline.reviews``),
the one database a canned query writes (``mark_finding``). Plugins (``datasette_plugins``): the
Host-header check, hidden file paths, and the reviews attached to the corpus's connections so
the findings queries show each finding's review.
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

from pipeline import reviews, store
from pipeline.types import HuibaoError

DEFAULT_PORT = 8001
HOST = "127.0.0.1"  # loopback only: a corpus may hold unpublished reports


def metadata(db_path: str | Path, reviews_path: str | Path | None = None) -> dict[str, Any]:
    """Datasette metadata for the corpus at ``db_path`` (and its reviews file).

    >>> sorted(metadata("x/corpus.sqlite")["databases"])
    ['corpus']
    >>> sorted(metadata("x/corpus.sqlite", "x/corpus-reviews.sqlite")["databases"])
    ['corpus', 'corpus-reviews']
    """
    with resources.files("pipeline").joinpath("data", "datasette_metadata.json").open(encoding="utf-8") as f:
        meta = json.load(f)
    databases = {Path(db_path).stem: meta["databases"]["*"]}
    if reviews_path is not None:
        databases[Path(reviews_path).stem] = meta["databases"]["*reviews"]
    meta["databases"] = databases
    return meta


def write_metadata(db_path: str | Path, out: str | Path, reviews_path: str | Path | None = None) -> Path:
    out = Path(out)
    out.write_text(json.dumps(metadata(db_path, reviews_path), ensure_ascii=False, indent=1), encoding="utf-8")
    return out


PLUGINS_DIR = Path(__file__).parent / "datasette_plugins"  # Host check, hidden paths, reviews


def datasette_command(db_path: str | Path, metadata_path: str | Path, port: int = DEFAULT_PORT,
                      host: str = HOST, allow_sql: bool = False, reviews_path: str | Path | None = None,
                      immutable: bool = False) -> list[str]:
    """The Datasette command line: the corpus opened normally, not immutable (``huibao ingest`` may
    rewrite it while it is served, and an immutable database caches its row counts and is read
    without locking), but read-only for web users; arbitrary SQL off unless ``allow_sql``
    (canned queries and table pages still work); the reviews file, written by its canned query;
    the plugins; metadata, host, port. ``immutable``: a corpus no one can write (``store.frozen_wal``).
    """
    corpus = ["-i", str(db_path)] if immutable else [str(db_path)]
    reviews = [str(reviews_path)] if reviews_path is not None else []
    return [sys.executable, "-m", "datasette", "serve", *corpus, *reviews, "--metadata", str(metadata_path),
            "--plugins-dir", str(PLUGINS_DIR),
            "--setting", "default_allow_sql", "on" if allow_sql else "off",
            "--host", host, "--port", str(port)]


def plugin_env(allow_hosts: tuple[str, ...] = (), reviews_path: str | Path | None = None) -> dict[str, str]:
    """The environment the plugins read: extra Host names, the reviews file."""
    env = dict(os.environ, HUIBAO_ALLOWED_HOSTS=",".join(allow_hosts))
    env.pop("HUIBAO_REVIEWS_DB", None)
    if reviews_path is not None:
        env["HUIBAO_REVIEWS_DB"] = str(Path(reviews_path).resolve())
    return env


def prepare_reviews(db_path: str | Path, reviews_path: str | Path | None) -> Path | None:
    """Create the reviews file (``pipeline.reviews.default_path`` unless given) before Datasette
    opens it; ``None`` with a warning line when it cannot be (a read-only folder: the corpus is
    served without reviews, ``--reviews`` puts them elsewhere)."""
    path = Path(reviews_path) if reviews_path is not None else reviews.default_path(db_path)
    if path.resolve() == Path(db_path).resolve():
        raise HuibaoError(f"{path}: the reviews file cannot be the corpus itself")
    try:
        reviews.open_reviews(path).close()
    except HuibaoError as e:
        print(f"warning: {store.printable(str(e))}; serving without reviews (--reviews PATH keeps them "
              "elsewhere)", file=sys.stderr)
        return None
    return path


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
          allow_hosts: tuple[str, ...] = (), reviews_path: str | Path | None = None) -> int:
    """Run Datasette on the corpus until interrupted; returns its exit code.

    ``allow_hosts``: Host names accepted besides localhost/127.0.0.1 (the DNS-rebinding guard).
    ``reviews_path``: the reviews file (default ``pipeline.reviews.default_path``), created if absent.
    """
    store.open_db(db_path, readonly=True).close()  # one clear line for a missing or foreign file
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise HuibaoError("datasette is not installed (pip install datasette)") from None
    frozen = store.frozen_wal(db_path)  # a read-only folder: Datasette could not open it read-only
    if frozen:
        print(f"note: {store.printable(str(db_path))} is in a read-only folder: served as immutable "
              "(no one can write it there)", file=sys.stderr)
    revs = prepare_reviews(db_path, reviews_path)
    with tempfile.TemporaryDirectory(prefix="huibao-serve-") as tmp:
        meta = write_metadata(db_path, Path(tmp) / "metadata.json", revs)
        proc = subprocess.Popen(datasette_command(db_path, meta, port, allow_sql=allow_sql, reviews_path=revs,
                                                  immutable=frozen), env=plugin_env(allow_hosts, revs))
        # a TERM to `huibao serve` must not leave Datasette running on the port
        old = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
        try:
            return proc.wait()
        except KeyboardInterrupt:  # Ctrl-C reaches Datasette too (same process group)
            return 0
        finally:
            signal.signal(signal.SIGTERM, old)
            stop(proc)
