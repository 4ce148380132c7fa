"""``huibao train``: build the model extractor's training data (spaCy DocBin) and train it.

Training data, one example per sentence that holds a numeral (``model.numeral_sentences``):

a. **synthetic**: documents ``0 .. n-1`` of ``corpora.synth`` with seed ``TRAIN_SEED``
   (bodies as composed, before any dressing), labelled from the generator's truth: every
   figure span exactly, and its subject where the truth writes it contiguously in the
   figure's sentence (the occurrence nearest the figure);
b. **weak**: the rule extractor over ``../shared/corpus/reports`` when that folder exists
   (its figures, and their subjects found in the sentence like (a)); the output says
   whether it was used.

Held out, never trained on: ``../shared/gold`` and the texts of ``../shared/corpus/dev``
and ``../shared/corpus/seeds`` are the evaluation sets. The dev excerpts are cut from
reports in ``reports/``, so every report sentence that also occurs in a dev or seeds text
is dropped from (b) (those texts are read for that comparison only; the count is printed).

spaCy picks the best checkpoint on synthetic documents ``n .. n+val-1`` (same seed,
disjoint from the training documents); ``huibao eval-extractors`` tests on another seed.
Labels that do not fall on token boundaries are counted and dropped (``Stats``).

The config is ``extractors/data/model.cfg`` (seed fixed): ``huibao train`` with its
defaults rebuilds the shipped ``extractors/models/figures`` (with ../shared present).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.model import CONFIG, FIGURE, MODEL_DIR, SUBJECT, _spacy_parts, numeral_sentences
from pipeline.types import HuibaoError

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
#: the synthetic documents trained on; ``extractors.evaluate`` tests on TEST_SEED
TRAIN_SEED = 7
TEST_SEED = 20250101
N_DOCS = 400
N_VAL = 30
MAX_STEPS = 2400
#: 2 threads at most for BLAS/OpenMP on this shared 2-core machine (thinc's own ops are single-threaded)
THREADS = "2"
SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx", ".doc"}

#: (text, [(start, end, label)]) — one labelled text
Labelled = tuple[str, list[tuple[int, int, str]]]


@dataclass
class Stats:
    """What went into the training data."""

    sentences: int = 0
    spans: dict[str, int] = field(default_factory=lambda: {FIGURE: 0, SUBJECT: 0})
    misaligned: dict[str, int] = field(default_factory=lambda: {FIGURE: 0, SUBJECT: 0})
    max_tokens: dict[str, int] = field(default_factory=lambda: {FIGURE: 0, SUBJECT: 0})
    too_long: int = 0
    held_out_dropped: int = 0

    def line(self) -> str:
        parts = []
        for label in (FIGURE, SUBJECT):
            n, bad = self.spans[label], self.misaligned[label]
            parts.append(f"{label} {n} spans, {n - bad} on token boundaries ({(n - bad) / max(1, n):.3f}), "
                         f"longest {self.max_tokens[label]} tokens")
        return f"{self.sentences} sentences; " + "; ".join(parts) + f"; {self.too_long} longer than the suggester"


# ---------------------------------------------------------------- labelled texts


def _subject_span(text: str, start: int, end: int, subject: str | None) -> tuple[int, int] | None:
    """The occurrence of ``subject`` in the figure's sentence nearest the figure."""
    if not subject:
        return None
    s0 = max(text.rfind(c, 0, start) for c in "。；;！!？?\n") + 1
    ends = [i for i in (text.find(c, end) for c in "。；;！!？?\n") if i >= 0]
    s1 = min(ends) if ends else len(text)
    best = None
    k = text.find(subject, s0, s1)
    while k >= 0:
        if k + len(subject) <= start or k >= end:
            gap = start - (k + len(subject)) if k < start else k - end
            if best is None or gap < best[0]:
                best = (gap, k)
        k = text.find(subject, k + 1, s1)
    return (best[1], best[1] + len(subject)) if best else None


def _labels(text: str, figs: Iterable[tuple[int, int, str | None]]) -> list[tuple[int, int, str]]:
    out: set[tuple[int, int, str]] = set()
    for a, b, subject in figs:
        out.add((a, b, FIGURE))
        s = _subject_span(text, a, b, subject)
        if s:
            out.add((s[0], s[1], SUBJECT))
    return sorted(out)


def synthetic_docs(n: int, seed: int = TRAIN_SEED, start: int = 0) -> Iterator[tuple[Labelled, list[dict]]]:
    """Synthetic bodies ``start .. start+n-1`` with their labels and truth figures (text-order dicts)."""
    from corpora.synth import Rates, _format_weights, compose, header, layout

    rates = Rates()
    fw = _format_weights(["txt"], None)
    for i in range(start, start + n):
        laid = layout(compose(seed, header(seed, i, fw, rates), rates, 2000, 3500, formats=fw))
        body = laid.body
        figs = [(f.start, f.start + len(f.text), f.subject) for f in laid.figs]
        truth = [{"text": f.text, "value": f.value, "kind": f.kind, "unit": f.unit, "approx": f.approx,
                  "subject": f.subject, "indicator": f.indicator, "redacted": f.redacted,
                  "start": f.start, "end": f.start + len(f.text)} for f in laid.figs]
        yield (body, _labels(body, figs)), truth


def _clean_texts(folder: Path) -> Iterator[tuple[Path, Any]]:
    from pipeline.process import clean_path

    for p in sorted(folder.iterdir()):
        if p.suffix.lower() not in SUFFIXES:
            continue
        try:
            yield p, clean_path(str(p))
        except HuibaoError:
            continue


def report_docs(folder: Path, held_out: list[str], stats: Stats) -> Iterator[Labelled]:
    """Clean texts of the reports under ``folder`` labelled by the rule extractor, held-out sentences blanked.

    A sentence that occurs in a ``held_out`` text is replaced by spaces (offsets stay) and
    carries no label, so nothing of the evaluation sets is trained on.
    """
    from extractors.rules import extract
    from pipeline.metadata import document_metadata

    for _, doc in _clean_texts(folder):
        doc.meta.update(document_metadata(doc))
        text = doc.text
        blank: list[tuple[int, int]] = []
        for s0, sent in numeral_sentences(text):
            core = sent.strip()
            if len(core) >= 6 and any(core in h for h in held_out):
                blank.append((s0, s0 + len(sent)))
        stats.held_out_dropped += len(blank)
        for a, b in blank:
            text = text[:a] + " " * (b - a) + text[b:]
        figs = [(f.start, f.end, f.subject) for f in extract(doc)
                if not any(a <= f.start < b for a, b in blank)]
        yield text, _labels(text, figs)


# ---------------------------------------------------------------- DocBin


def to_docbin(nlp: Any, items: Iterable[Labelled], stats: Stats, max_tokens: int) -> Any:
    """One spaCy Doc per numeral sentence with its spans under ``sc``; unaligned labels dropped."""
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=False)
    for text, labels in items:
        for s0, sent in numeral_sentences(text):
            if not sent.strip():
                continue
            s1 = s0 + len(sent)
            doc = nlp.make_doc(sent)
            spans = []
            for a, b, label in labels:
                if a < s0 or b > s1:
                    continue
                stats.spans[label] += 1
                sp = doc.char_span(a - s0, b - s0, label=label)
                if sp is None:
                    stats.misaligned[label] += 1
                    continue
                stats.max_tokens[label] = max(stats.max_tokens[label], len(sp))
                if len(sp) > max_tokens:
                    stats.too_long += 1
                    continue
                spans.append(sp)
            doc.spans["sc"] = spans
            db.add(doc)
            stats.sentences += 1
    return db


def _held_out_texts(shared: Path) -> list[str]:
    texts = []
    for name in ("dev", "seeds"):
        folder = shared / "corpus" / name
        if folder.is_dir():
            texts += [doc.text for _, doc in _clean_texts(folder)]
    return texts


def _max_suggested(config: Path) -> int:
    from thinc.api import Config

    return max(Config().from_disk(config)["components"]["spancat"]["suggester"]["sizes"])


def _forget_paths(cfg_path: Path) -> None:
    """Drop the temporary data paths from the saved config, so two runs write identical files."""
    from thinc.api import Config

    cfg = Config().from_disk(cfg_path, interpolate=False)
    cfg["paths"]["train"] = cfg["paths"]["dev"] = None
    cfg.to_disk(cfg_path)


def train(out: Path | None = None, *, n_docs: int = N_DOCS, n_val: int = N_VAL, max_steps: int = MAX_STEPS,
          seed: int = TRAIN_SEED, shared: Path | None = SHARED, config: Path = CONFIG,
          overrides: dict[str, Any] | None = None, log: Callable[[str], None] = print) -> Path:
    """Build the data, train, and write the model to ``out`` (default: the shipped model folder)."""
    os.environ.setdefault("OMP_NUM_THREADS", THREADS)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", THREADS)
    out = Path(out) if out else MODEL_DIR
    spacy = _spacy_parts()
    from spacy.cli.train import train as spacy_train

    t0 = time.perf_counter()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "huibao.zh_numbers.v1"}}})
    max_tokens = _max_suggested(config)
    stats, val_stats = Stats(), Stats()
    reports = shared / "corpus" / "reports" if shared else None
    use_reports = reports is not None and reports.is_dir()

    def items() -> Iterator[Labelled]:
        for labelled, _ in synthetic_docs(n_docs, seed):
            yield labelled
        if use_reports:
            assert reports is not None and shared is not None
            yield from report_docs(reports, _held_out_texts(shared), stats)

    with tempfile.TemporaryDirectory(prefix="huibao-train-") as tmp:
        work = Path(tmp)
        to_docbin(nlp, items(), stats, max_tokens).to_disk(work / "train.spacy")
        to_docbin(nlp, (lab for lab, _ in synthetic_docs(n_val, seed, start=n_docs)), val_stats,
                  max_tokens).to_disk(work / "val.spacy")
        log(f"synthetic: documents 0-{n_docs - 1} of seed {seed} for training, {n_docs}-{n_docs + n_val - 1} "
            f"for checkpoint selection")
        log(f"reports: {'used, ' + str(reports) if use_reports else 'not used (' + str(reports) + ' absent)'}"
            + (f"; {stats.held_out_dropped} sentences dropped because dev/seeds hold them" if use_reports else ""))
        log(f"training data: {stats.line()}")
        log(f"data built in {time.perf_counter() - t0:.0f} s")
        t1 = time.perf_counter()
        ov = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "val.spacy"),
              "training.max_steps": max_steps, **(overrides or {})}
        spacy_train(config, work / "output", overrides=ov)
        log(f"trained in {time.perf_counter() - t1:.0f} s")
        best = work / "output" / "model-best"
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(best, out)
    _forget_paths(out / "config.cfg")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    log(f"model written to {out} ({size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s in all")
    return out
