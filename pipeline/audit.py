"""Audit: findings a federation can act on, each with its evidence (issue 6).

``audit(db_path)`` runs every registered check over a corpus database (never the source
files), replaces the check's rows in the ``audit_findings`` table and returns the findings;
``render(findings, fmt)`` writes them as a table, Markdown, HTML or JSON.

Checks (``CHECKS`` registry, thresholds in ``pipeline/data/audit.toml``):

- ``parts_total``        其中/当中 breakdowns whose parts exceed their total, or (分别为, 其余/其他,
                         城镇/农村 …) claim to be complete and sum to another total; severity from the
                         evidence that they are a total and its parts (``breakdown_evidence``);
- ``placeholders``       unfilled templates: redacted figures (*名, XX个) and names (**乡);
- ``template_reuse``     paragraphs shared by documents of different regions (MinHash LSH over
                         shingles of digit-masked text), with or without changed figures;
- ``conflicting_figures`` one region, indicator and year with values that cannot be the same;
- ``implausible_change`` year-over-year jumps beyond a factor; stated growth rates that disagree
                         with the two yearly values;
- ``date_inconsistency`` title year vs events in the body vs publication/update dates;
- ``incomplete_source``  truncated documents (paywalls): absent figures are unknown, not zero;
- ``digit_statistics``   first-digit (Benford) and last-digit tests, corpus-wide and per body.

``audit_findings`` is created by the store's migration ``0002_audit_findings``.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import sqlite3
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlite_utils import Database

from pipeline.registry import Registry
from pipeline.settings import load_data
from pipeline.types import HuibaoError

SEVERITIES = ("high", "medium", "low", "info")


@dataclass
class Finding:
    """One thing an auditor should look at; ``evidence`` holds offsets into the cleaned texts."""

    check: str
    severity: str
    document_ids: list[str]
    figure_ids: list[int]
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        return {"check": self.check, "severity": self.severity,
                "document_ids": json.dumps(self.document_ids),
                "figure_ids": json.dumps(self.figure_ids),
                "message": self.message, "evidence": json.dumps(self.evidence, ensure_ascii=False)}


Check = Callable[["Corpus"], Iterable[Finding]]
CHECKS: Registry[Check] = Registry("audit checks")


def settings() -> dict[str, Any]:
    """The audit thresholds (``pipeline/data/audit.toml`` plus any user override)."""
    return load_data("pipeline", "audit")


# ---------------------------------------------------------------- schema

# ---------------------------------------------------------------- reading the corpus

@dataclass
class Corpus:
    """Read access to a corpus database for the checks, with a per-run cache of texts."""

    db: Database
    cfg: dict[str, Any]
    _texts: dict[str, str] = field(default_factory=dict)
    _docs: dict[str, dict[str, Any]] | None = None

    def documents(self) -> dict[str, dict[str, Any]]:
        """Current (newest ok) documents by id, ``meta`` decoded."""
        if self._docs is None:
            docs = {}
            for r in self.db.query("SELECT * FROM current_documents ORDER BY path"):
                r = dict(r)
                try:
                    r["meta"] = json.loads(r["meta"]) if r.get("meta") else {}
                except ValueError:
                    r["meta"] = {}
                docs[r["id"]] = r
            self._docs = docs
        return self._docs

    def text(self, doc_id: str) -> str:
        t = self._texts.get(doc_id)
        if t is None:
            row = self.db.execute("SELECT text FROM texts WHERE document_id = ?", [doc_id]).fetchone()
            t = self._texts[doc_id] = row[0] if row else ""
        return t

    def figures(self, where: str = "1", params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        """Figures of current documents (``f.*`` plus region/org/year of the document)."""
        sql = f"""SELECT f.*, d.region AS doc_region, d.org AS doc_org, d.path AS doc_path
                  FROM figures f JOIN current_documents d ON d.id = f.document_id
                  WHERE {where} ORDER BY f.document_id, f.start, f.idx"""
        return [dict(r) for r in self.db.query(sql, list(params))]


# ---------------------------------------------------------------- small helpers

_SENT_END = "。！？!?\n"


def sentence_span(text: str, pos: int, ends: str = _SENT_END) -> tuple[int, int]:
    """The sentence around ``pos``: after the previous end mark, through the next one.

    >>> t = "甲。乙有3人，丙4人。丁"
    >>> s, e = sentence_span(t, 4); t[s:e]
    '乙有3人，丙4人。'
    """
    s = pos
    while s > 0 and text[s - 1] not in ends:
        s -= 1
    e = pos
    while e < len(text) and text[e] not in ends:
        e += 1
    return s, min(len(text), e + 1)


def quantum(value: float) -> float:
    """One unit of the last written significant digit: 80 -> 10, 723 -> 1, 1205000 -> 1000, 5.5 -> 0.1.

    >>> quantum(80), quantum(723), quantum(1205000), quantum(5.5), quantum(0)
    (10, 1, 1000, 0.1, 1)
    """
    if value == 0:
        return 1
    v = abs(value)
    if float(v).is_integer():
        n = int(v)
        q = 1
        while n % (q * 10) == 0:
            q *= 10
        return q
    s = f"{v:.6f}".rstrip("0")
    return 10 ** -(len(s.split(".")[1]))


_LITERAL = re.compile(r"([0-9０-９]+)(?:[.．]([0-9０-９]+))?")


def resolution(value: float, text: str | None) -> float:
    """Rounding step of a figure as written: 12.34万元 -> 100, 40万元 -> 10000, 29名 -> 0 (exact).

    >>> resolution(123400, "12.34万元"), resolution(400000, "40万元"), resolution(29, "29名")
    (100.0, 10000.0, 0)
    >>> resolution(-1, "-1%")
    0
    """
    m = _LITERAL.search(text or "")
    if not m:
        return 0
    lit = float(m.group(0).translate(_FULLWIDTH))
    decimals = len(m.group(2) or "")
    mult = abs(value) / lit if lit else 1.0  # the literal carries no sign: -1% has a step of 1, not -1
    if decimals == 0 and abs(mult - 1) < 1e-9:
        return 0  # a plain integer is exact
    return round(mult * 10 ** -decimals, 6)


_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def approx_direction(approx: str | None, cfg: dict[str, Any]) -> str | None:
    """'more', 'less', 'about' or None for an exact figure."""
    if not approx:
        return None
    c = cfg["common"]
    for test in (lambda w: w == approx, lambda w: w in approx):  # 上下 is "about" although it holds 上
        for direction in ("more", "less", "about"):
            if any(test(w) for w in c[f"approx_{direction}"]):
                return direction
    return "about"


def value_range(fig: dict[str, Any], cfg: dict[str, Any]) -> tuple[float, float]:
    """Where the true value of a figure can lie, from its qualifier and its rounding.

    >>> cfg = settings()
    >>> value_range({"value": 80, "approx": "余", "text": "80余所"}, cfg)
    (80.0, 90.0)
    >>> value_range({"value": 29, "approx": None, "text": "29名"}, cfg)
    (29.0, 29.0)
    """
    v = float(fig["value"])
    high = fig.get("high")
    hi_v = float(high) if high is not None else v
    d = approx_direction(fig.get("approx"), cfg)
    if d is None:
        half = resolution(v, fig.get("text")) / 2
        return (v - half, hi_v + half) if half else (v, hi_v)
    q = quantum(v)
    if d == "more":
        return v, hi_v + q
    if d == "less":
        return v - q, hi_v
    return v - q / 2, hi_v + q / 2


def overlap(a: tuple[float, float], b: tuple[float, float], slack: float) -> bool:
    """Do two ranges meet, each widened by ``slack`` times its magnitude?

    >>> overlap((100, 100), (101, 101), 0.0), overlap((100, 100), (101, 101), 0.01)
    (False, True)
    """
    a0, a1 = a[0] - abs(a[0]) * slack, a[1] + abs(a[1]) * slack
    b0, b1 = b[0] - abs(b[0]) * slack, b[1] + abs(b[1]) * slack
    return a0 <= b1 and b0 <= a1


def _unit_compatible(u1: str | None, u2: str | None, cfg: dict[str, Any]) -> bool:
    if u1 == u2:
        return True
    if not u1 or not u2:
        return False
    return any(u1 in g and u2 in g for g in cfg["common"]["unit_groups"])


def _item(fig: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    """Evidence for one figure: where it is and the sentence it came from."""
    out = {"document_id": fig["document_id"], "figure_id": fig["id"], "text": fig.get("text"),
           "value": fig.get("value"), "start": fig.get("start"), "end": fig.get("end"),
           "raw_start": fig.get("raw_start"), "raw_end": fig.get("raw_end"), "sentence": fig.get("sentence")}
    if fig.get("doc_path"):
        out["path"] = fig["doc_path"]
    if text is not None and fig.get("start") is not None and (not out["sentence"] or out["sentence"] not in text):
        # no stored sentence, or one written as the source writes it (full-width ６％): the clean text's
        s, e = sentence_span(text, fig["start"])
        out["sentence"] = text[s:e]
    return out


# ---------------------------------------------------------------- 1. parts and totals

@CHECKS.register("parts_total")
def check_parts_total(corpus: Corpus) -> Iterator[Finding]:
    """Breakdowns whose parts exceed their total, or claim completeness and miss it."""
    cfg = corpus.cfg
    pc = cfg["parts_total"]
    words = pc["markers"] + pc["complete_markers"]
    like = " OR ".join("instr(t.text, ?) > 0" for _ in words)
    rows = corpus.db.execute(f"""SELECT t.document_id FROM texts t JOIN current_documents d
                                 ON d.id = t.document_id WHERE {like}""", words).fetchall()
    candidates = [r[0] for r in rows]
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in range(0, len(candidates), 500):
        chunk = candidates[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for f in corpus.figures(f"f.document_id IN ({marks}) AND f.start IS NOT NULL", chunk):
            by_doc[f["document_id"]].append(f)
    for doc_id in candidates:
        figs = by_doc.get(doc_id)
        if figs:
            yield from breakdown_findings(corpus.text(doc_id), figs, cfg)


_MARKER_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _marker_re(words: list[str]) -> re.Pattern[str]:
    key = tuple(words)
    if key not in _MARKER_CACHE:
        _MARKER_CACHE[key] = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    return _MARKER_CACHE[key]


def _bracket_paths(text: str, s0: int, s1: int, pairs: list[str]) -> list[tuple[int, ...]]:
    """For each offset of ``text[s0:s1]``, the brackets it is inside (outermost first, by their opening
    offset); a closing bracket is inside its own bracket. An unclosed bracket runs to ``s1``.

    >>> t = "甲7个（乙3个)丙"
    >>> [len(p) for p in _bracket_paths(t, 0, len(t), ["（）", "()"])]
    [0, 0, 0, 1, 1, 1, 1, 1, 0]
    """
    opens = {p[0] for p in pairs if len(p) == 2}
    closes = {p[1] for p in pairs if len(p) == 2}
    stack: list[int] = []
    out: list[tuple[int, ...]] = []
    path: tuple[int, ...] = ()
    for k in range(s0, s1):
        c = text[k]
        if c in opens:
            stack.append(k)
            path = tuple(stack)
            out.append(path)
        elif c in closes and stack:  # any closing bracket closes the innermost (OCR mixes （…) widths)
            out.append(path)
            stack.pop()
            path = tuple(stack)
        else:
            out.append(path)
    return out


def _inside(path: tuple[int, ...], outer: tuple[int, ...]) -> bool:
    """Is a figure with bracket ``path`` visible at the level of ``outer`` (the same bracket or outside it)?"""
    return path == outer[:len(path)]


def _same_unit(u1: str | None, u2: str | None, cfg: dict[str, Any]) -> bool:
    """Do two measure words count the very same thing (人 = 名; 个 the generic classifier)?"""
    c = cfg["common"]
    if u1 == u2 or c.get("generic_classifier") in (u1, u2):
        return True
    return any(u1 in g and u2 in g for g in c.get("unit_same", []))


def _partition(labels: list[str], partitions: list[list[str]]) -> list[str] | None:
    """The partition whose members the parts' labels name, each part one member and each member once.

    >>> _partition(["城镇妇女", "农村妇女"], [["男", "女"], ["城镇", "农村"]])
    ['城镇', '农村']
    >>> _partition(["城镇妇女", "城镇儿童"], [["城镇", "农村"]]) is None
    True
    """
    for members in partitions:
        if len(members) != len(labels):
            continue
        hits = [[m for m in members if m in lab] for lab in labels]
        if all(len(h) == 1 for h in hits) and len({h[0] for h in hits}) == len(members):
            return list(members)
    return None


def breakdown_groups(text: str, figs: list[dict[str, Any]], cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """Total, parts and completeness of each breakdown in a document's text.

    The extractor's ``parent`` links are used when they point to a compatible figure before
    the marker; otherwise the total is the nearest compatible figure before it (so that
    当中 and 分别为, which the extractor does not link, are read too). A marker inside a bracket
    breaks down only what the bracket qualifies; figures in a bracket of their own are notes on
    one part (含…), not parts; ratios (倍, 成) are never parts or totals.
    """
    pc = cfg["parts_total"]
    kinds = set(cfg["common"]["additive_kinds"])
    ratios = set(cfg["common"].get("non_additive_units", []))
    marker_re = _marker_re(pc["markers"] + pc["complete_markers"])
    complete_words = set(pc["complete_markers"])
    remainder = pc["remainder_words"]
    brackets = pc.get("brackets", [])
    usable = [f for f in figs if f.get("start") is not None and f.get("kind") in kinds
              and not f.get("redacted") and f.get("value") is not None and f.get("unit") not in ratios]
    by_idx = {f["idx"]: f for f in usable}
    groups = []
    paths_cache: dict[tuple[int, int], list[tuple[int, ...]]] = {}
    for m in marker_re.finditer(text):
        s0, s1 = sentence_span(text, m.start())
        if (s0, s1) not in paths_cache:
            paths_cache[(s0, s1)] = _bracket_paths(text, s0, s1, brackets)
        paths = paths_cache[(s0, s1)]

        def path_at(k: int, s0: int = s0, paths: list[tuple[int, ...]] = paths) -> tuple[int, ...]:
            return paths[k - s0] if s0 <= k < s0 + len(paths) else ()

        level = path_at(m.start())
        # the parts run to the next marker of the same level or the end of the clause group (；)
        end = s1
        for k in range(m.end(), s1):
            if text[k] in pc["scope_end"] or path_at(k)[:len(level)] != level:  # a bracket around it closed
                end = k
                break
        nxt = next((n for n in marker_re.finditer(text, m.end(), end) if path_at(n.start()) == level), None)
        if nxt:
            end = nxt.start()
        for k in range(m.end(), end):
            if text[k] in "，," and path_at(k) == level \
                    and any(text.startswith(w, k + 1) for w in pc["clause_stop_prefixes"]):
                end = k
                break
        parts = [f for f in usable if m.end() <= f["start"] < end and path_at(f["start"]) == level]
        if not parts:
            continue
        before = [f for f in usable if s0 <= f["start"] and f["end"] <= m.start()
                  and _inside(path_at(f["start"]), level)]
        total = None
        parent = by_idx.get(parts[0].get("parent")) if parts[0].get("parent") is not None else None
        if parent is not None and parent in before and parent["kind"] == parts[0]["kind"] \
                and _unit_compatible(parent.get("unit"), parts[0].get("unit"), cfg):
            total = parent
        if total is None:
            # a blank total (达到X个，其中…) ends the search: the figure before it is something else
            blanks = [f for f in figs if f.get("redacted") and f.get("start") is not None
                      and s0 <= f["start"] and f["end"] <= m.start()]
            for f in sorted(before + blanks, key=lambda f: f["start"], reverse=True):
                if f["kind"] == parts[0]["kind"] and _unit_compatible(f.get("unit"), parts[0].get("unit"), cfg):
                    total = f
                    break
        if total is None or total.get("redacted"):
            continue
        parts = [p for p in parts if p["kind"] == total["kind"]
                 and _unit_compatible(p.get("unit"), total.get("unit"), cfg)]
        if not parts:
            continue
        complete = m.group(0) in complete_words
        closing = None
        labels = []
        for p in parts:
            clause_start = m.end()
            for k in range(m.end(), p["start"]):
                if text[k] in "，,、":
                    clause_start = k + 1
            label = text[clause_start:p["start"]]
            labels.append(label + (p.get("subject") or ""))
            if any(w in label for w in remainder):
                complete, closing = True, p
        partition = _partition(labels, pc.get("partitions", [])) if len(parts) > 1 else None
        unstated_rest = not complete and not partition and any(w in text[m.end():end] for w in remainder)
        # a blank part (婚姻家庭纠纷X件) may be anything: such parts can still exceed their total, but not miss it
        blank_parts = any(f.get("redacted") and f.get("start") is not None and m.end() <= f["start"] < end
                          for f in figs)
        t_clause = total["start"]
        while t_clause > s0 and text[t_clause - 1] not in "，,；;：:。":
            t_clause -= 1
        groups.append({"total": total, "parts": parts, "marker": m.group(0), "marker_start": m.start(),
                       "complete": complete or partition is not None, "closing": closing,
                       "partition": partition, "unstated_rest": unstated_rest, "blank_parts": blank_parts,
                       "total_clause": text[t_clause:total["start"]], "part_labels": labels,
                       "sentence": (s0, s1)})
    return groups


def _splits_into_totals(values: list[float], total: float, tol: float) -> bool:
    """Do the parts fall into consecutive runs that each make the total (two breakdowns of one total)?

    >>> _splits_into_totals([15, 14, 20, 9], 29, 0), _splits_into_totals([15, 14, 20], 29, 0)
    (True, False)
    """
    acc, runs = 0.0, 0
    for v in values:
        acc += v
        if abs(acc - total) <= tol:
            acc, runs = 0.0, runs + 1
        elif acc > total + tol:
            return False
    return acc == 0 and runs >= 2


def _shares_subject(total: dict[str, Any], labels: list[str]) -> bool:
    """Does a part's label name the total's thing (two characters of the total's subject in a row)?"""
    subj = total.get("subject") or ""
    grams = {subj[i:i + 2] for i in range(len(subj) - 1)}
    return any(g in lab for lab in labels for g in grams)


def breakdown_evidence(g: dict[str, Any], kind: str, ratio: float, cfg: dict[str, Any]) -> list[tuple[str, int]]:
    """Why a breakdown that does not add up is (or is not) trusted as one: (reason, points) pairs.

    ``kind`` is exceed / complete_short / near_miss; ``ratio`` is parts / total (above 1 when exceeding).
    The severity is read from the sum (``severity_high`` / ``severity_medium`` in audit.toml).
    """
    pc = cfg["parts_total"]
    total, parts = g["total"], g["parts"]
    out: list[tuple[str, int]] = []
    if kind == "exceed":
        out.append((f"explicit breakdown marker {g['marker']}", pc["score_marker_exceed"]))
    elif g["complete"]:
        why = ("parts name the whole partition " + "/".join(g["partition"]) if g.get("partition")
               else "a remainder (其余/其他) closes the list" if g.get("closing") else f"{g['marker']} lists them all")
        out.append((f"the list claims to be complete: {why}", pc["score_complete"]))
    else:
        out.append((f"{g['marker']} list without a claim to be complete", pc["score_partial_short"]))
    if any(w in g.get("total_clause", "") for w in pc.get("total_cues", [])):
        out.append(("the total's clause calls it a total", pc["score_total_cue"]))
    if all(_same_unit(p.get("unit"), total.get("unit"), cfg) for p in parts):
        out.append(("parts and total in the same unit", pc["score_same_unit"]))
    else:
        out.append(("parts in another measure word than the total", pc["score_mixed_unit"]))
    if _shares_subject(total, g.get("part_labels", [])):
        out.append(("a part names the total's subject", pc["score_same_subject"]))
    if kind == "exceed":
        if ratio > pc["exceed_far"]:
            out.append((f"parts {ratio:.1f} times the total: probably not its parts", pc["score_far"]))
        elif ratio <= pc["exceed_close"]:
            out.append(("parts exceed the total by less than its size", pc["score_close"]))
    elif 1 - ratio <= pc["near_miss"]:
        out.append(("parts fall short by a small share (a slip)", pc["score_close"]))
    return out


def breakdown_findings(text: str, figs: list[dict[str, Any]], cfg: dict[str, Any]) -> Iterator[Finding]:
    """Findings for the breakdowns of one document (see ``breakdown_groups``), severity by evidence."""
    pc = cfg["parts_total"]
    slack = cfg["common"]["relative_slack"]
    for g in breakdown_groups(text, figs, cfg):
        total, parts = g["total"], g["parts"]
        t_lo, t_hi = value_range(total, cfg)
        ranges = [value_range(p, cfg) for p in parts]
        p_lo, p_hi = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
        exact = all(r[0] == r[1] for r in ranges) and t_lo == t_hi
        pad = abs(t_hi) * slack
        kind = None
        if p_lo > t_hi + pad:
            if exact and _splits_into_totals([p["value"] for p in parts], total["value"], pad):
                continue
            kind = "exceed"
        elif g["blank_parts"]:
            continue
        elif g["complete"] and p_hi < t_lo - pad:
            kind = "complete_short"
        elif (not g["complete"] and not g["unstated_rest"] and p_hi < t_lo - pad
              and len(parts) >= pc["near_miss_min_parts"] and p_hi >= t_lo * (1 - pc["near_miss"])):
            kind = "near_miss"
        if kind is None:
            continue
        psum = sum(p["value"] for p in parts)
        ratio = psum / total["value"] if total["value"] else math.inf
        reasons = breakdown_evidence(g, kind, ratio, cfg)
        score = sum(p for _, p in reasons)
        sev = "high" if score >= pc["severity_high"] else "medium" if score >= pc["severity_medium"] else "low"
        s0, s1 = g["sentence"]
        what = {"exceed": "add up to more than their total",
                "complete_short": "are given as complete but add up to less than their total",
                "near_miss": "add up to slightly less than their total (an almost complete list: a part may "
                             "be mistyped or missing)"}[kind]
        yield Finding(
            check="parts_total", severity=sev, document_ids=[total["document_id"]],
            figure_ids=[total["id"]] + [p["id"] for p in parts],
            message=(f"the parts of {total['text']} ({' + '.join(str(p['text']) for p in parts)} = {psum:g}) "
                     f"{what}: {total['value']:g}; evidence {score:+d} ({'; '.join(r for r, _ in reasons)})"),
            evidence={"kind": kind, "total": total["value"], "parts_sum": psum,
                      "parts": [p["value"] for p in parts], "marker": g["marker"], "complete": g["complete"],
                      "partition": g.get("partition"), "score": score,
                      "reasons": [{"reason": r, "points": p} for r, p in reasons],
                      "document_id": total["document_id"], "start": s0, "end": s1, "sentence": text[s0:s1],
                      "items": [_item(total, text)] + [_item(p, text) for p in parts]})


# ---------------------------------------------------------------- 2. placeholders

@CHECKS.register("placeholders")
def check_placeholders(corpus: Corpus) -> Iterator[Finding]:
    """Unfilled templates: redacted figures and names; severity by how many."""
    pc = corpus.cfg["placeholders"]
    redacted: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in corpus.figures("f.redacted = 1"):
        redacted[f["document_id"]].append(f)
    for doc_id, d in corpus.documents().items():
        figs = redacted.get(doc_id, [])
        n_names = max(0, (d.get("placeholders") or 0) - len(figs))
        if not figs and not (n_names and pc["report_names_only"]):
            continue
        if len(figs) >= pc["high_min_figures"]:
            sev = "high"
        elif figs:
            sev = "medium"
        else:
            sev = "low"
        what = (f"{len(figs)} figures left blank ({', '.join(str(f['text']) for f in figs[:4])}"
                f"{' …' if len(figs) > 4 else ''})" if figs else "no blank figure")
        text = corpus.text(doc_id)
        message = (f"unfilled template: {what}; {d.get('placeholders') or 0} placeholders in all "
                   "(names such as XX县 / **乡 included)" if figs else
                   f"{d.get('placeholders')} anonymised names (XX市委, **乡 ...), no blank figure: a republished "
                   "or template copy rather than the submission itself")
        yield Finding(
            check="placeholders", severity=sev, document_ids=[doc_id], figure_ids=[f["id"] for f in figs],
            message=message,
            evidence={"redacted_figures": len(figs), "placeholders": d.get("placeholders") or 0,
                      "items": [_item(f, text) for f in figs[:pc["max_evidence"]]]})


# ---------------------------------------------------------------- 3. template reuse

_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_NUMBER_RE = re.compile(rf"[0-9０-９]+(?:[.．][0-9０-９]+)?[万亿千百]*|[{_CN_NUM}]+")


@dataclass
class ReusePair:
    """Two passages whose digit-masked text is near-identical."""

    a: int  # passage ids (PassageIndex.doc / start / end)
    b: int
    similarity: float


class PassageIndex:
    """MinHash LSH (datasketch) over paragraphs, numbers masked, for template reuse.

    ``add(doc, text, figure_spans)`` indexes the paragraphs of one document as it streams
    by (nothing but the signature, offsets and a hash of the numbers is kept per passage);
    ``pairs()`` yields near-duplicate passages of different documents. The audit feeds it
    from SQLite, the benchmark from generated texts: one code path.
    """

    def __init__(self, cfg: dict[str, Any]):
        from datasketch import MinHash, MinHashLSH

        tc = cfg["template_reuse"]
        self.tc = tc
        self.k = int(tc["shingle"])
        self.num_perm = int(tc["num_perm"])
        self._MinHash = MinHash
        self.lsh = MinHashLSH(num_perm=self.num_perm, params=(int(tc["bands"]), int(tc["rows"])),
                              hashfunc=_band_key)
        before = "|".join(re.escape(w) for w in tc["strip_before"])
        after = "|".join(re.escape(w) for w in tc["strip_after"])
        drop = "|".join(re.escape(w) for w in tc.get("drop_words", [])) or "(?!)"
        self._mask_re = re.compile(rf"(?P<num>(?:{before})?(?:{_NUMBER_RE.pattern})(?:{after})?)|(?P<drop>{drop})")
        self._space_re = re.compile(r"\s+")
        self.doc = array("i")
        self.start = array("i")
        self.end = array("i")
        self.numbers = array("q")
        # signatures of distinct masked passages, in blocks so that a large corpus never copies them
        self._blocks: list[np.ndarray] = []
        self.n_sigs = 0
        self._rep: dict[int, int] = {}  # masked-text hash -> first passage with that text
        self.same_as = array("i")  # the first passage with the same masked text (itself if first)
        self.row = array("i")  # the passage's signature row, -1 for a repeat of an earlier text
        self.members: dict[int, list[int]] = {}
        self.n_docs = 0

    def mask(self, s: str) -> str:
        """Whitespace removed, each number (with 约/余 ...) replaced by #.

        >>> PassageIndex(settings()).mask("共建成约300个， 其中新建80余所")
        '共建成#个，其中新建#所'
        """
        return self._mask_re.sub(lambda m: "#" if m.group("num") else "", self._space_re.sub("", s))

    def add(self, doc: int, text: str, figure_spans: list[tuple[int, int]] | None = None) -> None:
        min_chars = int(self.tc["min_chars"])
        need_fig = bool(self.tc["require_figure"]) and figure_spans is not None
        spans = sorted(figure_spans or [])
        self.n_docs += 1
        pos = 0
        for para in text.split("\n"):
            start, end = pos, pos + len(para)
            pos = end + 1
            if len(para.strip()) < min_chars:
                continue
            if need_fig and not _any_within(spans, start, end):
                continue
            masked = self.mask(para)
            key = int.from_bytes(hashlib.blake2b(masked.encode(), digest_size=8).digest(), "little", signed=True)
            nums = "|".join(_NUMBER_RE.findall(para))
            pid = len(self.doc)
            self.doc.append(doc)
            self.start.append(start)
            self.end.append(end)
            self.numbers.append(int.from_bytes(hashlib.blake2b(nums.encode(), digest_size=8).digest(),
                                               "little", signed=True))
            rep = self._rep.get(key)
            if rep is not None:
                self.same_as.append(rep)
                self.row.append(-1)
                self.members.setdefault(rep, [rep]).append(pid)
                continue
            self._rep[key] = pid
            self.same_as.append(pid)
            m = self._MinHash(num_perm=self.num_perm, seed=int(self.tc["seed"]), hashfunc=int)
            m.update_batch(shingle_hashes(masked, self.k))
            self._store(m.hashvalues)
            self.row.append(self.n_sigs - 1)
            self.lsh.insert(pid, m, check_duplication=False)

    _BLOCK = 1 << 16

    def _store(self, sig: np.ndarray) -> None:
        r = self.n_sigs % self._BLOCK
        if r == 0:
            self._blocks.append(np.empty((self._BLOCK, self.num_perm), dtype=sig.dtype))
        self._blocks[-1][r] = sig
        self.n_sigs += 1

    def signature(self, pid: int) -> np.ndarray:
        """The MinHash signature of a passage (of its first occurrence when repeated)."""
        r = self.row[self.same_as[pid]]
        return self._blocks[r // self._BLOCK][r % self._BLOCK]

    def pairs(self) -> Iterator[ReusePair]:
        """Near-duplicate passages of different documents (stock text shared by many is skipped)."""
        from datasketch import LeanMinHash

        threshold = float(self.tc["threshold"])
        max_docs = int(self.tc["max_docs"])
        max_cand = int(self.tc["max_candidates"])
        self.skipped_common = 0
        for rep in range(len(self.doc)):
            if self.row[rep] < 0:
                continue
            sig = self.signature(rep)
            cands = self.lsh.query(LeanMinHash(seed=int(self.tc["seed"]), hashvalues=sig, scheme="affine32"))
            if len(cands) > max_cand:
                self.skipped_common += 1
                continue
            close = []
            for c in cands:
                if c == rep:
                    continue
                sim = float(np.mean(self.signature(c) == sig))
                if sim >= threshold:
                    close.append((c, sim))
            group_docs = {self.doc[p] for p in self.members.get(rep, [rep])}
            for c, _ in close:
                group_docs.update(self.doc[p] for p in self.members.get(c, [c]))
            if len(group_docs) > max_docs:
                self.skipped_common += 1
                continue
            mine = self.members.get(rep, [rep])
            for a_i, a in enumerate(mine):  # exact copies among themselves
                for b in mine[a_i + 1:]:
                    if self.doc[a] != self.doc[b]:
                        yield ReusePair(a, b, 1.0)
            for c, sim in close:
                if c < rep:
                    continue  # each pair once
                for a in mine:
                    for b in self.members.get(c, [c]):
                        if self.doc[a] != self.doc[b]:
                            yield ReusePair(a, b, sim)


def _band_key(b: bytes) -> bytes:
    # 8-byte bucket keys instead of the band's raw 4*rows bytes: less memory per passage
    return hashlib.blake2b(b, digest_size=8).digest()


def _any_within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    import bisect

    i = bisect.bisect_left(spans, (start, -1))
    return i < len(spans) and spans[i][0] < end


def shingle_hashes(s: str, k: int) -> np.ndarray:
    """Distinct 32-bit hashes of the character ``k``-shingles of ``s`` (vectorised).

    >>> len(shingle_hashes("abcabc", 3)), len(shingle_hashes("ab", 3))
    (3, 1)
    """
    a = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(a) < k:
        a = np.concatenate([a, np.zeros(k - len(a), dtype=np.uint64)])
    n = len(a) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * np.uint64(1000003) + a[j:j + n]
    h ^= h >> np.uint64(29)
    return np.unique(h & np.uint64(0xFFFFFFFF))


def _same_body(d1: dict[str, Any], d2: dict[str, Any]) -> bool:
    """Reports of one region (or, both unplaced, one organisation): reuse among them is not flagged."""
    r1, r2 = d1.get("region"), d2.get("region")
    if r1 and r2:
        return bool(r1 == r2)
    if not r1 and not r2:
        return bool(d1.get("org")) and d1.get("org") == d2.get("org")
    return False


@CHECKS.register("template_reuse")
def check_template_reuse(corpus: Corpus) -> Iterator[Finding]:
    """Passages shared between reports of different regions, with figures changed or not."""
    tc = corpus.cfg["template_reuse"]
    docs = corpus.documents()
    ids = list(docs)
    index = PassageIndex(corpus.cfg)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in corpus.db.execute("""SELECT f.document_id, f.start, f.end FROM figures f
                                  JOIN current_documents d ON d.id = f.document_id
                                  WHERE f.start IS NOT NULL"""):
        spans[r[0]].append((r[1], r[2]))
    for i, doc_id in enumerate(ids):
        index.add(i, corpus.text(doc_id), spans.get(doc_id, []))
    by_pair: dict[tuple[int, int], list[ReusePair]] = defaultdict(list)
    for p in index.pairs():
        da, db_ = index.doc[p.a], index.doc[p.b]
        if _same_body(docs[ids[da]], docs[ids[db_]]):
            continue
        if da > db_:
            p = ReusePair(p.b, p.a, p.similarity)
            da, db_ = db_, da
        by_pair[(da, db_)].append(p)
    for (da, db_), plist in sorted(by_pair.items()):
        d1, d2 = docs[ids[da]], docs[ids[db_]]
        passages = []
        figure_ids: list[int] = []
        unchanged_all = True
        for p in plist:
            ta, tb = corpus.text(ids[da]), corpus.text(ids[db_])
            sa, sb = ta[index.start[p.a]:index.end[p.a]], tb[index.start[p.b]:index.end[p.b]]
            fa = _figures_in(corpus, ids[da], index.start[p.a], index.end[p.a])
            fb = _figures_in(corpus, ids[db_], index.start[p.b], index.end[p.b])
            # the figures as written decide (list numbers such as （三） are renumbered on copying)
            na, nb = [f["text"] for f in fa], [f["text"] for f in fb]
            unchanged = na == nb
            unchanged_all &= unchanged
            figure_ids += [f["id"] for f in fa + fb]
            passages.append({
                "similarity": round(p.similarity, 3), "figures_unchanged": unchanged,
                "a": {"document_id": ids[da], "path": d1["path"], "start": index.start[p.a],
                      "end": index.end[p.a], "sentence": sa, "numbers": na, "figure_ids": [f["id"] for f in fa]},
                "b": {"document_id": ids[db_], "path": d2["path"], "start": index.start[p.b],
                      "end": index.end[p.b], "sentence": sb, "numbers": nb, "figure_ids": [f["id"] for f in fb]},
            })
        how = ("with the same figures (copied unchanged across regions)" if unchanged_all
               else "with other figures (a template filled in again)")
        where = f"{d1.get('region') or d1.get('org') or '?'} / {d2.get('region') or d2.get('org') or '?'}"
        severity = tc["severity_unchanged"] if unchanged_all else tc["severity_changed"]
        if not (d1.get("region") and d2.get("region")):
            # a report of unknown region may be this very report republished or excerpted (范文 sites):
            # the evidence that two regions share a text is missing
            severity = tc.get("severity_region_unknown", severity)
            how += "; one report's region is unknown: it may be the same report republished"
        yield Finding(
            check="template_reuse", severity=severity,
            document_ids=[ids[da], ids[db_]], figure_ids=figure_ids,
            message=f"{len(passages)} passage(s) shared by reports of different regions ({where}) {how}"
            if d1.get("region") and d2.get("region") else
            f"{len(passages)} passage(s) shared by two reports ({where}) {how}",
            evidence={"figures_unchanged": unchanged_all, "passages": passages})


def _figures_in(corpus: Corpus, doc_id: str, start: int, end: int) -> list[dict[str, Any]]:
    return [dict(r) for r in corpus.db.query(
        "SELECT id, text, value FROM figures WHERE document_id = ? AND start >= ? AND start < ? ORDER BY start",
        [doc_id, start, end])]


# ---------------------------------------------------------------- 4. conflicting figures

def _indicator_units() -> dict[str, set[str]]:
    """The units each indicator is counted in (extractors/data/indicators.toml), when it says."""
    try:
        data = load_data("extractors", "indicators").get("indicator", {})
    except (FileNotFoundError, ModuleNotFoundError):
        return {}
    return {k: set(v["units"]) for k, v in data.items() if isinstance(v, dict) and v.get("units")}


def _outcome_figures(corpus: Corpus, extra: str = "") -> list[dict[str, Any]]:
    """Outcome figures with an indicator, a one-year period and a placed document, in the indicator's units
    (a figure in another unit is an extraction slip, 16883册 read as 儿童之家)."""
    from pipeline.indicators import canonical

    units = _indicator_units()
    cc = corpus.cfg["conflicts"]
    out = []
    for f in _outcome_figures_sql(corpus, extra):
        if f["indicator"] in units and f.get("unit") not in units[f["indicator"]]:
            continue
        if any(w in _clause_before(f, cc.get("clause_marks", "，。；\n")) for w in cc.get("per_year_words", [])):
            continue  # 年均增长4.5%: an average over years, not this year's rate
        # in the indicator's canonical unit: 粮食产量 in 斤 and in 吨, 儿童之家 in 个 and 所 are one series
        unit = f.get("unit")
        f["value"], f["unit"] = canonical(f["indicator"], f["value"], unit)
        if f.get("high") is not None:
            f["high"] = canonical(f["indicator"], f["high"], unit)[0]
        out.append(f)
    return out


def _clause_before(f: dict[str, Any], marks: str) -> str:
    """The figure's clause up to its number (from its stored sentence; a list's 、 stays in it).

    >>> _clause_before({"sentence": "收入、税收收入年均分别增长4.5%、3%，经济平稳。", "text": "3%"}, "，。")
    '收入、税收收入年均分别增长4.5%、'
    """
    sent, text = f.get("sentence") or "", f.get("text") or ""
    k = sent.find(text) if text else -1
    if k < 0:
        return ""
    head = sent[:k]
    cut = max(head.rfind(c) for c in marks) if marks else -1
    return head[cut + 1:]


def _outcome_figures_sql(corpus: Corpus, extra: str = "") -> list[dict[str, Any]]:
    c = corpus.cfg["common"]
    statuses = c["outcome_statuses"]
    kinds = c["additive_kinds"] + ["percent"]
    return corpus.figures(
        f"""f.indicator IS NOT NULL AND f.redacted = 0 AND f.value IS NOT NULL
            AND f.period_start IS NOT NULL AND f.period_start = f.period_end
            AND (f.role IS NULL OR f.role != 'part') AND d.region IS NOT NULL
            AND f.status IN ({','.join('?' * len(statuses))}) AND f.kind IN ({','.join('?' * len(kinds))}) {extra}""",
        [*statuses, *kinds])


@CHECKS.register("conflicting_figures")
def check_conflicting_figures(corpus: Corpus) -> Iterator[Finding]:
    """One region, indicator and year given values in two documents that no rounding reconciles."""
    cfg = corpus.cfg
    cc = cfg["conflicts"]
    headline = set(cc["indicators"])
    groups: dict[tuple[str, str, int], dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for f in _outcome_figures(corpus):
        if f["indicator"] in headline:
            groups[(f["doc_region"], f["indicator"], f["period_start"])][f["document_id"]].append(f)
    for (region, indicator, year), per_doc in sorted(groups.items()):
        if len(per_doc) < 2:
            continue
        doc_ids = sorted(per_doc)
        conflicting: set[str] = set()
        pairs = []
        for i, a in enumerate(doc_ids):
            for b in doc_ids[i + 1:]:
                # only figures in compatible units are comparable (an extractor slip may give 次 to children)
                comparable = [(fa, fb) for fa in per_doc[a] for fb in per_doc[b]
                              if fa["kind"] == fb["kind"] and _unit_compatible(fa.get("unit"), fb.get("unit"), cfg)]
                if comparable and not any(overlap(value_range(fa, cfg), value_range(fb, cfg), cc["relative_tolerance"])
                                          for fa, fb in comparable):
                    conflicting.update((a, b))
                    pairs.append((a, b))
        if not conflicting:
            continue
        figs = [f for d in sorted(conflicting) for f in per_doc[d]]
        values = sorted({f["value"] for f in figs})
        share = (values[-1] - values[0]) / max(abs(values[-1]), 1e-9)
        yield Finding(
            check="conflicting_figures", severity="high" if share >= cc["high_share"] else "medium",
            document_ids=sorted(conflicting), figure_ids=[f["id"] for f in figs],
            message=(f"{region}, {indicator}, {year}: {len(conflicting)} documents give values that cannot "
                     f"all be right ({', '.join(str(f['text']) for f in figs[:6])})"),
            evidence={"region": region, "indicator": indicator, "year": year, "values": values,
                      "pairs": pairs, "items": [_item(f) for f in figs]})


# ---------------------------------------------------------------- 5. implausible change

def _per_doc(figs: list[dict[str, Any]]) -> dict[tuple[int, str], dict[str, Any]]:
    """Each document's figure for each year: its largest value (a headline stock is the largest number a
    report gives for it; 新建3个 beside 已建成164个 is not the stock)."""
    per_doc: dict[tuple[int, str], dict[str, Any]] = {}
    for f in figs:
        key = (f["period_start"], f["document_id"])
        if key not in per_doc or f["value"] > per_doc[key]["value"]:
            per_doc[key] = f
    return per_doc


def _yearly(figs: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """One figure per year: the median over documents of each document's figure (``_per_doc``)."""
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (y, _), f in _per_doc(figs).items():
        by_year[y].append(f)
    out = {}
    for y, fs in by_year.items():
        fs = sorted(fs, key=lambda f: f["value"])
        out[y] = fs[len(fs) // 2]
    return out


@CHECKS.register("implausible_change")
def check_implausible_change(corpus: Corpus) -> Iterator[Finding]:
    """Year-over-year jumps beyond a factor; stated growth rates against the two yearly values."""
    cfg = corpus.cfg
    ic = cfg["implausible_change"]
    figs = _outcome_figures(corpus)
    headline = set(cfg["conflicts"]["indicators"])
    # one series per region and indicator: 儿童之家 counted in 个 one year and 所 the next, 志愿者 in 人 and 名,
    # are one series (_outcome_figures keeps only the indicator's own units)
    units = _indicator_units()
    series: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in figs:
        if f["kind"] in ic["kinds"] and f["value"] > 0 and f["indicator"] in headline:
            series[(f["doc_region"], f["indicator"])].append(f)
    levels: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for (region, indicator), fs in sorted(series.items()):
        levels[(region, indicator)] = _yearly(fs)
        # each report's figure against the other reports of the nearest year before and after it (their
        # median): one report's slip stands out even where another report gives the same year right
        per_doc = _per_doc(fs)
        by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for (y, _d), f in sorted(per_doc.items()):
            by_year[y].append(f)
        seen: set[frozenset[int]] = set()
        for (y0, d0), f0 in sorted(per_doc.items()):
            near = [y for y in by_year if 0 < abs(y - y0) <= ic["max_gap"]
                    and any(f["document_id"] != d0 for f in by_year[y])]
            sides = [[y for y in near if y < y0], [y for y in near if y > y0]]
            nearest = ({max(sides[0])} if sides[0] else set()) | ({min(sides[1])} if sides[1] else set())
            for y in sorted(nearest):
                others = sorted((f for f in by_year[y] if f["document_id"] != d0), key=lambda f: f["value"])
                other = others[len(others) // 2]
                key = frozenset((f0["id"], other["id"]))
                if key in seen:
                    continue
                seen.add(key)
                (y1, f1), (y2, f2) = sorted(((y0, f0), (y, other)), key=lambda t: t[0])
                gap = y2 - y1
                if not (_unit_compatible(f1.get("unit"), f2.get("unit"), cfg) or indicator in units
                        or f1["kind"] == f2["kind"] == "money"):
                    continue
                if min(f1["value"], f2["value"]) < ic["min_value"]:
                    continue  # 3 -> 12 is no reason to doubt anything
                ratio = f2["value"] / f1["value"]
                limit = ic["max_factor"] ** gap
                if ratio > limit or ratio < 1 / limit:
                    yield Finding(
                        check="implausible_change", severity="medium",
                        document_ids=sorted({f1["document_id"], f2["document_id"]}), figure_ids=[f1["id"], f2["id"]],
                        message=(f"{region}, {indicator}: {f1['text']} in {y1} then {f2['text']} in {y2} "
                                 f"(x{ratio:.2f}; more than x{limit:g} is implausible)"),
                        evidence={"kind": "jump", "region": region, "indicator": indicator, "ratio": ratio,
                                  "years": [y1, y2], "items": [_item(f1), _item(f2)]})
    for f in figs:
        level_ind = ic["growth_pairs"].get(f["indicator"])
        if not level_ind or f["kind"] != "percent":
            continue
        yearly = levels.get((f["doc_region"], level_ind), {})
        y = f["period_start"]
        if y not in yearly or y - 1 not in yearly:
            continue
        v0, v1 = yearly[y - 1], yearly[y]
        implied = (v1["value"] / v0["value"] - 1) * 100
        tol = ic["growth_tolerance_pp_by_indicator"].get(f["indicator"], ic["growth_tolerance_pp"])
        if abs(implied - f["value"]) > tol:
            yield Finding(
                check="implausible_change", severity="medium",
                document_ids=sorted({f["document_id"], v0["document_id"], v1["document_id"]}),
                figure_ids=[f["id"], v0["id"], v1["id"]],
                message=(f"{f['doc_region']}: stated growth {f['text']} ({f['indicator']}, {y}) but "
                         f"{v0['text']} ({y - 1}) -> {v1['text']} ({y}) is {implied:+.1f}%"),
                evidence={"kind": "growth", "indicator": f["indicator"], "level_indicator": level_ind,
                          "region": f["doc_region"], "year": y, "stated": f["value"], "implied": implied,
                          "tolerance_pp": tol,
                          "items": [_item(f), _item(v0), _item(v1)]})


# ---------------------------------------------------------------- 6. dates

_YEAR_RE = re.compile(r"(?<![0-9])((?:19|20)\d\d)\s*年")


def _date(s: str | None) -> date | None:
    if not s:
        return None
    m = re.match(r"((?:19|20)\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})", str(s))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@CHECKS.register("date_inconsistency")
def check_dates(corpus: Corpus) -> Iterator[Finding]:
    """The year a summary reviews vs the years of its events vs its publication/update dates."""
    dc = corpus.cfg["dates"]
    for doc_id, d in corpus.documents().items():
        title = d.get("title") or ""
        genre = (d.get("meta") or {}).get("genre")
        is_summary = genre in dc["summary_genres"] or any(w in title for w in dc["title_words"])
        if not is_summary or genre == "gov_report":
            continue
        reviewed = _reviewed_year(d)
        if reviewed is None:
            continue
        text = corpus.text(doc_id)
        signals: list[str] = []
        items: list[dict[str, Any]] = []
        if dc["check_dates_before_year"]:
            for label in ("published", "updated", "delivered"):
                value = d.get(label) if label == "published" else (d.get("meta") or {}).get(label)
                when = _date(value)
                if when and when < date(reviewed, 1, 1):
                    signals.append(f"{label} {when.isoformat()}, before {reviewed} began")
                    items.append({"document_id": doc_id, "field": label, "value": str(value)})
        body_years: dict[int, int] = {}
        plan_years: dict[int, int] = {}
        event_re, plan_re = _event_year_re(dc["event_year"]), _event_year_re(dc["plan_words"])
        for m in event_re.finditer(text):
            s, e = sentence_span(text, m.start())
            if title and title in text[s:e]:
                continue  # the title repeated in the body is not an event
            if plan_re.search(text[s:e]):
                # "2021年，我们计划…" / "四、2021年工作思路": a plan, not an event
                plan_years.setdefault(int(m.group(1)), m.start())
                continue
            body_years.setdefault(int(m.group(1)), m.start())
        if plan_years and not body_years and max(plan_years) <= reviewed - dc["plan_year_gap"]:
            # a review of one year plans for the next: plans for a year already over are an older report's
            latest = max(plan_years)
            s, e = sentence_span(text, plan_years[latest])
            signals.append(f"its plans are for {latest}")
            items.append({"document_id": doc_id, "start": s, "end": e, "sentence": text[s:e]})
        if body_years and max(body_years) <= reviewed - dc["body_year_gap"]:
            latest = max(body_years)
            s, e = sentence_span(text, body_years[latest])
            signals.append(f"the latest year of any event in the body is {latest}")
            items.append({"document_id": doc_id, "start": s, "end": e, "sentence": text[s:e]})
        if not signals:
            continue
        yield Finding(
            check="date_inconsistency", severity="high" if len(signals) > 1 else "medium",
            document_ids=[doc_id], figure_ids=[],
            message=f"titled as a report on {reviewed}, but " + "; ".join(signals),
            evidence={"reviewed_year": reviewed, "title": title, "body_years": sorted(body_years),
                      "published": d.get("published"), "updated": (d.get("meta") or {}).get("updated"),
                      "items": items})


_EVENT_RES: dict[str, re.Pattern[str]] = {}


def _event_year_re(pattern: str) -> re.Pattern[str]:
    if pattern not in _EVENT_RES:
        _EVENT_RES[pattern] = re.compile(pattern)
    return _EVENT_RES[pattern]


def _reviewed_year(d: dict[str, Any]) -> int | None:
    """The year a summary says it reviews: its title's year first (the claim the check tests; metadata
    may take ``reviews`` from the body, which would hide a retitled old report), else ``reviews``."""
    m = _YEAR_RE.search(d.get("title") or "")
    if m:
        return int(m.group(1))
    rev = d.get("reviews")
    try:
        rev = json.loads(rev) if isinstance(rev, str) else rev
    except ValueError:
        rev = None
    if isinstance(rev, list) and rev:
        rev = rev[-1]
    return rev if isinstance(rev, int) else None


# ---------------------------------------------------------------- 7. incomplete source

@CHECKS.register("incomplete_source")
def check_incomplete(corpus: Corpus) -> Iterator[Finding]:
    """Truncated documents: figures they lack are unknown, not zero."""
    ic = corpus.cfg["incomplete"]
    for doc_id, d in corpus.documents().items():
        if not d.get("truncated"):
            continue
        text = corpus.text(doc_id)
        missing = d.get("missing_chars")
        meta = d.get("meta") or {}
        share = missing / (missing + len(text)) if missing else None
        how = f"about {missing} characters ({share:.0%}) missing" if missing else "the rest is missing (length unknown)"
        tail = max(0, len(text) - 60)
        yield Finding(
            check="incomplete_source", severity="high" if share is None or share >= ic["high_share"] else "medium",
            document_ids=[doc_id], figure_ids=[],
            message=f"truncated source ({meta.get('truncated_by') or 'paywall'}): {how}; a figure absent "
                    "from this document is unknown, not zero",
            evidence={"missing_chars": missing, "missing_share": share, "shown_chars": len(text),
                      "truncated_by": meta.get("truncated_by"),
                      "items": [{"document_id": doc_id, "start": tail, "end": len(text), "sentence": text[tail:]}]})


# ---------------------------------------------------------------- 8. digit statistics

BENFORD = [math.log10(1 + 1 / d) for d in range(1, 10)]


def chi2_sf(x: float, dof: int) -> float:
    """P(X >= x) for a chi-square variable (regularised upper incomplete gamma, series/continued fraction).

    >>> round(chi2_sf(15.507, 8), 3), round(chi2_sf(16.919, 9), 3)
    (0.05, 0.05)
    """
    if x <= 0:
        return 1.0
    a, z = dof / 2, x / 2
    if z < a + 1:  # series for the lower part
        term = total = 1 / a
        n = a
        for _ in range(500):
            n += 1
            term *= z / n
            total += term
            if term < total * 1e-15:
                break
        return max(0.0, 1 - total * math.exp(-z + a * math.log(z) - math.lgamma(a)))
    b = z + 1 - a  # Lentz continued fraction for the upper part
    c, dd = 1 / 1e-300, 1 / b
    h = dd
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        dd = an * dd + b
        dd = 1 / (dd if abs(dd) > 1e-300 else 1e-300)
        c = b + an / c
        c = c if abs(c) > 1e-300 else 1e-300
        delta = dd * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return min(1.0, math.exp(-z + a * math.log(z) - math.lgamma(a)) * h)


def first_digit(value: float) -> int | None:
    """Leading significant digit.

    >>> first_digit(109500), first_digit(0.35), first_digit(0)
    (1, 3, None)
    """
    v = abs(value)
    if v == 0 or not math.isfinite(v):
        return None
    return int(f"{v:e}"[0])


def last_written_digit(text: str | None) -> int | None:
    """Last digit of the number as written, for numbers of two or more digits (120.5万 -> 5).

    >>> last_written_digit("120.5万元"), last_written_digit("80余所"), last_written_digit("5个")
    (5, 0, None)
    """
    m = _LITERAL.search((text or "").translate(_FULLWIDTH))
    if not m:
        return None
    digits = m.group(0).replace(".", "").lstrip("0")
    return int(digits[-1]) if len(digits) >= 2 else None


def digit_tests(values: list[float], texts: list[str | None], cfg: dict[str, Any]) -> dict[str, Any]:
    """First-digit Benford chi-square and MAD; last-digit chi-square against uniform, share of 0/5."""
    dc = cfg["digits"]
    firsts = [d for v in values if abs(v) >= dc["benford_min_value"] for d in [first_digit(v)] if d]
    lasts = [d for t in texts for d in [last_written_digit(t)] if d is not None]
    out: dict[str, Any] = {"n_first": len(firsts), "n_last": len(lasts)}
    if firsts:
        n = len(firsts)
        counts = Counter(firsts)
        obs = [counts.get(d, 0) / n for d in range(1, 10)]
        out["first_digit_shares"] = [round(o, 4) for o in obs]
        out["benford_mad"] = sum(abs(o - e) for o, e in zip(obs, BENFORD)) / 9
        chi = sum((counts.get(d, 0) - n * e) ** 2 / (n * e) for d, e in zip(range(1, 10), BENFORD))
        out["benford_chi2"], out["benford_p"] = chi, chi2_sf(chi, 8)
    if lasts:
        n = len(lasts)
        counts = Counter(lasts)
        chi = sum((counts.get(d, 0) - n / 10) ** 2 / (n / 10) for d in range(10))
        out["last_digit_chi2"], out["last_digit_p"] = chi, chi2_sf(chi, 9)
        out["share_0_or_5"] = (counts.get(0, 0) + counts.get(5, 0)) / n
    return out


@CHECKS.register("digit_statistics")
def check_digits(corpus: Corpus) -> Iterator[Finding]:
    """Benford first digits and last-digit heaping, over the corpus and per organisation."""
    cfg = corpus.cfg
    dc = cfg["digits"]
    kinds = cfg["common"]["additive_kinds"]
    figs = corpus.figures(
        f"f.redacted = 0 AND f.value IS NOT NULL AND f.approx IS NULL AND f.kind IN ({','.join('?' * len(kinds))})",
        kinds)
    groups: list[tuple[str, list[dict[str, Any]], int]] = [("the whole corpus", figs, dc["min_figures_corpus"])]
    by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in figs:
        if f.get("doc_org"):
            by_org[f"{f.get('doc_region') or ''} {f['doc_org']}".strip()].append(f)
    groups += [(org, fs, dc["min_figures_org"]) for org, fs in sorted(by_org.items())]
    for label, fs, min_n in groups:
        if len(fs) < min_n:
            continue
        stats = digit_tests([f["value"] for f in fs], [f.get("text") for f in fs], cfg)
        problems = []
        if stats.get("n_first", 0) >= min_n and stats["benford_mad"] > dc["benford_mad"]:
            problems.append(f"first digits depart from Benford's law (MAD {stats['benford_mad']:.3f} > "
                            f"{dc['benford_mad']}, chi2 {stats['benford_chi2']:.1f}, p={stats['benford_p']:.2g})")
        if stats.get("n_last", 0) >= min_n and stats["last_digit_p"] < dc["last_digit_alpha"]:
            problems.append(f"last digits are not uniform (chi2 {stats['last_digit_chi2']:.1f}, "
                            f"p={stats['last_digit_p']:.2g}; {stats['share_0_or_5']:.0%} end in 0 or 5, "
                            "20% expected)")
        if not problems:
            continue
        docs = sorted({f["document_id"] for f in fs})
        yield Finding(
            check="digit_statistics", severity="info", document_ids=docs[:50], figure_ids=[],
            message=f"{label} ({len(fs)} exact figures): " + "; ".join(problems) + ". " + dc["caveat"],
            evidence={"group": label, "n_figures": len(fs), "n_documents": len(docs), **stats,
                      "caveat": dc["caveat"]})


# ---------------------------------------------------------------- running

def audit(db_path: str | Path, checks: Iterable[str] | None = None,
          cfg: dict[str, Any] | None = None) -> list[Finding]:
    """Run the checks over the corpus at ``db_path`` and store their findings.

    The rows of each check that ran are replaced in ``audit_findings``. Raises ``HuibaoError``
    for a missing or unusable database and for an unknown check name.
    """
    from pipeline import store

    names = list(checks) if checks else CHECKS.names()
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise HuibaoError(f"unknown audit check(s) {', '.join(unknown)} (known: {', '.join(CHECKS.names())})")
    if not Path(db_path).exists():
        raise HuibaoError(f"{db_path}: no such corpus database (run `ingest` first)")
    db = store.open_db(db_path)  # applies 0002_audit_findings to corpora made before it
    try:
        corpus = Corpus(db, cfg or settings())
        findings: list[Finding] = []
        for name in names:
            findings.extend(CHECKS.get(name)(corpus))
        with db.atomic():
            db.execute(f'DELETE FROM audit_findings WHERE "check" IN ({",".join("?" * len(names))})', names)
            db.table("audit_findings").insert_all((f.row() for f in findings), alter=False)
    except sqlite3.Error as e:
        raise HuibaoError(f"{db_path}: database error during the audit: {e}") from None
    finally:
        db.conn.close()
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order.get(f.severity, 9), f.check))
    return findings


# ---------------------------------------------------------------- reports

def _doc_label(doc_paths: dict[str, str], doc_id: str) -> str:
    return Path(doc_paths.get(doc_id, doc_id[:12])).name


def render(findings: list[Finding], fmt: str = "table", *, doc_paths: dict[str, str] | None = None,
           datasette_url: str | None = None, db_name: str = "corpus") -> str:
    """The findings as ``json``, ``md``, ``html`` or a plain-text ``table``."""
    doc_paths = doc_paths or {}
    if fmt == "json":
        return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=1)
    counts = Counter((f.check, f.severity) for f in findings)
    summary = ", ".join(f"{c} {s}: {n}" for (c, s), n in sorted(counts.items())) or "no findings"
    if fmt == "md":
        md = md_escape
        lines = ["# Audit findings", "", f"{len(findings)} findings ({md(summary)}).", ""]
        for check in sorted({f.check for f in findings}):
            lines += [f"## {md(check)}", ""]
            for f in (x for x in findings if x.check == check):
                docs = ", ".join(md(_doc_label(doc_paths, d)) for d in f.document_ids[:6])
                lines.append(f"- **{md(f.severity)}** {md(f.message)} ({docs})")
                for it in _evidence_items(f)[:4]:
                    if it.get("sentence"):
                        lines.append(f"  - {md(_doc_label(doc_paths, it.get('document_id', '')))} "
                                     f"\\[{it.get('start')}:{it.get('end')}\\] {md(it['sentence'].strip()[:160])}")
            lines.append("")
        return "\n".join(lines)
    if fmt == "html":
        return _render_html(findings, summary, doc_paths, datasette_url, db_name)
    rows = [f"{'severity':8}  {'check':20}  {'documents':40}  message"]
    for f in findings:
        docs = ", ".join(_doc_label(doc_paths, d) for d in f.document_ids[:2])
        if len(f.document_ids) > 2:
            docs += f" +{len(f.document_ids) - 2}"
        rows.append(f"{f.severity:8}  {f.check:20}  {docs[:40]:40}  {f.message[:200]}")
    rows.append(f"{len(findings)} findings ({summary})")
    return "\n".join(rows)


_MD_SPECIAL = re.compile(r"([\\|*_\[\]`<>#])")


def md_escape(s: object) -> str:
    """``s`` as literal Markdown text on one line: \\ | * _ [ ] ` < > # backslash-escaped (CommonMark escapes
    any ASCII punctuation), line breaks as spaces, so a path or sentence can neither format, link,
    inject HTML nor break the list or a table cell.

    >>> md_escape("a|b*c_d[e](f)`g`<h>\\n#i")
    'a\\\\|b\\\\*c\\\\_d\\\\[e\\\\](f)\\\\`g\\\\`\\\\<h\\\\> \\\\#i'
    """
    text = re.sub(r"[\r\n\u2028\u2029]+", " ", str(s))
    return _MD_SPECIAL.sub(r"\\\1", text)


def _evidence_items(f: Finding) -> list[dict[str, Any]]:
    ev = f.evidence
    items = list(ev.get("items", []))
    for p in ev.get("passages", []):
        items += [p["a"], p["b"]]
    return items


def _render_html(findings: list[Finding], summary: str, doc_paths: dict[str, str], url: str | None,
                 db_name: str) -> str:
    esc = html.escape
    base = url.rstrip("/") + "/" + db_name if url else None
    out = ["<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>huibao audit</title>",
           "<style>body{font-family:sans-serif;max-width:70em;margin:auto}mark{background:#fd6}"
           ".high{color:#b00}.medium{color:#a60}.low{color:#555}.info{color:#06a}"
           "blockquote{border-left:3px solid #ccc;margin:.3em 0;padding-left:.6em}</style></head><body>",
           f"<h1>Audit findings</h1><p>{len(findings)} findings ({esc(summary)}).</p>"]
    for n, f in enumerate(findings):
        out.append(f"<div class='finding' id='f{n}'><h3><span class='{esc(f.severity)}'>{esc(f.severity)}</span> "
                   f"{esc(f.check)}</h3><p>{esc(f.message)}</p><ul>")
        for d in f.document_ids[:10]:
            link = f" (<a href='{esc(base)}/documents/{esc(d)}'>row</a>)" if base else ""
            out.append(f"<li>{esc(doc_paths.get(d, d))}{link}</li>")
        out.append("</ul>")
        for k, it in enumerate(_evidence_items(f)[:12]):
            sent = it.get("sentence")
            if not sent:
                continue
            anchor = f"f{n}s{k}"
            body = esc(sent.strip())
            if it.get("text"):
                body = body.replace(esc(str(it["text"])), f"<mark>{esc(str(it['text']))}</mark>", 1)
            links = [f"<a href='#{anchor}'>¶</a>"]
            if base and it.get("figure_id") is not None:
                links.append(f"<a href='{esc(base)}/figures/{it['figure_id']}'>figure {it['figure_id']}</a>")
            if base and it.get("document_id"):
                links.append(f"<a href='{esc(base)}/texts/{esc(it['document_id'])}'>text</a>")
            where = f"{esc(_doc_label(doc_paths, it.get('document_id', '')))} [{it.get('start')}:{it.get('end')}]"
            out.append(f"<blockquote id='{anchor}'>{body}<br><small>{where} {' '.join(links)}</small></blockquote>")
        out.append("</div>")
    out.append(f"<p><small>generated {datetime.now(UTC).isoformat(timespec='seconds')}</small></p></body></html>")
    return "\n".join(out)


def document_paths(db_path: str | Path) -> dict[str, str]:
    """id -> path of the documents of a corpus (for reports)."""
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        return {r[0]: r[1] for r in conn.execute("SELECT id, path FROM documents")}
    finally:
        conn.close()
