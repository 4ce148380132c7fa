"""The indicator taxonomy for people: ids, names, canonical units, coverage in a corpus (``huibao indicators``).

- ``taxonomy()``: the indicators of ``extractors/data/indicators.toml`` (and a ``$HUIBAO_DATA_DIR``
  override), in file order;
- ``canonical(id, value, unit)``: a figure's value in its indicator's canonical unit (儿童之家
  in 个, 所 or 处 is one series; 粮食产量 in 斤 becomes 吨; ‰ and /10万 stay the rates they are);
- ``check_indicator(id, db_path)``: the id, or a ``HuibaoError`` naming the close ones (for
  ``compare --indicator``);
- ``coverage(db_path)``: per indicator, the figures, documents, regions and years a corpus has
  (confident links), and the figures left with it as an unsure candidate; ``linked_share``: the
  same for the whole corpus;
- ``unlinked_subjects(db_path)``: the subjects most often left without an indicator, with the
  linker's nearest indicator: what to add to the taxonomy next.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.settings import load_data
from pipeline.types import HuibaoError


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str | None
    name_zh: str | None
    unit: str | None
    units: tuple[str, ...]
    kinds: tuple[str, ...]
    measure: str
    aliases: tuple[str, ...]
    source: str | None
    convert: dict[str, float] = field(default_factory=dict)


def taxonomy() -> dict[str, Indicator]:
    """Every indicator of the taxonomy by id, in file order."""
    out: dict[str, Indicator] = {}
    for ind_id, spec in load_data("extractors", "indicators").get("indicator", {}).items():
        out[ind_id] = Indicator(
            id=ind_id, name=spec.get("name"), name_zh=spec.get("name_zh"), unit=spec.get("unit"),
            units=tuple(spec.get("units", ())), kinds=tuple(spec.get("kinds", ())),
            measure=spec.get("measure", "level"), aliases=tuple(spec.get("aliases", spec.get("subject_any", ()))),
            source=spec.get("source"), convert={u: float(k) for u, k in spec.get("convert", [])})
    return out


def canonical(indicator: str, value: float | int | None, unit: str | None,
              tax: dict[str, Indicator] | None = None) -> tuple[float | int | None, str | None]:
    """``value`` in ``unit`` as the indicator's canonical unit says.

    Measure words of one count are one series (a count keeps its value); ``convert`` gives the
    factor of another unit; a unit the indicator does not take, or an unknown indicator, is
    returned as it is (a rate in ‰ or /10万 is never made a count). ``tax``: ``taxonomy()``,
    when the caller converts many figures.

    >>> canonical("children_home.count", 121, "所")
    (121, '个')
    >>> canonical("grain_output.weight", 134400000000, "斤")
    (67200000.0, '吨')
    >>> canonical("infant_mortality.permille", 4.5, "‰")
    (4.5, '‰')
    """
    ind = (taxonomy() if tax is None else tax).get(indicator)
    if ind is None or ind.unit is None or unit == ind.unit:
        return value, unit
    if unit in ind.convert:
        return (None if value is None else value * ind.convert[unit]), ind.unit
    if unit in ind.units and "count" in ind.kinds:
        return value, ind.unit
    return value, unit


def _corpus_ids(db_path: str | Path | None) -> set[str]:
    if not db_path or not Path(db_path).exists():
        return set()
    from pipeline import store

    db = store.open_db(db_path, readonly=True)
    try:
        return {r["indicator"] for r in db.query("SELECT DISTINCT indicator FROM figures WHERE indicator IS NOT NULL")}
    except sqlite3.Error as e:
        raise store._db_error(db_path, e) from None
    finally:
        db.close()


def close_ids(query: str, n: int = 5, extra: set[str] | None = None) -> list[str]:
    """Ids like ``query``: its id, name or an alias equal to it, then holding it, then spelled
    alike, then held in it (three characters or more); in taxonomy order within each.

    >>> close_ids("gdp")[:2]
    ['gdp.cny', 'gdp.growth_pct']
    >>> close_ids("儿童之家")[:2]
    ['children_home.new', 'children_home.count']
    >>> close_ids("children_homes.count")[0]
    'children_home.count'
    """
    tax = taxonomy()
    ids = list(dict.fromkeys([*tax, *sorted(extra or ())]))
    q = query.strip().lower()
    ranked: list[tuple[int, int, str]] = []
    for pos, i in enumerate(ids):
        item = tax.get(i)
        words = [i.lower(), i.split(".")[0].lower()]
        if item:
            words += [w.lower() for w in (item.name, item.name_zh) if w] + list(item.aliases)
        if not q:
            continue
        if q in words:
            rank = 0
        elif any(q in w for w in words):
            rank = 1
        elif any(len(w) >= 3 and w in q for w in words):
            rank = 2
        else:
            continue
        ranked.append((rank, pos, i))
    ranked.sort()
    by_lower = {i.lower(): i for i in ids}
    spelled = [by_lower[s] for s in difflib.get_close_matches(q, list(by_lower), n=n, cutoff=0.6)]
    return list(dict.fromkeys([*(i for r, _, i in ranked if r < 2), *spelled,
                               *(i for r, _, i in ranked if r == 2)]))[:n]


def check_indicator(indicator: str, db_path: str | Path | None = None) -> str:
    """``indicator`` when the taxonomy or the corpus knows it, else a ``HuibaoError`` naming
    the close ones (``compare --indicator`` calls this before querying).

    >>> check_indicator("gdp.cny")
    'gdp.cny'
    >>> check_indicator("gdp")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pipeline.types.HuibaoError: unknown indicator 'gdp'; close ones: gdp.cny, gdp.growth_pct, gdp_per_capita.cny, ...
    """
    in_corpus = _corpus_ids(db_path)
    if indicator in taxonomy() or indicator in in_corpus:
        return indicator
    close = close_ids(indicator, extra=in_corpus)
    hint = f"; close ones: {', '.join(close)}" if close else ""
    raise HuibaoError(f"unknown indicator {indicator!r}{hint} (all: huibao indicators)")


def coverage(db_path: str | Path) -> list[dict[str, Any]]:
    """Every indicator of the taxonomy (and any other the corpus holds) with its figures,
    documents, regions and the years its figures are about, in the current documents.

    Only confident links count there (``indicator`` set); ``candidates`` is, separately, the
    figures the linker was not sure enough of to link (``indicator_candidate``, indicator NULL).
    """
    from pipeline import store

    db = store.open_db(db_path, readonly=True)
    try:
        rows = list(db.query(
            "SELECT indicator, count(*) AS figures, count(DISTINCT document_id) AS documents, "
            "count(DISTINCT region) AS regions, min(period_start) AS first_year, max(period_end) AS last_year, "
            "group_concat(DISTINCT unit) AS units "
            "FROM figures_by_indicator WHERE indicator IS NOT NULL GROUP BY indicator"))
        candidates = {r["indicator_candidate"]: r["n"] for r in db.query(
            "SELECT indicator_candidate, count(*) AS n FROM figures_by_indicator "
            "WHERE indicator IS NULL AND indicator_candidate IS NOT NULL GROUP BY indicator_candidate")}
    except sqlite3.Error as e:
        raise store._db_error(db_path, e) from None
    finally:
        db.close()
    got = {r["indicator"]: r for r in rows}
    tax = taxonomy()
    out = []
    for ind_id in [*tax, *sorted((set(got) | set(candidates)) - set(tax))]:
        ind, r = tax.get(ind_id), got.get(ind_id, {})
        out.append({"id": ind_id, "name": ind.name_zh or ind.name if ind else None, "unit": ind.unit if ind else None,
                    "figures": r.get("figures", 0), "documents": r.get("documents", 0),
                    "regions": r.get("regions", 0), "years": _years(r.get("first_year"), r.get("last_year")),
                    "units": r.get("units"), "candidates": candidates.get(ind_id, 0),
                    "in_taxonomy": ind is not None})
    return out


def linked_share(db_path: str | Path) -> dict[str, Any]:
    """How many figures of the current documents (redacted ones aside) carry an indicator (a
    confident link), and how many only a candidate: the corpus's coverage in one line."""
    from pipeline import store

    db = store.open_db(db_path, readonly=True)
    try:
        r = next(iter(db.query(
            "SELECT count(*) AS figures, count(indicator) AS linked, "
            "sum(indicator IS NULL AND indicator_candidate IS NOT NULL) AS candidates "
            "FROM figures_by_indicator WHERE redacted = 0")))
    except sqlite3.Error as e:
        raise store._db_error(db_path, e) from None
    finally:
        db.close()
    n, linked, cands = r["figures"], r["linked"], r["candidates"] or 0
    return {"figures": n, "linked": linked, "linked_share": round(linked / n, 4) if n else None,
            "candidates": cands}


def _years(first: int | None, last: int | None) -> str | None:
    if first is None:
        return None
    return str(first) if first == last or last is None else f"{first}-{last}"


def unlinked_subjects(db_path: str | Path, limit: int = 20, min_documents: int = 2) -> list[dict[str, Any]]:
    """Subjects of figures without an indicator, by the documents they occur in (then figures),
    each with the linker's nearest indicator for the bare subject and its probability."""
    from pipeline import store

    db = store.open_db(db_path, readonly=True)
    try:
        rows = list(db.query(
            "SELECT subject, kind, unit, count(*) AS figures, count(DISTINCT document_id) AS documents "
            "FROM figures_by_indicator WHERE indicator IS NULL AND redacted = 0 AND subject IS NOT NULL "
            "AND length(subject) >= 2 GROUP BY subject, kind, unit"))
    except sqlite3.Error as e:
        raise store._db_error(db_path, e) from None
    finally:
        db.close()
    docs: Counter[tuple[str, str]] = Counter()
    figs: Counter[tuple[str, str]] = Counter()
    units: dict[tuple[str, str], Counter[str | None]] = defaultdict(Counter)
    for r in rows:
        key = (r["subject"], r["kind"])
        docs[key] += r["documents"]
        figs[key] += r["figures"]
        units[key][r["unit"]] += r["figures"]
    ranked = sorted((k for k in docs if docs[k] >= min_documents), key=lambda k: (-docs[k], -figs[k], k))
    out = []
    for subject, kind in ranked[:limit]:
        unit = units[(subject, kind)].most_common(1)[0][0]
        candidate, p = _nearest(subject, kind, unit)
        out.append({"subject": subject, "kind": kind, "unit": unit, "figures": figs[(subject, kind)],
                    "documents": docs[(subject, kind)], "candidate": candidate,
                    "confidence": round(p, 3) if candidate else None})
    return out


def _nearest(subject: str, kind: str, unit: str | None) -> tuple[str | None, float]:
    """The linker's best indicator (never "none") for a figure with only this subject."""
    from extractors.linker import NONE, Mention, scores
    from extractors.rules import _spell

    s = _spell(subject)
    ranked = [(i, p) for i, p in scores(Mention(kind=kind, unit=unit, subject=s, before=s, strong=s)) if i != NONE]
    return ranked[0] if ranked else (None, 0.0)
