"""Measure status/period accuracy of extractors.reference against the gold files.

Gold figures are located in the cleaned text (first occurrence at/after the previous one) and
annotated by ``annotate_reference``; the extractor is not involved, so this measures the reference
stage alone. Usage: ``python tests/reference_eval.py [-v] [--gold-meta] [seeds|dev|web ...]``;
``--gold-meta`` takes the document year from the gold file (where it has one) instead of
``pipeline.metadata``, to see this stage apart from the year finder.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.reference import annotate_reference  # noqa: E402
from pipeline.metadata import document_metadata  # noqa: E402
from pipeline.types import Document, Figure, RawDocument  # noqa: E402

SHARED = ROOT.parent / "shared"


def load_document(path: Path) -> Document:
    try:
        from pipeline.clean import clean
        from pipeline.load import load
    except ImportError:  # loader/cleaner not in this checkout: identity document of the text file
        text = path.read_text(encoding="utf-8")
        return Document(RawDocument(str(path), "txt", text), text, list(range(len(text) + 1)))
    return clean(load(str(path)))


def _fold(s: str) -> str:
    """Same-length form for locating gold text: full-width to half-width, every quote to '"'."""
    out = []
    for ch in s:
        n = unicodedata.normalize("NFKC", ch)
        ch = n if len(n) == 1 else ch
        out.append('"' if ch in "“”‘’「」'" else ch)
    return "".join(out)


def gold_figures(doc: Document, golds: list[dict]) -> list[tuple[dict, Figure]]:
    """(gold, Figure) for every gold figure whose text is found in order in the clean text."""
    out = []
    pos = 0
    text = _fold(doc.text)
    for g in golds:
        i = text.find(_fold(g["text"]), pos)
        if i < 0:
            i = text.find(_fold(g["text"]))
        if i < 0:
            continue
        pos = i + 1
        out.append((g, Figure(g["text"], g["value"], g["kind"], g.get("unit"), i, i + len(g["text"]))))
    return out


def _gold_year(doc: Document, gd: dict) -> None:
    """Put the gold document year in ``doc.meta`` (and a reviewed year that follows from it)."""
    year = (gd.get("meta") or {}).get("year")
    if year is None or doc.meta.get("year") == year:
        return
    doc.meta["year"] = year
    doc.meta["reviews"] = year - 1 if doc.meta.get("genre") == "gov_report" else None


def measure(sets: list[str], verbose: bool = False, gold_meta: bool = False) -> dict[str, dict[str, float]]:
    """Per set: status and period accuracy over non-optional, non-redacted gold figures (as score.py
    counts them: period only where gold has one) and, strictly, over all located figures."""
    result = {}
    for name in sets:
        c = {"n": 0, "status": 0, "period_n": 0, "period": 0, "all_n": 0, "all_period": 0, "missing": 0}
        for line in (SHARED / "gold" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            gd = json.loads(line)
            doc = load_document(SHARED / "corpus" / name / gd["doc"])
            doc.meta.update(document_metadata(doc))
            if gold_meta:
                _gold_year(doc, gd)
            pairs = gold_figures(doc, gd["figures"])
            c["missing"] += len(gd["figures"]) - len(pairs)
            annotate_reference(doc, [f for _, f in pairs])
            for g, f in pairs:
                gp = tuple(g["period"]) if isinstance(g["period"], list) else g["period"]
                fp = tuple(f.period) if isinstance(f.period, list) else f.period
                c["all_n"] += 1
                c["all_period"] += gp == fp
                ok_s, ok_p = g["status"] == f.status, gp == fp
                if verbose and not (ok_s and ok_p):
                    print(f"  {gd['doc']}: {g['text']!r} gold {g['status']} {gp} got {f.status} {fp}")
                if g.get("optional") or g["value"] is None:
                    continue
                c["n"] += 1
                c["status"] += ok_s
                if g["period"] is not None:
                    c["period_n"] += 1
                    c["period"] += ok_p
        result[name] = {
            "figures": c["n"], "not_located": c["missing"],
            "status_accuracy": round(c["status"] / c["n"], 4) if c["n"] else None,
            "period_accuracy": round(c["period"] / c["period_n"], 4) if c["period_n"] else None,
            "period_accuracy_all": round(c["all_period"] / c["all_n"], 4) if c["all_n"] else None,
        }
    return result


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    for k, v in measure(args or ["seeds", "dev"], verbose="-v" in sys.argv, gold_meta="--gold-meta" in sys.argv).items():
        print(k, json.dumps(v))
