"""``huibao eval-extractors``: rules vs model vs ensemble on every evaluation set, one table.

Sets: ``seeds`` and ``dev`` (the gold files of ../shared, when present) and ``synth-test``:
synthetic reports of seed ``extractors.train.TEST_SEED`` (the model trains on seed
``TRAIN_SEED``), written as files in every format and read back through load and clean,
scored against the generator's truth. Matching is the scorer's own: ``score_figures`` of
``../shared/eval/score.py``, imported from that file (figures F1, with-subject F1,
indicator accuracy over matched figures with a gold indicator).

docs/s is the extractor alone (cleaned documents in memory, model loaded beforehand, one
process), not the whole pipeline: ``huibao bench`` measures that.

``sweep`` prints the ensemble's scores for several ``min_score`` thresholds on the synthetic
checkpoint-selection documents (never dev or seeds), which is how ``model.toml`` was set.

``linking`` compares the rules alone with the rules and the indicator linker
(``extractors.linker``): on ``../shared/gold/compare_dev.jsonl`` (the 12 government reports,
scored by ``../shared/eval/compare_score.py``: found, link precision and recall over pairs of
reports, cells right) for several linker thresholds; on compare_dev again with the alias each
observation's figure is linked by taken out of the taxonomy (``unseen_on_compare_dev``: real
sentences written outside the aliases, as other reports write them; the rules alone reach 0.946
of the links of compare_dev as it is, so there the linker has at most 0.054 to add); and on the
linker's held-out synthetic sentences with their alias taken out of the taxonomy.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from pipeline.types import Document, HuibaoError

EXTRACTOR_NAMES = ("rules", "model", "ensemble")
SYNTH_TEST_DOCS = 60


def scorer(shared: Path) -> ModuleType:
    """``../shared/eval/score.py`` as a module (standard library only)."""
    path = shared / "eval" / "score.py"
    if not path.is_file():
        raise HuibaoError(f"{path}: the scorer is absent (the evaluation needs ../shared beside the project)")
    spec = importlib.util.spec_from_file_location("huibao_shared_score", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _documents(folder: Path, gold: list[dict], key: str = "doc") -> list[tuple[str, Document]]:
    from pipeline.process import clean_path

    try:
        from pipeline.metadata import document_metadata
    except ImportError:  # pragma: no cover
        document_metadata = None  # type: ignore[assignment]
    out = []
    for g in gold:
        doc = clean_path(str(folder / g[key]))
        if document_metadata is not None:
            doc.meta.update(document_metadata(doc))
        out.append((g["doc"], doc))
    return out


def _run(name: str, docs: list[tuple[str, Document]]) -> tuple[dict[str, list[dict]], float]:
    from extractors.registry import EXTRACTORS

    fn = EXTRACTORS.get(name)
    fn(docs[0][1])  # loads the model outside the timed loop
    preds: dict[str, list[dict]] = {}
    dt = float("inf")
    for _ in range(2):  # best of two passes: the first also fills the parse and lexicon caches
        t0 = time.perf_counter()
        figures = [(doc_name, fn(doc)) for doc_name, doc in docs]
        dt = min(dt, time.perf_counter() - t0)
    for doc_name, figs in figures:
        preds[doc_name] = [f.to_dict() for f in figs]
    return preds, len(docs) / dt if dt else float("inf")


def evaluation_sets(shared: Path, work: Path, n_synth: int = SYNTH_TEST_DOCS) -> list[tuple[str, list[dict],
                                                                                         list[tuple[str, Document]]]]:
    """(name, gold records, documents) of every set that can be built here."""
    from corpora.synth import generate
    from extractors.train import TEST_SEED

    sets = []
    for name in ("seeds", "dev"):
        gold_path, folder = shared / "gold" / f"{name}.jsonl", shared / "corpus" / name
        if gold_path.is_file() and folder.is_dir():
            gold = _read_jsonl(gold_path)
            sets.append((name, gold, _documents(folder, gold)))
    truth = generate(n_synth, work / "synth-test", seed=TEST_SEED)
    gold = _read_jsonl(truth)
    sets.append(("synth-test", gold, _documents(work / "synth-test", gold, key="path")))
    return sets


def evaluate(shared: Path, n_synth: int = SYNTH_TEST_DOCS, extractors: tuple[str, ...] = EXTRACTOR_NAMES,
             out: Callable[[str], None] = print, with_linking: bool = True) -> list[dict[str, Any]]:
    """Score every extractor on every set; print one table (and the linking table); return its rows."""
    score = scorer(shared)
    rows = []
    with tempfile.TemporaryDirectory(prefix="huibao-eval-") as tmp:
        for set_name, gold, docs in evaluation_sets(shared, Path(tmp), n_synth):
            for name in extractors:
                preds, rate = _run(name, docs)
                s = score.score_figures(gold, preds, False)
                rows.append({"set": set_name, "docs": len(docs), "extractor": name,
                             "figures_f1": s["figures"]["f1"], "subject_f1": s["figures_with_subject"]["f1"],
                             "indicator_accuracy": s["indicator_accuracy"], "docs_per_s": rate})
    out(f"{'set':<11} {'docs':>4}  {'extractor':<9} {'figures F1':>10} {'with-subject F1':>15} "
        f"{'indicator acc':>13} {'docs/s':>7}")
    for r in rows:
        ind = "-" if r["indicator_accuracy"] is None else f"{r['indicator_accuracy']:.3f}"
        out(f"{r['set']:<11} {r['docs']:>4}  {r['extractor']:<9} {r['figures_f1']:>10.3f} {r['subject_f1']:>15.3f} "
            f"{ind:>13} {r['docs_per_s']:>7.1f}")
    if with_linking:
        out("")
        rows += linking(shared, out)
    return rows


def compare_scorer(shared: Path) -> ModuleType:
    """``../shared/eval/compare_score.py`` as a module (standard library only)."""
    path = shared / "eval" / "compare_score.py"
    if not path.is_file():
        raise HuibaoError(f"{path}: the comparability scorer is absent (it needs ../shared beside the project)")
    spec = importlib.util.spec_from_file_location("huibao_shared_compare_score", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


LINK_THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def _compare_run(docs: list[tuple[str, Document]], linker_on: bool, threshold: float | None = None
                 ) -> dict[str, list[dict]]:
    """``extract`` (rules) of every document, with the linker on or off (and its threshold)."""
    from extractors import linker
    from extractors.rules import extract

    tax = linker.taxonomy()
    saved = (linker.ENABLED, tax.threshold)
    linker.ENABLED = linker_on
    if threshold is not None:
        tax.threshold = threshold
    try:
        return {name: [f.to_dict() for f in extract(doc)] for name, doc in docs}
    finally:
        linker.ENABLED, tax.threshold = saved


def linking(shared: Path, out: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """Rules alone against rules + linker: compare_dev per threshold, and phrasings outside the aliases."""
    from extractors import linker
    from pipeline.process import clean_path

    rows: list[dict[str, Any]] = []
    gold_path, folder = shared / "gold" / "compare_dev.jsonl", shared / "corpus" / "reports"
    if gold_path.is_file() and folder.is_dir():
        cs = compare_scorer(shared)
        gold = cs.load_jsonl(str(gold_path))
        try:
            from pipeline.metadata import document_metadata
        except ImportError:  # pragma: no cover
            document_metadata = None  # type: ignore[assignment]
        docs = []
        for name in sorted({g["doc"] for g in gold}):
            doc = clean_path(str(folder / name))
            if document_metadata is not None:
                doc.meta.update(document_metadata(doc))
            docs.append((name, doc))
        shipped = linker.threshold()
        runs = [("rules alone", False, None)] + [("rules + linker", True, t)
                                                 for t in sorted({*LINK_THRESHOLDS, shipped})]
        for name, on, t in runs:
            preds = _compare_run(docs, on, t)
            s = cs.score([dict(g) for g in gold], preds)
            rows.append({"set": "compare_dev", "extractor": name, "threshold": t, "shipped": t == shipped,
                         "found": s["found"], "with_indicator": s["with_indicator"],
                         "link_precision": s["link_precision"], "link_recall": s["link_recall"], "cells": s["cells"]})
        out(f"linking on compare_dev ({len(gold)} observations, {len(docs)} reports): rules alone against rules "
            "+ linker")
        out(f"{'extractor':<16} {'threshold':>9} {'found':>6} {'with ind':>8} {'link P':>7} {'link R':>7} {'cells':>6}")
        for r in rows:
            shown = "-" if r["threshold"] is None else f"{r['threshold']:.2f}" + ("*" if r["shipped"] else "")
            out(f"{r['extractor']:<16} {shown:>9} {r['found']:>6.3f} {r['with_indicator']:>8.3f} "
                f"{r['link_precision']:>7.3f} {r['link_recall']:>7.3f} {r['cells']:>6.3f}")
        base = rows[0]
        at_p = [r for r in rows[1:] if r["link_precision"] >= base["link_precision"]]
        if at_p:
            best = max(at_p, key=lambda r: r["link_recall"])
            out(f"at the rules' precision ({base['link_precision']:.3f}) or better, the linker's recall is "
                f"{best['link_recall']:.3f} (threshold {best['threshold']:.2f}) against {base['link_recall']:.3f}: "
                f"{best['link_recall'] - base['link_recall']:+.3f}   (* the shipped threshold)")
        rows += unseen_on_compare_dev(cs, gold, docs, out)
    train, held = linker.examples(log=lambda _line: None)
    res = linker.sweep(held, thresholds=LINK_THRESHOLDS, log=lambda _line: None)
    p_r, r_r = res["unseen_rules"]
    out(f"phrasings outside the aliases ({sum(1 for ex in held if ex.source == 'aliases')} held-out synthetic "
        f"sentences, their alias taken out of the taxonomy): rules alone P {p_r:.3f} R {r_r:.3f}")
    for t in LINK_THRESHOLDS:
        p, r = res["unseen"][t]
        rows.append({"set": "unseen", "extractor": "rules + linker", "threshold": t, "link_precision": p,
                     "link_recall": r})
        out(f"  rules + linker at {t:.2f}: P {p:.3f} R {r:.3f}")
    return rows


def unseen_on_compare_dev(cs: ModuleType, gold: list[dict], docs: list[tuple[str, Document]],
                          out: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """compare_dev as if its reports wrote every headline figure outside the aliases: each gold
    observation's figure has every alias of its concept's indicator that its text holds taken out
    of the taxonomy (``linker.rule_link`` and ``linker.scores`` with ``hidden``), and is linked by
    the alias rules alone, or by the rules and then the linker. Scored by compare_score (pairs of
    reports), so the real reports' sentences test the phrasings the aliases miss, which other
    reports, years and 两纲 monitoring reports write. The concept's indicator is the one most of
    its observations get with the whole taxonomy (as compare_score names it)."""
    import copy
    from collections import Counter

    from extractors import linker, rules

    preds: dict[str, list[dict]] = {}
    mention_of: dict[int, linker.Mention] = {}
    for name, doc in docs:
        sink: list = []
        rules._LINK_SINK = sink
        try:
            figs = rules.extract(doc)
        finally:
            rules._LINK_SINK = None
        by_fig = {id(f): m for f, m, _ in sink}
        preds[name] = [f.to_dict() for f in figs]
        for f, d in zip(figs, preds[name]):
            if id(f) in by_fig:
                mention_of[id(d)] = by_fig[id(f)]
    matched = [dict(g) for g in gold]
    cs.match(matched, preds)
    majority: dict[str, str] = {}
    for concept in {g["concept"] for g in matched}:
        ids = Counter(g["_pred"].get("indicator") for g in matched
                      if g["concept"] == concept and g["_pred"] and g["_pred"].get("indicator"))
        if ids:
            majority[concept] = ids.most_common(1)[0][0]
    tax = linker.taxonomy()
    cases = []  # (pred dict, mention, hidden)
    for g in matched:
        d = g["_pred"]
        m = mention_of.get(id(d)) if d else None
        ind = majority.get(g["concept"])
        if m is None or ind is None or ind not in tax.by_id:
            continue
        noun = m.part or m.subject
        used = [a for a in tax.entries[tax.by_id[ind]].aliases if a in noun]
        cases.append((d, m, (ind, max(used, key=len)) if used else None))
    ranked = [linker.scores(m, hidden=h) for _, m, h in cases]
    alone = [linker.rule_link(m, h) for _, m, h in cases]

    def run(links: list[str | None]) -> dict:
        new = copy.deepcopy(preds)
        where = {id(d): (name, i) for name, ds in preds.items() for i, d in enumerate(ds)}
        for (d, _, _), link in zip(cases, links):
            name, i = where[id(d)]
            new[name][i]["indicator"] = link
        return cs.score([dict(g) for g in gold], new)

    rows = []
    base = run(alone)
    rows.append({"set": "compare_dev aliases held out", "extractor": "rules alone", "threshold": None,
                 "link_precision": base["link_precision"], "link_recall": base["link_recall"], "cells": base["cells"]})
    for t in sorted({*LINK_THRESHOLDS, linker.threshold()}):
        s = run([a or linker.linked(rk, t) for a, rk in zip(alone, ranked)])
        rows.append({"set": "compare_dev aliases held out", "extractor": "rules + linker", "threshold": t,
                     "link_precision": s["link_precision"], "link_recall": s["link_recall"], "cells": s["cells"]})
    out(f"compare_dev with the aliases its {len(cases)} observations write taken out of the taxonomy "
        "(phrasings outside the aliases, real sentences):")
    for r in rows:
        shown = "-" if r["threshold"] is None else f"{r['threshold']:.2f}"
        out(f"  {r['extractor']:<16} {shown:>5}  link P {r['link_precision']:.3f}  R {r['link_recall']:.3f}  "
            f"cells {r['cells']:.3f}")
    at_p = [r for r in rows[1:] if r["link_precision"] >= base["link_precision"]]
    if at_p:
        best = max(at_p, key=lambda r: r["link_recall"])
        out(f"  at the rules' precision ({base['link_precision']:.3f}) or better, the linker's recall is "
            f"{best['link_recall']:.3f} (threshold {best['threshold']:.2f}) against {base['link_recall']:.3f}: "
            f"{best['link_recall'] - base['link_recall']:+.3f}")
    return rows


def sweep(shared: Path, thresholds: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98),
          out: Callable[[str], None] = print) -> None:
    """Ensemble scores per threshold on the synthetic checkpoint-selection documents."""
    from extractors.model import merge, predict_spans
    from extractors.rules import extract_text
    from extractors.train import N_DOCS, N_VAL, TRAIN_SEED, synthetic_docs

    score = scorer(shared)
    docs = [(f"val{i}", body, truth) for i, ((body, _), truth) in
            enumerate(synthetic_docs(N_VAL, TRAIN_SEED, start=N_DOCS))]
    gold = [{"doc": name, "figures": truth} for name, _, truth in docs]
    spans = {name: predict_spans(body) for name, body, _ in docs}
    base = score.score_figures(gold, {n: [f.to_dict() for f in extract_text(b)] for n, b, _ in docs}, False)
    out(f"synthetic documents {N_DOCS}-{N_DOCS + N_VAL - 1} of seed {TRAIN_SEED}: rules figures F1 "
        f"{base['figures']['f1']:.4f}, with subject {base['figures_with_subject']['f1']:.4f}")
    for t in thresholds:
        preds = {n: [f.to_dict() for f in merge(b, extract_text(b), spans[n], t)] for n, b, _ in docs}
        s = score.score_figures(gold, preds, False)
        f, w = s["figures"], s["figures_with_subject"]
        out(f"ensemble min_score {t:.2f}: figures P {f['precision']:.4f} R {f['recall']:.4f} F1 {f['f1']:.4f}, "
            f"with subject F1 {w['f1']:.4f}")
