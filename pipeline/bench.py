"""Throughput benchmark: figure extraction against ``jieba.lcut`` on the same clean text.

    python -m pipeline.bench [--docs DIR] [--repeat 3]

Loads and cleans every readable file under ``--docs`` (default: the real
reports beside the project, else ``corpora/samples``), then times, on one
core and on the same texts, ``extractors.rules.extract_text`` and
``jieba.lcut``. Prints MB/s of UTF-8 text for both and their ratio. Figures
are printed, never asserted: speed is checked by reading this output.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

from pipeline.types import HuibaoError

ROOT = Path(__file__).resolve().parent.parent


def _default_docs() -> Path:
    shared = ROOT.parent / "shared" / "corpus" / "reports"
    return shared if shared.exists() else ROOT / "corpora" / "samples"


def load_docs(folder: Path) -> list:
    """Cleaned documents with their metadata (what the extractor sees), unreadable files skipped."""
    from pipeline.metadata import document_metadata
    from pipeline.process import clean_path

    docs = []
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.suffix.lower() not in {".txt", ".html", ".htm", ".pdf", ".docx", ".doc"}:
            continue
        try:
            doc = clean_path(str(p))
        except HuibaoError:
            continue
        doc.meta.update(document_metadata(doc))
        docs.append(doc)
    return docs


def _rate(fn, items: list, size: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - t0)
    return size / best / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=None, help="folder of reports (default: ../shared/corpus/reports)")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes; the best is reported")
    a = ap.parse_args(argv)
    folder = a.docs or _default_docs()
    docs = load_docs(folder)
    texts = [d.text for d in docs]
    if not texts:
        print(f"no readable reports under {folder}", file=sys.stderr)
        return 1
    import jieba

    from extractors.rules import extract

    jieba.initialize()
    size = sum(len(t.encode("utf-8")) for t in texts)
    n_figs = sum(len(extract(d)) for d in docs)  # also warms the lexicon caches
    ours = _rate(extract, docs, size, a.repeat)
    theirs = _rate(jieba.lcut, texts, size, a.repeat)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: {folder} — {len(texts)} documents, {size / 1e6:.2f} MB clean UTF-8, {n_figs} figures")
    print(f"rules.extract (all figure kinds, subjects, indicators, status, period): {ours:.2f} MB/s on one core")
    print(f"jieba.lcut (segmentation only):                                         {theirs:.2f} MB/s on one core")
    print(f"ratio extract / jieba.lcut: {ours / theirs:.2f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
