"""Subject boundaries: the rules against noun-phrase choosers driven by jieba's and pkuseg's taggers.

    python -m extractors.segcompare                  # seeds + dev + web gold sets under ../shared
    python -m extractors.segcompare --sets web -v    # one set, listing each disagreement

For every gold figure with a subject (optional ones left out) the rules' figure it pairs with
(``eval/score.py``'s pairing) is taken, and its subject is chosen five ways:

- ``rules``: the subject ``extractors.rules`` gives;
- ``np:jieba`` / ``np:pkuseg``: a noun-phrase chooser driven by the tagger alone: the run of
  noun-like words right after the measure word, else the run of noun-like words ending the text
  before the number (trailing verbs, adverbs and particles dropped);
- ``rules+jieba`` / ``rules+pkuseg``: the rules' subject refined by the tagger: leading and
  trailing words that are not noun-like (verbs, adverbs, prepositions, particles) dropped while
  two characters remain.

Each is scored with the scorer's ``subject_match`` (contains the gold phrase and at most 6
characters longer, or a part of it of 2 characters or more) and as an exact match after the
scorer's ``norm``. Speed: characters a second of each tagger on the cleaned documents.

pkuseg is not a dependency (``pip install cython numpy`` then ``pip install --no-build-isolation
pkuseg==0.0.25``): it lost this measurement, so nothing else uses it. Its wheel ships the
segmentation model but not the POS model, which ``pkuseg(postag=True)`` downloads from GitHub on
first use; this script never downloads: without the model under ``~/.pkuseg/postag`` pkuseg's
words take jieba's dictionary tag of each word (``pkuseg+dict``), and the report says so.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
#: tags whose words can be part of a noun phrase (jieba's and pkuseg's tag sets: ICTCLAS/PKU)
NOUNISH = ("n", "vn", "an", "j", "b", "l", "i", "nz", "ng", "f", "s")
#: modifiers inside a noun phrase (never its last word)
MODIFIERS = ("a", "m", "q")

Tagger = Callable[[str], list[tuple[str, str]]]


def _nounish(tag: str) -> bool:
    return tag.startswith(NOUNISH) or tag in ("x",)


def _score_module() -> Any:
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"{SHARED / 'eval' / 'score.py'} is absent: the gold sets live beside the project")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def jieba_tagger() -> Tagger:
    import jieba.posseg

    return lambda s: [(w, t) for w, t in jieba.posseg.lcut(s, HMM=False)]


def pkuseg_tagger() -> tuple[Tagger | None, str]:
    """pkuseg's tagger, or its segmenter with jieba's dictionary tags when the POS model is not
    on the machine; (None, reason) when pkuseg does not import."""
    try:
        import pkuseg
        from pkuseg import config
    except ImportError as e:
        return None, f"pkuseg does not import ({e})"
    if (Path(config.pkuseg_home) / "postag").is_dir():  # never the download: no network at run time
        seg = pkuseg.pkuseg(postag=True)
        return (lambda s: [(w, t) for w, t in seg.cut(s)]), "pkuseg"
    import jieba.posseg

    plain = pkuseg.pkuseg()  # the segmentation model in the wheel
    table = jieba.posseg.dt.word_tag_tab  # jieba's dictionary: word -> its most frequent tag

    def tag(s: str) -> list[tuple[str, str]]:
        return [(w, table.get(w, "n" if len(w) > 1 else "x")) for w in plain.cut(s)]

    return tag, f"pkuseg+dict (no POS model under {config.pkuseg_home}/postag: the wheel does not ship it)"


def np_chooser(tag: Tagger, after: str, before: str) -> str | None:
    """The noun phrase a figure counts, by tags alone: after the measure word, else before the number."""
    words = tag(after) if after else []
    run: list[tuple[str, str]] = []
    for w, t in words:
        if _nounish(t) or (t in MODIFIERS and run is not None):
            run.append((w, t))
        else:
            break
    while run and not _nounish(run[-1][1]):
        run.pop()
    phrase = "".join(w for w, _t in run)
    if len(phrase) >= 2:
        return phrase
    words = tag(before) if before else []
    while words and not _nounish(words[-1][1]):
        words.pop()
    run = []
    for w, t in reversed(words):
        if _nounish(t) or t in MODIFIERS:
            run.append((w, t))
        else:
            break
    while run and not _nounish(run[-1][1]):
        run.pop()
    phrase = "".join(w for w, _t in reversed(run))
    return phrase if len(phrase) >= 2 else None


def refine(tag: Tagger, subject: str | None) -> str | None:
    """The rules' subject without leading or trailing words that are no part of a noun phrase."""
    if not subject:
        return subject
    words = tag(subject)
    while len(words) > 1 and not _nounish(words[0][1]) and words[0][1] not in MODIFIERS and \
            sum(len(w) for w, _t in words[1:]) >= 2:
        words.pop(0)
    while len(words) > 1 and not _nounish(words[-1][1]) and sum(len(w) for w, _t in words[:-1]) >= 2:
        words.pop()
    return "".join(w for w, _t in words)


def cases(sets: list[str]) -> list[dict]:
    """(gold subject, the rules' figure, its text before and after) for each paired gold figure."""
    from extractors import rules
    from pipeline.clean import clean
    from pipeline.load import load

    score = _score_module()
    out = []
    for name in sets:
        gold_path = SHARED / "gold" / f"{name}.jsonl"
        if not gold_path.exists():
            print(f"{gold_path} is absent: skipped")
            continue
        for line in gold_path.read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            doc = clean(load(SHARED / "corpus" / name / g["doc"]))
            text = rules.fold_fullwidth(doc.text)
            figures = rules.extract_text(doc.text)
            preds = [dict(f.to_dict(), _fig=f) for f in figures]
            pairs, _miss, _extra = score.pair(g.get("figures", []), preds)
            for gf, p in pairs:
                if gf.get("optional") or not gf.get("subject"):
                    continue
                f = p["_fig"]
                lo = max(text.rfind(ch, 0, f.start) for ch in "，,。；;：:！!？?\n、") + 1
                hi = min([k for k in (text.find(ch, f.end) for ch in "，,。；;：:！!？?\n") if k >= 0] or [len(text)])
                out.append({"set": name, "doc": g["doc"], "gold": gf["subject"], "rules": f.subject,
                            "text": f.text, "before": text[lo: f.start], "after": text[f.end: hi],
                            "doc_text": doc.text})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="seeds,dev,web", help="gold sets under ../shared/gold (default seeds,dev,web)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list each case a chooser gets wrong")
    a = ap.parse_args(argv)
    if not (SHARED / "eval" / "score.py").exists():
        print(f"segcompare skipped: {SHARED} is absent (the gold sets live beside the project)")
        return 0
    score = _score_module()
    data = cases([s for s in a.sets.split(",") if s])
    taggers: dict[str, Tagger] = {"jieba": jieba_tagger()}
    t0 = time.perf_counter()
    pk, pk_name = pkuseg_tagger()
    pk_load = time.perf_counter() - t0
    if pk is not None:
        taggers["pkuseg"] = pk
    print(f"{len(data)} gold subjects ({a.sets}); pkuseg: {pk_name}, loaded in {pk_load:.1f} s")

    # speed: each tagger on the cleaned documents, once (jieba's dictionary loaded before)
    docs = {d["doc"]: d["doc_text"] for d in data}
    chars = sum(len(t) for t in docs.values())
    for name, tag in taggers.items():
        tag("预热")
        t0 = time.perf_counter()
        for t in docs.values():
            tag(t)
        dt = time.perf_counter() - t0
        print(f"  {name:7s} tags {chars} characters in {dt:.2f} s: {chars / dt / 1000:.0f}k chars/s")

    choosers: dict[str, Callable[[dict], str | None]] = {"rules": lambda d: d["rules"]}
    for name, tag in taggers.items():
        choosers[f"np:{name}"] = lambda d, tag=tag: np_chooser(tag, d["after"], d["before"])
        choosers[f"rules+{name}"] = lambda d, tag=tag: refine(tag, d["rules"])
    print(f"{'chooser':14s} {'match':>7s} {'exact':>7s}")
    for name, choose in choosers.items():
        got = [(d, choose(d)) for d in data]
        match = sum(score.subject_match(d["gold"], s) for d, s in got)
        exact = sum(score.norm(d["gold"]) == score.norm(s) for d, s in got)
        print(f"{name:14s} {match / len(data):7.3f} {exact / len(data):7.3f}")
        if a.verbose:
            for d, s in got:
                if not score.subject_match(d["gold"], s):
                    print(f"    {d['doc']} {d['text']!r}: gold {d['gold']!r} got {s!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
