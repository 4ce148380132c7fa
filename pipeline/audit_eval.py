"""How well the audit finds the faults ``corpora.synth`` injects, and how template reuse scales.

``python -m pipeline.audit_eval eval --n 2000 --work out/audit_eval``
    generates a synthetic corpus (``corpora.synth.generate``), ingests it, runs the audit and
    prints recall and precision per check against ``truth.jsonl``.
``python -m pipeline.audit_eval bench --n 100000``
    feeds ``n`` generated reports (in memory, no files, no ingest) through the same
    ``PassageIndex`` the ``template_reuse`` check uses and prints time and peak RSS.

Scoring, per check (a finding and a fault match when they name the same document(s)):

- parts_total        documents with an ``inconsistent_breakdown`` fault;
- placeholders       documents with a ``placeholders`` fault (blanks of their own or copied in);
- incomplete_source  documents with a ``truncated`` fault;
- template_reuse     pairs (copy, source) of ``copied_passage`` faults between different regions; a
                     found pair of two copies of one source is correct too. ``present`` recall counts
                     only copies whose passage still stands in both cleaned texts (a truncated source
                     can lose it). A pair the generator itself wrote with a near-identical paragraph
                     (``template_collisions``) is template reuse too and counts as correct;
                     ``precision_injected_only`` leaves those out;
- conflicting_figures a ``conflicting_figure`` fault's document in a finding on the same indicator
                     and year. ``present`` recall counts only faults the corpus can show: both documents
                     placed in the same region by the metadata stage and both holding the figure. A finding
                     is correct when a recorded fault explains it: the injected conflict, an injected
                     implausible figure, a misdated report, or a figure copied in from another report;
- implausible_change an ``implausible_change`` fault's document (a stock x4-x8 off the year before or
                     after, or a GDP growth rate 5-9 points off the two GDPs) in a finding on its
                     indicator; correct findings as for conflicting_figures;
- date_inconsistency documents with a ``date_inconsistency`` fault (title year after the body's year);
- digit_statistics   no truth: the statistic is printed.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pipeline import audit as audit_mod


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _fmt(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:5.3f}"


def eval_settings() -> dict[str, Any]:
    """The audit settings, with conflicts compared only on indicators the generator keeps consistent.

    ``corpora.synth`` draws one value per region, slot and year from a world model for the slots
    with a ``model`` in ``vocab.toml``; every other slot is drawn afresh in each report, so two of
    its values for one region and year disagree by construction, without any injected fault.
    """
    from pipeline.settings import load_data

    cfg = json.loads(json.dumps(audit_mod.settings()))
    world = {s["indicator"] for s in load_data("corpora", "vocab")["slots"].values()
             if s.get("model") and s.get("indicator")}
    cfg["conflicts"]["indicators"] = [i for i in cfg["conflicts"]["indicators"] if i in world]
    return cfg


def _generator_hash() -> str:
    """Hash of the generator's code and data: a cached corpus from another generator is rebuilt."""
    import hashlib

    import corpora.synth

    root = Path(corpora.synth.__file__).parent
    h = hashlib.sha256()
    for p in [root / "synth.py", *sorted((root / "data").glob("*.toml"))]:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def build_corpus(n: int, work: str | Path, seed: int = 7, quiet: bool = True) -> tuple[Path, Path]:
    """Generate ``n`` synthetic reports under ``work/synth`` and ingest them into ``work/corpus.sqlite``.

    Reuses both when ``work`` already holds a corpus of that size (same seed).
    """
    from corpora.synth import generate
    from pipeline.ingest import ingest

    work = Path(work)
    src, db = work / "synth", work / "corpus.sqlite"
    stamp = work / "built.json"
    want = {"n": n, "seed": seed, "generator": _generator_hash()}
    if stamp.exists() and db.exists() and json.loads(stamp.read_text()) == want:
        return src / "truth.jsonl", db
    work.mkdir(parents=True, exist_ok=True)
    if db.exists():
        db.unlink()
    if src.exists():
        import shutil

        shutil.rmtree(src)
    t0 = time.perf_counter()
    truth = generate(n, src, seed=seed)
    t1 = time.perf_counter()
    summary = ingest([str(src)], db)
    if not quiet:
        print(f"generated {n} reports in {t1 - t0:.1f} s; ingest: {summary.line()}", file=sys.stderr)
    stamp.write_text(json.dumps(want))
    return truth, db


def evaluate(truth_path: str | Path, db_path: str | Path, findings: list[audit_mod.Finding] | None = None,
             seed: int | None = None) -> dict[str, dict[str, Any]]:
    """Recall and precision per check of the audit of ``db_path`` against ``truth_path``."""
    import sqlite3

    from corpora.synth import read_truth

    if findings is None:
        findings = audit_mod.audit(db_path)
    conn = sqlite3.connect(str(db_path))
    rows = conn.execute("SELECT id, path, region FROM current_documents").fetchall()
    truth = list(read_truth(truth_path))
    root = Path(truth_path).parent.resolve()
    by_path = {str((root / t["path"]).resolve()): t for t in truth}
    doc_of: dict[str, str] = {}  # db id -> truth "doc" name
    id_of: dict[str, str] = {}
    region_of: dict[str, str | None] = {}
    for did, path, region in rows:
        t = by_path.get(str(Path(path).resolve()))
        if t is not None:
            doc_of[did] = t["doc"]
            id_of[t["doc"]] = did
            region_of[t["doc"]] = region
    tdoc = {t["doc"]: t for t in truth}
    faults: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for t in truth:
        for f in t["faults"]:
            faults[f["kind"]].append((t["doc"], f))
    by_check: dict[str, list[audit_mod.Finding]] = defaultdict(list)
    for f in findings:
        by_check[f.check].append(f)
    out: dict[str, dict[str, Any]] = {}

    def doc_level(check: str, kind: str) -> None:
        want = {d for d, _ in faults[kind] if d in id_of}
        got = {doc_of[x] for f in by_check[check] for x in f.document_ids if x in doc_of}
        tp = len(want & got)
        out[check] = {"truth": len(want), "found": len(got), "tp": tp, "recall": _ratio(tp, len(want)),
                      "precision": _ratio(tp, len(got)), "missed": sorted(want - got)[:10],
                      "false": sorted(got - want)[:10]}

    doc_level("parts_total", "inconsistent_breakdown")
    # a breakdown the generator wrote inconsistent without recording it (爱心妈妈 drawn independently of
    # the volunteers they are part of): the truth's own figure values confirm the arithmetic
    unrecorded = []
    for f in by_check["parts_total"]:
        d = doc_of.get(f.document_ids[0])
        if d is None or d in {x for x, _ in faults["inconsistent_breakdown"]}:
            continue
        tvals: dict[str, Any] = {}
        for tf in tdoc[d]["figures"]:
            tvals.setdefault(tf["text"], tf["value"])
        items = f.evidence["items"]
        if all(it["text"] in tvals and tvals[it["text"]] is not None for it in items):
            total, parts = tvals[items[0]["text"]], sum(tvals[it["text"]] for it in items[1:])
            if (f.evidence["kind"] == "exceed" and parts > total) or (
                    f.evidence["kind"] != "exceed" and parts < total):
                unrecorded.append(d)
    r = out["parts_total"]
    r["in_text_not_injected"] = len(unrecorded)
    r["precision_counting_text"] = _ratio(r["tp"] + len(unrecorded), r["found"])
    doc_level("placeholders", "placeholders")
    # a passage copied from an unfilled template carries its blanks: the truth lists the redacted figures
    # of the copying report but no placeholders fault
    r = out["placeholders"]
    blanks = [d for d in (doc_of.get(x) for f in by_check["placeholders"] for x in f.document_ids)
              if d and d not in {x for x, _ in faults["placeholders"]}
              and any(tf.get("redacted") for tf in tdoc[d]["figures"])]
    r["in_text_not_injected"] = len(blanks)
    r["precision_counting_text"] = _ratio(r["tp"] + len(blanks), r["found"])
    doc_level("incomplete_source", "truncated")

    # template reuse: pairs
    src_of: dict[str, set[str]] = defaultdict(set)
    want_pairs: dict[frozenset[str], dict[str, Any]] = {}
    for d, f in faults["copied_passage"]:
        src = f["source_doc"]
        if d not in id_of or src not in id_of or tdoc[d]["region"] == tdoc[src]["region"]:
            continue
        src_of[d].add(src)
        want_pairs[frozenset((d, src))] = f
    got_pairs: dict[frozenset[str], audit_mod.Finding] = {}
    for f in by_check["template_reuse"]:
        names = [doc_of.get(x) for x in f.document_ids]
        if None not in names:
            got_pairs[frozenset(names)] = f  # type: ignore[arg-type]
    present = {p for p in want_pairs if _passage_present(conn, id_of, want_pairs[p], p)}
    tp_pairs = set(want_pairs) & set(got_pairs)

    def related(p: frozenset[str]) -> bool:
        a, b = sorted(p)
        return bool(src_of.get(a, set()) & src_of.get(b, set())) or b in src_of.get(a, set()) \
            or a in src_of.get(b, set())

    collisions = template_collisions(truth, seed) if seed is not None else set()
    correct_injected = [p for p in got_pairs if p in want_pairs or related(p)]
    correct = [p for p in got_pairs if p in want_pairs or related(p) or p in collisions]
    flag_ok = sum(1 for p in tp_pairs
                  if got_pairs[p].evidence["figures_unchanged"] == (not want_pairs[p]["changed_figures"]))
    out["template_reuse"] = {
        "truth": len(want_pairs), "truth_present": len(present), "found": len(got_pairs), "tp": len(tp_pairs),
        "recall": _ratio(len(tp_pairs), len(want_pairs)),
        "recall_present": _ratio(len(tp_pairs & present), len(present)),
        "precision": _ratio(len(correct), len(got_pairs)),
        "precision_injected_only": _ratio(len(correct_injected), len(got_pairs)),
        "collision_pairs": len(collisions),
        "changed_flag_accuracy": _ratio(flag_ok, len(tp_pairs)),
        "missed": sorted(tuple(sorted(p)) for p in present - tp_pairs)[:10],
        "false": sorted(tuple(sorted(p)) for p in got_pairs if p not in correct)[:10]}

    # figures that recorded faults put at odds with their region's other reports: an injected conflict
    # or implausible figure, a report dated years after the events it describes (its figures are filed
    # under the wrong year), and a passage copied from another region or with its figures changed
    explains: dict[str, set[str]] = defaultdict(set)  # doc -> indicators ("*": every indicator)
    for d, f in faults["conflicting_figure"] + faults["implausible_change"]:
        explains[d].update({f["indicator"], f.get("level_indicator") or f["indicator"]})
    for d, _f in faults["date_inconsistency"]:
        explains[d].add("*")
    for t in truth:
        for tf in t["figures"]:
            if tf.get("copied") and tf.get("indicator"):
                explains[t["doc"]].add(tf["indicator"])

    def explained(finding: audit_mod.Finding, indicators: set[str]) -> bool:
        return any(explains.get(doc_of.get(x, ""), set()) & (indicators | {"*"}) for x in finding.document_ids)

    # conflicting figures
    # a fault the two reports cannot show (truth ``hidden``) is not asked for; it still explains findings
    want_c = [(d, f) for d, f in faults["conflicting_figure"]
              if d in id_of and f["other_doc"] in id_of and not f.get("hidden")]
    findable = []
    for d, f in want_c:
        other = f["other_doc"]
        if region_of.get(d) and region_of.get(d) == region_of.get(other) and all(
                _has_figure(conn, id_of[x], f["indicator"], f["year"]) for x in (d, other)):
            findable.append((d, f))
    found_keys = {(doc_of.get(x), f.evidence["indicator"], f.evidence["year"])
                  for f in by_check["conflicting_figures"] for x in f.document_ids}
    fault_keys = {(d, f["indicator"], f["year"]) for d, f in want_c}
    hit = [k for k in fault_keys if k in found_keys]
    injected = [f for f in by_check["conflicting_figures"]
                if any((doc_of.get(x), f.evidence["indicator"], f.evidence["year"]) in fault_keys
                       for x in f.document_ids)]
    good = [f for f in by_check["conflicting_figures"] if f in injected or explained(f, {f.evidence["indicator"]})]
    found_present = [1 for d, f in findable if (d, f["indicator"], f["year"]) in found_keys]
    out["conflicting_figures"] = {
        "truth": len(fault_keys), "truth_present": len(findable), "found": len(by_check["conflicting_figures"]),
        "tp": len(hit), "recall": _ratio(len(hit), len(fault_keys)),
        "recall_present": _ratio(len(found_present), len(findable)),
        "precision": _ratio(len(good), len(by_check["conflicting_figures"])),
        "precision_injected_only": _ratio(len(injected), len(by_check["conflicting_figures"])),
        "explained_by_other_faults": len(good) - len(injected),
        "missed": sorted(k for k in fault_keys if k not in found_keys)[:10],
        "false": [f.message for f in by_check["conflicting_figures"] if f not in good]}

    # implausible change: the document with the injected jump / growth rate in a finding on its indicator
    want_i = [(d, f) for d, f in faults["implausible_change"]
              if d in id_of and f["other_doc"] in id_of and not f.get("hidden")]
    got_i: dict[str, list[audit_mod.Finding]] = defaultdict(list)
    for f in by_check["implausible_change"]:
        for x in f.document_ids:
            if x in doc_of:
                got_i[doc_of[x]].append(f)
    hit_i = [(d, f) for d, f in want_i if any(g.evidence.get("indicator") == f["indicator"] for g in got_i[d])]
    findable_i = []
    for d, f in want_i:
        level = f.get("level_indicator") or f["indicator"]
        if region_of.get(d) and region_of.get(d) == region_of.get(f["other_doc"]) and _has_figure(
                conn, id_of[d], f["indicator"], f["year"]) and _has_figure(conn, id_of[f["other_doc"]], level, None):
            findable_i.append((d, f))
    good_i = [f for f in by_check["implausible_change"]
              if explained(f, {f.evidence.get("indicator") or "", f.evidence.get("level_indicator") or ""})]
    inj_docs = {d for d, _ in want_i}
    injected_i = [f for f in by_check["implausible_change"] if any(doc_of.get(x) in inj_docs for x in f.document_ids)]
    out["implausible_change"] = {
        "truth": len(want_i), "truth_present": len(findable_i), "found": len(by_check["implausible_change"]),
        "tp": len(hit_i), "recall": _ratio(len(hit_i), len(want_i)),
        "recall_present": _ratio(sum(1 for x in findable_i if x in hit_i), len(findable_i)),
        "precision": _ratio(len(good_i), len(by_check["implausible_change"])),
        "precision_injected_only": _ratio(len(injected_i), len(by_check["implausible_change"])),
        "missed": sorted({d for d, f in want_i} - {d for d, _ in hit_i})[:10],
        "false": [f.message for f in by_check["implausible_change"] if f not in good_i]}
    doc_level("date_inconsistency", "date_inconsistency")
    out["digit_statistics"] = {"truth": None, "found": len(by_check["digit_statistics"]),
                               "statistics": [f.message[:200] for f in by_check["digit_statistics"]][:3]}
    conn.close()
    return out


#: two paragraphs the generator wrote share template text when this share of their digit-masked shingles
#: is common (exact Jaccard on the generator's own text, not an estimate on the corpus)
COLLISION_JACCARD = 0.8


def template_collisions(truth: list[dict[str, Any]], seed: int) -> set[frozenset[str]]:
    """Pairs of reports of different regions that the generator itself wrote with a paragraph in common.

    The generator draws each paragraph from template pools, so two reports now and then get
    near-identical paragraphs with other numbers: template reuse by construction, which the
    per-document ``truth.jsonl`` cannot list. Recomposed here from the generator (never from the
    corpus): paragraphs that hold a figure, digits masked as the audit masks them, whose shingle
    sets have an exact Jaccard similarity of at least ``COLLISION_JACCARD``.
    """
    from datasketch import MinHash, MinHashLSH

    from corpora.synth import FORMAT_WEIGHTS, Rates, compose, header, layout

    idx = audit_mod.PassageIndex(audit_mod.settings())
    min_chars = int(idx.tc["min_chars"])
    rates, fw = Rates(), dict(FORMAT_WEIGHTS)
    lsh = MinHashLSH(threshold=COLLISION_JACCARD - 0.15, num_perm=64)
    shingles: list[set[int]] = []
    owner: list[str] = []
    for t in truth:
        h = header(seed, t["index"], fw, rates)
        laid = layout(compose(seed, h, rates, 2000, 3500, formats=fw))
        spans = sorted((f.start, f.start + len(f.text)) for f in laid.figs)
        pos = 0
        for line in laid.body.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            if len(line) < min_chars or not any(start <= s < end for s, _ in spans):
                continue
            sh = set(audit_mod.shingle_hashes(idx.mask(re.sub(r"^（[^）]{1,3}）", "", line)), idx.k).tolist())
            m = MinHash(num_perm=64, seed=1, hashfunc=int)
            m.update_batch(list(sh))
            lsh.insert(len(shingles), m, check_duplication=False)
            shingles.append(sh)
            owner.append(t["doc"])
    region = {t["doc"]: t["region"] for t in truth}
    out: set[frozenset[str]] = set()
    for i, sh in enumerate(shingles):
        m = MinHash(num_perm=64, seed=1, hashfunc=int)
        m.update_batch(list(sh))
        for j in lsh.query(m):
            a, b = owner[i], owner[j]
            if j <= i or a == b or region[a] == region[b] or frozenset((a, b)) in out:
                continue
            if len(sh & shingles[j]) >= COLLISION_JACCARD * len(sh | shingles[j]):
                out.add(frozenset((a, b)))
    return out


def _passage_present(conn: Any, id_of: dict[str, str], fault: dict[str, Any], pair: frozenset[str]) -> bool:
    """Does the copied paragraph stand (digit-masked, near-identical) in both cleaned texts?"""
    from pipeline.audit import PassageIndex, settings, shingle_hashes

    idx = PassageIndex(settings())
    texts = {d: (conn.execute("SELECT text FROM texts WHERE document_id = ?", [id_of[d]]).fetchone() or [""])[0]
             for d in pair}
    copy = max(pair, key=lambda d: d != fault["source_doc"])
    src = fault["source_doc"]
    best = 0.0
    src_sh = [set(shingle_hashes(idx.mask(p), idx.k).tolist()) for p in texts[src].split("\n") if len(p) >= 20]
    for p in texts[copy].split("\n"):
        if len(p) < int(idx.tc["min_chars"]):
            continue
        a = set(shingle_hashes(idx.mask(p), idx.k).tolist())
        for b in src_sh:
            best = max(best, len(a & b) / len(a | b))
    return best >= 0.7


def _has_figure(conn: Any, doc_id: str, indicator: str, year: int | None) -> bool:
    """Does the corpus hold an unredacted figure of ``indicator`` for ``year`` (any year: None) in the document?"""
    if year is None:
        return conn.execute("SELECT 1 FROM figures WHERE document_id = ? AND indicator = ? AND redacted = 0",
                            [doc_id, indicator]).fetchone() is not None
    return conn.execute("""SELECT 1 FROM figures WHERE document_id = ? AND indicator = ? AND period_start = ?
                           AND period_end = ? AND redacted = 0""", [doc_id, indicator, year, year]).fetchone() \
        is not None


def print_report(res: dict[str, dict[str, Any]]) -> None:
    print(f"{'check':22} {'truth':>6} {'found':>6} {'tp':>5} {'recall':>7} {'precision':>9}  notes")
    for check, r in res.items():
        notes = []
        if "recall_present" in r:
            notes.append(f"recall over faults present in the corpus {_fmt(r['recall_present'])} "
                         f"({r.get('truth_present')})")
        if r.get("in_text_not_injected"):
            what = ("breakdowns the generator wrote inconsistent without recording them (its own figure values "
                    "confirm)" if check == "parts_total" else
                    "blanks the generator copied in with a passage from an unfilled template (its figure list "
                    "marks them redacted, its fault list does not)")
            notes.append(f"{r['in_text_not_injected']} false positives are {what}; counting them: "
                         f"precision {_fmt(r['precision_counting_text'])}")
        if check == "template_reuse" and r.get("precision_injected_only") is not None:
            notes.append(f"precision counting only injected copies {_fmt(r['precision_injected_only'])} "
                         f"(the rest: of {r['collision_pairs']} report pairs the generator wrote with a paragraph "
                         f"in common, numbers aside, Jaccard >= {COLLISION_JACCARD})")
        elif r.get("precision_injected_only") is not None:
            notes.append(f"precision counting only findings on the injected fault's document "
                         f"{_fmt(r['precision_injected_only'])} (the rest explained by other recorded faults: "
                         "copied passages, misdated reports, other injected figures)")
        if r.get("changed_flag_accuracy") is not None:
            notes.append(f"changed/unchanged right {_fmt(r['changed_flag_accuracy'])}")
        if check == "digit_statistics":
            notes.append("no truth; " + "; ".join(r.get("statistics", []))[:160])
        truth = "" if r.get("truth") is None else r["truth"]
        print(f"{check:22} {truth!s:>6} {r.get('found', '')!s:>6} {r.get('tp', '')!s:>5} "
              f"{_fmt(r.get('recall')):>7} {_fmt(r.get('precision')):>9}  {'; '.join(notes)}")


# ---------------------------------------------------------------- benchmark

def _generate_chunk(args: tuple[int, int, int]) -> list[tuple[str, list[tuple[int, int]]]]:
    """Bodies and figure spans of reports ``start .. start+n-1`` (no files written)."""
    from corpora.synth import FORMAT_WEIGHTS, Rates, compose, header, layout

    seed, start, n = args
    rates = Rates()
    fw = dict(FORMAT_WEIGHTS)
    out = []
    for i in range(start, start + n):
        h = header(seed, i, fw, rates)
        laid = layout(compose(seed, h, rates, 2000, 3500, formats=fw))
        out.append((laid.body, [(f.start, f.start + len(f.text)) for f in laid.figs]))
    return out


def bench(n: int, seed: int = 7, workers: int = 2, chunk: int = 200) -> dict[str, Any]:
    """Template-reuse detection (``PassageIndex``, as in the audit) over ``n`` generated reports."""
    from multiprocessing import get_context

    t0 = time.perf_counter()
    index = audit_mod.PassageIndex(audit_mod.settings())
    jobs = [(seed, s, min(chunk, n - s)) for s in range(0, n, chunk)]
    t_gen_wait = 0.0
    with get_context("fork").Pool(workers) as pool:
        it = pool.imap(_generate_chunk, jobs)
        doc = 0
        while True:
            tw = time.perf_counter()
            try:
                batch = next(it)
            except StopIteration:
                break
            t_gen_wait += time.perf_counter() - tw
            for body, spans in batch:
                index.add(doc, body, spans)
                doc += 1
    t1 = time.perf_counter()
    pairs = 0
    docs_with_pairs: set[int] = set()
    for p in index.pairs():
        pairs += 1
        docs_with_pairs.update((index.doc[p.a], index.doc[p.b]))
    t2 = time.perf_counter()
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"reports": n, "passages": len(index.doc), "distinct_passages": index.n_sigs,
            "pairs": pairs, "documents_in_pairs": len(docs_with_pairs),
            "skipped_common": index.skipped_common,
            "seconds_index": round(t1 - t0, 1), "seconds_waiting_for_generator": round(t_gen_wait, 1),
            "seconds_pairs": round(t2 - t1, 1), "seconds_total": round(t2 - t0, 1),
            "peak_rss_mb": round(self_rss, 1), "peak_rss_generator_worker_mb": round(child_rss, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.audit_eval", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("eval", help="recall/precision per check on a synthetic corpus")
    e.add_argument("--n", type=int, default=2000)
    e.add_argument("--seed", type=int, default=7)
    e.add_argument("--work", default="out/audit_eval", help="folder for the corpus (reused when built)")
    e.add_argument("--json", action="store_true", help="print the full result as JSON")
    b = sub.add_parser("bench", help="template-reuse time and peak memory on generated reports")
    b.add_argument("--n", type=int, default=100000)
    b.add_argument("--seed", type=int, default=7)
    b.add_argument("--workers", type=int, default=2, help="generator processes")
    a = ap.parse_args(argv)
    if a.cmd == "eval":
        t0 = time.perf_counter()
        truth, db = build_corpus(a.n, a.work, a.seed, quiet=False)
        t1 = time.perf_counter()
        cfg = eval_settings()
        findings = audit_mod.audit(db, cfg=cfg)
        print("conflicting_figures / implausible_change scored on the indicators the generator keeps "
              f"consistent across reports: {', '.join(cfg['conflicts']['indicators'])}")
        t2 = time.perf_counter()
        res = evaluate(truth, db, findings, seed=a.seed)
        if a.json:
            print(json.dumps(res, ensure_ascii=False, indent=1, default=str))
        print(f"synthetic corpus: {a.n} reports (seed {a.seed}), {db}; corpus ready in {t1 - t0:.1f} s, "
              f"audit {t2 - t1:.1f} s, {len(findings)} findings")
        print_report(res)
        return 0
    res = bench(a.n, a.seed, a.workers)
    for k, v in res.items():
        print(f"{k:32} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
