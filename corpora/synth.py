"""Synthetic corpus of Chinese work reports with a ground-truth file.

``generate(n, out_dir, seed)`` writes ``n`` reports (txt, html, docx, pdf) and
``truth.jsonl`` describing each one: its metadata, every figure in its body
and every fault injected into it. ``write_samples(out_dir)`` writes the small
demo set committed in ``corpora/samples``.

How a document is made (each step a pure function of ``(seed, index)``, so
document ``i`` is the same whatever ``n`` is):

1. header: report type, region, year, format, and whether it restates another
   document's region and year with a conflicting figure (rng ``seed:i:h``);
2. body: sections of paragraphs built from the templates in
   ``corpora/data/templates.toml``; figures come from a regional world model
   (``vocab.toml``), so reports on the same region and year agree unless a
   fault says otherwise (rng ``seed:i``);
3. faults: inconsistent 其中 breakdown, placeholders, a passage copied from an
   earlier report of the same type (rng ``seed:i:c``), truncation;
4. dress: site furniture, traditional script and pinyin glosses, the format.

Run: ``python -m corpora.synth --n 1000 --out out/synth`` (or ``python cli.py
synth``) and ``python -m corpora.synth --samples corpora/samples``.

The truth file (``truth.jsonl``, one JSON object per document, in index order):

- ``doc`` (file name, unique; what ``../shared/eval/score.py`` keys on), ``path``
  (relative to the output folder), ``index``, ``format``, ``encoding``, ``type``
  (fulian_children | fulian_annual | gov_report);
- metadata as ANNOTATION.md defines it: ``title``, ``org``, ``region`` (full
  name, null when the report writes a placeholder such as XX县),
  ``region_written``, ``year``;
- dressing: ``script`` (simplified | traditional), ``pinyin``, ``furniture``
  (kinds present: nav, meta, tip, intro, docsite, paywall, outro, prevnext,
  related, footer), ``truncated``, ``missing_chars``, ``body_chars``,
  ``raw_body_start`` (txt in simplified script: where the body starts in the
  decoded file, so ``file[raw_body_start + start : raw_body_start + end]`` is
  the figure);
- ``figures``: every figure of the body that survives truncation, in text
  order, with ANNOTATION.md's fields ``text`` (as written, simplified script;
  full-width digits kept), ``value``, ``high``, ``kind``, ``unit``,
  ``approx``, ``subject``, ``indicator``, ``redacted``, ``status``,
  ``period``, ``role`` / ``parent`` (其中 breakdowns: parent is the index of
  the total), plus ``start``/``end`` in the body text and ``occurrence`` (how
  many hits of ``text`` precede it in the body, counted as ``nth_find``
  does), ``copied`` for figures of a copied passage. Keys whose value would be
  null or false are left out (except ``value``): read them with ``.get``;
- ``faults``: ``copied_passage`` {source_doc, source_index, source_region,
  source_year, changed_figures, start, end, figures}, ``inconsistent_breakdown``
  {total, parts_sum, figures: [total, parts...]}, ``conflicting_figure``
  {indicator, region, year, values, world_value, other_doc, other_index,
  figures, hidden}, ``implausible_change`` (the same, with change, factor or
  level_indicator and delta_pp) — ``hidden`` (absent when the two reports show
  the fault) says why a reader of the pair cannot see it: own_region /
  other_region (written as a placeholder), other_figure (the other report's
  figure redacted, cut off, absent, or in words that allow this one's),
  own_level (a growth rate without this report's own level), ``placeholders`` {redacted_figures, region_redacted},
  ``truncated`` {missing_chars};
- ``must_remove`` (furniture strings the cleaned text must not contain) and
  ``must_keep`` (body sentences it must keep), as in ``../shared/gold``, so
  ``score.py --gold truth.jsonl`` scores extraction and cleaning on the samples.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import math
import os
import random
import re
import sys
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pipeline.settings import load_data

FORMAT_WEIGHTS = {"txt": 85, "html": 10, "docx": 3, "pdf": 2}
#: documents per subfolder, so no folder grows past what file browsers handle well
SHARD_SIZE = 1000
#: how far back a copied passage or a conflicting report may look; bounded so
#: that regenerating the source stays cheap and the pair sits close in a listing
LOOKBACK = 300
SAMPLE_SEED = 20240601


@dataclass(frozen=True)
class Rates:
    """Probabilities of the per-document faults and dressings, and the span of report years."""

    years: tuple[int, int] = (2015, 2025)  # report years, inclusive (the world model covers 2008-2031)

    furniture: float = 0.6  # site furniture on txt/html scrapes
    truncated: float = 0.04  # paywall truncation (implies furniture)
    placeholders: float = 0.03  # unfilled template: *名, XX个
    traditional: float = 0.02  # traditional script (txt/html only), half with pinyin glosses
    copied: float = 0.05  # a passage copied from an earlier report of the same type
    copy_changed: float = 0.5  # ... with its figures changed
    conflict: float = 0.03  # same region/year/indicator as an earlier report, different value
    jump: float = 0.02  # an earlier report's region a year before/after, a core stock off by x4-x8
    growth: float = 0.02  # a 政府工作报告 a year after an earlier one of its region, its GDP growth rate off
    misdated: float = 0.03  # a summary whose title names a later year than its body reports on
    inconsistent: float = 0.06  # a 其中 breakdown whose parts do not sum to the total
    approx: float = 0.15  # a figure written with 余/多/近/约/以上 ...
    wan: float = 0.5  # a count >= 10000 written with 万
    fullwidth: float = 0.05  # a document with full-width digits (half its plain figures)
    gbk: float = 0.1  # txt/html encoded GB18030 rather than UTF-8


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    name: str  # as written in a title: 沧县
    full: str  # most specific full name: 河北省沧州市沧县
    level: str  # county | city | province
    lvl: str  # the level word used in 全县 / 县委: 县 区 市 旗 州 省


def _level_word(name: str, level: str) -> str:
    """The word a report uses for its own level: 全县, 全市, 全州 ...

    >>> _level_word("沧县", "county"), _level_word("延边朝鲜族自治州", "city")
    ('县', '州')
    >>> _level_word("内蒙古自治区", "province"), _level_word("北京市", "province")
    ('区', '市')
    """
    if level == "province":
        return "区" if name.endswith("区") else ("市" if name.endswith("市") else "省")
    if name.endswith("地区"):
        return "地区"
    return name[-1]


@cache
def regions() -> dict[str, list[Region]]:
    """Regions of ``regions.toml`` by level."""
    out: dict[str, list[Region]] = {"county": [], "city": [], "province": []}
    for p in load_data("corpora", "regions")["province"]:
        pname = p["name"]
        out["province"].append(Region(pname, pname, "province", _level_word(pname, "province")))
        for c in p.get("counties", []):
            out["county"].append(Region(c, pname + c, "county", _level_word(c, "county")))
        for city in p.get("cities", []):
            cname = city["name"]
            out["city"].append(Region(cname, pname + cname, "city", _level_word(cname, "city")))
            for c in city.get("counties", []):
                out["county"].append(Region(c, pname + cname + c, "county", _level_word(c, "county")))
    return out


def region_by_name(name: str) -> Region:
    for rs in regions().values():
        for r in rs:
            if r.name == name or r.full == name:
                return r
    raise KeyError(name)


_SLOTS: dict[str, dict[str, Any]] = {}  # vocab["slots"], bound on first use: make_fig is hot


@cache
def _vocab() -> dict[str, Any]:
    v = load_data("corpora", "vocab")
    _SLOTS.update(v["slots"])
    return v


@cache
def _templates() -> dict[str, Any]:
    return load_data("corpora", "templates")


# --- template language -------------------------------------------------------
# a template compiles to a tuple of tokens:
#   ("lit", text) ("alt", (tokens, ...)) ("var", name) ("slot", name, subject) ("T", name, subject) ("P", subject)
#   ("S", name, subject): a part of the figure before it (其中“爱心妈妈”N名 of the volunteers)
_TOKEN = re.compile(
    r"""(?x)
    \{(?P<brace>[^{}]+)\}      # {slot} {slot~subject} {T:slot} {S:slot} {P:subject} {VAR}
    | \[(?P<alt>[^\[\]]+)\]    # [alt1|alt2]
    """
)
_VARS = {"R", "L", "Y", "Y1", "Y2", "Y5", "ORG", "DATE", "DAY", "CONGRESS", "SESSION"}


@lru_cache(maxsize=4096)
def compile_template(t: str) -> tuple:
    """Tokens of one template.

    >>> compile_template("全{L}建成{children_home~儿童之家}[，|。]")
    (('lit', '全'), ('var', 'L'), ('lit', '建成'), ('slot', 'children_home', '儿童之家'), ('alt', ((('lit', '，'),), (('lit', '。'),))))
    """
    toks: list[tuple] = []
    pos = 0
    for m in _TOKEN.finditer(t):
        if m.start() > pos:
            toks.append(("lit", t[pos:m.start()]))
        pos = m.end()
        if m.group("alt") is not None:
            toks.append(("alt", tuple(compile_template(a) for a in m.group("alt").split("|"))))
            continue
        body = m.group("brace")
        if body in _VARS:
            toks.append(("var", body))
        elif body.startswith("P:"):
            toks.append(("P", body[2:]))
        else:
            kind = "slot"
            if body.startswith(("T:", "S:")):
                kind, body = body[0], body[2:]
            name, _, subject = body.partition("~")
            if name not in _vocab()["slots"]:
                raise ValueError(f"template {t!r}: unknown slot {name!r}")
            toks.append((kind, name, subject or None))
    if pos < len(t):
        toks.append(("lit", t[pos:]))
    return tuple(toks)


# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------
_CN_DIGITS = "零一二三四五六七八九"
_FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def cn_int(n: int, liang: bool = True) -> str:
    """Chinese numeral for 1 <= n <= 9999, as written before a measure word.

    >>> [cn_int(x) for x in (2, 5, 10, 12, 20, 35, 100, 105, 230)]
    ['两', '五', '十', '十二', '二十', '三十五', '一百', '一百零五', '二百三十']
    """
    if n <= 0 or n > 9999:
        raise ValueError(n)
    if n == 2 and liang:
        return "两"
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    out = ""
    zero = False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += _CN_DIGITS[d] + name
            zero = False
        else:
            zero = bool(out)
    return out


def fmt_num(x: float, decimals: int) -> str:
    """A number with at most ``decimals`` places, trailing zeros dropped.

    >>> fmt_num(10.950, 2), fmt_num(6.0, 1), fmt_num(1234.56, 1)
    ('10.95', '6', '1234.6')
    """
    s = f"{x:.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _round_sig(v: float, sig: int, mode: str) -> int:
    """Round ``v`` to ``sig`` significant digits: down, up or nearest.

    >>> _round_sig(723, 1, "down"), _round_sig(723, 2, "up"), _round_sig(7250, 2, "nearest")
    (700, 730, 7200)
    """
    if v < 1:
        return 1
    q = 10 ** max(0, int(math.floor(math.log10(v))) - sig + 1)
    if mode == "down":
        return int(v // q * q)
    if mode == "up":
        return int(-(-v // q) * q)
    return int(round(v / q) * q)


def nth_find(text: str, needle: str, occurrence: int) -> int:
    """Start of the ``occurrence``-th (0-based) hit of ``needle``, counting overlapping hits; -1 if absent.

    This is how the truth file's ``occurrence`` is counted.

    >>> nth_find("5%和6.5%和5%", "5%", 1), nth_find("ab", "c", 0)
    (5, -1)
    """
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


# ---------------------------------------------------------------------------
# figures and documents
# ---------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Fig:
    """A figure as written, with its true reading (ANNOTATION.md fields)."""

    text: str
    value: float | int | None
    kind: str
    unit: str | None
    subject: str | None
    indicator: str | None
    status: str
    period: int | list[int] | None
    high: float | int | None = None
    approx: str | None = None
    redacted: bool = False
    role: str | None = None
    parent: Fig | None = None
    slot: str = ""
    copied: bool = False
    start: int = -1  # in the body text, set when the body is laid out


Segment = str | Fig


@dataclass(slots=True)
class Sentence:
    segs: list[Segment]
    breakdown: bool = False
    extra: bool = False  # added from the pool (may be dropped to fit the length)
    length: int = 0


@dataclass
class Para:
    lead: str | None
    sentences: list[Sentence]
    topic: str
    numbered: bool
    section: int
    pool: list[str] = field(default_factory=list)  # unused pool sentences
    copied: dict[str, Any] | None = None


@dataclass
class Header:
    index: int
    rtype: str
    region: Region
    year: int
    fmt: str
    conflict_src: int | None = None  # the earlier report a conflicting or implausible figure is set against
    fault: str | None = None  # what about it: conflict (None too, with conflict_src) | jump | growth


@dataclass
class Ctx:
    """What rendering one document needs."""

    seed: int
    rng: random.Random
    header: Header
    rates: Rates
    vars: dict[str, str]
    placeholders: bool
    redact_p: float
    conflict_slot: str | None = None
    conflict_factor: float = 1.0
    conflict_delta: float = 0.0  # added after the factor (a growth rate off by so many points)
    conflict_figs: list[Fig] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # world flows already written once
    status: str = "actual"
    period: int | list[int] | None = None
    world_year: int = 0


# ---------------------------------------------------------------------------
# world model: one value per (region, slot, year), shared by every document
# ---------------------------------------------------------------------------
_YEARS = range(2008, 2032)


@lru_cache(maxsize=20000)
def _series(seed: int, region: Region, slot: str) -> dict[int, float]:
    spec = _vocab()["slots"][slot]
    model = spec["model"]
    # the economic series share one stream, so a report's 增长X% matches its totals
    economic = ("gdp", "gdp_growth", "budget", "budget_growth")
    family = "gdp" if model in economic else slot
    rng = random.Random(f"{seed}|{region.full}|{family}")
    eco = _vocab()["economy"]
    out: dict[int, float] = {}
    if model in economic:
        spread = eco["regional_spread"]
        offset = rng.uniform(-spread, spread)
        level = rng.uniform(*_vocab()["slots"]["gdp"]["base"][region.level])
        share = rng.uniform(*eco["budget_share"])
        gdp: dict[int, float] = {}
        growth: dict[int, float] = {}
        for y in _YEARS:
            g = round(eco["national_growth"].get(str(y), 5.0) + offset + rng.uniform(-0.6, 0.6), 1)
            growth[y] = g
            level = level * (1 + g / 100)
            gdp[y] = round(level, -7)  # 0.1 亿元
        if model == "gdp":
            return gdp
        if model == "gdp_growth":
            return growth
        budget = {y: round(v * share * rng.uniform(0.98, 1.02), -6) for y, v in gdp.items()}
        if model == "budget":
            return budget
        # the growth a report states is the one its two yearly revenues give
        return {y: round((budget[y] / budget[y - 1] - 1) * 100, 1) if y - 1 in budget else growth[y]
                for y in budget}
    if model == "gdp_target":
        offset = _pick(rng, [-0.5, 0.0, 0.0, 0.5, 0.5, 1.0, 1.5])
        return {y: max(2.0, eco["gdp_target"].get(str(y), 5.0) + offset) for y in _YEARS}
    lo, hi = spec["base"][region.level]
    base = rng.uniform(lo, hi)
    money = spec["kind"] == "money"
    if model == "stock":
        trend = rng.uniform(*spec["trend"])
        vals = {2015: base}
        for y in range(2016, _YEARS.stop):
            vals[y] = vals[y - 1] * (1 + trend + rng.uniform(-0.02, 0.02))
        for y in range(2014, _YEARS.start - 1, -1):
            vals[y] = vals[y + 1] / (1 + trend + rng.uniform(-0.02, 0.02))
        out = {y: max(1, round(v)) for y, v in vals.items()}
    else:  # flow: around base, slowly rising
        out = {y: max(1, round(base * (1 + 0.04 * (y - 2015)) * rng.uniform(0.8, 1.2))) for y in _YEARS}
    if money:
        out = {y: max(100, round(v, -2)) for y, v in out.items()}
    return out


def world_value(seed: int, region: Region, slot: str, year: int) -> float:
    """The true value of a world-model slot for a region and year (before any surface rounding)."""
    return _series(seed, region, slot)[year]


# ---------------------------------------------------------------------------
# rendering one figure
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _value_range(slot: str, level: str) -> tuple[float, float, int | None, bool]:
    """(low, high, decimals or None, is money) of a random slot at a level."""
    spec = _vocab()["slots"][slot]
    if "range" in spec:
        lo, hi = spec["range"]
        if spec.get("scale"):
            f = _vocab()["levels"][level]
            lo, hi = lo * f, hi * f
    else:
        lo, hi = spec["base"][level]
    decimals = spec.get("decimals", 1) if spec["kind"] == "percent" or spec.get("decimals") else None
    return lo, hi, decimals, spec["kind"] == "money"


def _random_value(rng: random.Random, spec: dict, level: str, slot: str) -> float:
    lo, hi, decimals, money = _value_range(slot, level)
    v = lo + (hi - lo) * rng.random()
    if decimals is not None:
        return round(v, decimals)
    if money:
        return round(v, -2) if v >= 1000 else round(v)
    return max(1, round(v))


def _digits(rng: random.Random, s: str, rates: Rates) -> str:
    # most documents never use full-width digits: no draw for them
    return s.translate(_FULLWIDTH) if rates.fullwidth and rng.random() < rates.fullwidth else s


def _qualified(rng: random.Random, v: float, forms: dict) -> tuple[str, str, int]:
    """A qualifier from vocab [forms], where it goes (infix/prefix/suffix) and the number to write.

    The written number errs in the direction the qualifier says:

    >>> f, rng = _vocab()["forms"], random.Random(1)
    >>> draws = [_qualified(rng, 723, f) for _ in range(300)]
    >>> mode = {**f["prefix"], **f["suffix"], **{q: "down" for q in f["more_infix"]}}
    >>> all(s <= 723 if mode[q] == "down" else s >= 723 if mode[q] == "up" else abs(s - 723) <= 10 for _, q, s in draws)
    True
    >>> sorted({q for _, q, _ in draws}) == sorted(mode)
    True
    """
    sig = 1 + int(rng.random() * 2) if v >= 100 else 1
    r = rng.random()
    if r < 0.45:
        return "infix", _pick(rng, forms["more_infix"]), _round_sig(v, sig, "down")
    table = forms["prefix"] if r < 0.8 else forms["suffix"]
    q = _pick(rng, sorted(table))
    return ("prefix" if r < 0.8 else "suffix"), q, _round_sig(v, sig if table[q] != "nearest" else 2, table[q])


def _approx_count(rng: random.Random, v: int, unit: str, forms: dict) -> tuple[str, float, None, str]:
    """An inexact count: 80余所, 近百节, 超过500人, 1.2万余人, 70多万人, 200个以上."""
    for lo, hi, value, words, q in forms["round_words"]:
        if lo <= v < hi and rng.random() < 0.4:
            return f"{words}{unit}", value, None, q
    wan = v >= 100000  # big round figures are written in 万: 70多万人, 近12万名
    place, q, shown = _qualified(rng, v / 1e4 if wan else v, forms)
    num = f"{shown}万" if wan else str(shown)
    value = shown * 10000 if wan else shown
    if place == "infix":
        return f"{num}{q}{unit}" if not wan else f"{shown}{q}万{unit}", value, None, q
    if place == "prefix":
        return f"{q}{num}{unit}", value, None, q
    return f"{num}{unit}{q}", value, None, q


def render_count(rng: random.Random, v: int, unit: str, spec: dict, rates: Rates, exact: bool,
                 world: bool) -> tuple[str, float, float | None, str | None]:
    """(text, value, high, approx) of a count; value is what the text says, not ``v``."""
    forms = _vocab()["forms"]
    r = rng.random()
    if exact:
        return _digits(rng, str(v), rates) + unit, v, None, None
    if spec.get("small") and v <= 10:
        if r < 0.5:
            return cn_int(v) + unit, v, None, None
        if r < 0.62 and not world:
            lo, hi, words = _pick(rng, forms["small_ranges"])
            return words + unit, lo, hi, None
        return str(v) + unit, v, None, None
    if r < rates.approx and v >= 20:
        return _approx_count(rng, v, unit, forms)
    if v >= 10000 and r < rates.approx + rates.wan:
        dec = _pick(rng, (1, 2))
        s = fmt_num(v / 1e4, dec)
        value = int(round(float(s) * 1e4))
        if rng.random() < 0.2:
            s = fmt_num(math.floor(v / 1e4 * 10) / 10, 1)
            return f"{s}万余{unit}", int(round(float(s) * 1e4)), None, "余"
        return f"{s}万{unit}", value, None, None
    return _digits(rng, str(v), rates) + unit, v, None, None


def render_money(rng: random.Random, v: float, spec: dict, rates: Rates, exact: bool,
                 slot: str) -> tuple[str, float, float | None, str | None]:
    """(text, value, high, approx) of an amount in yuan."""
    r = rng.random()
    if exact:  # breakdown totals and parts: 万元 to two places, so the parts can sum exactly
        if v < 10000:
            return f"{int(v)}元", int(v), None, None
        s = fmt_num(v / 1e4, 2)
        return f"{s}万元", int(round(float(s) * 1e4)), None, None
    if slot == "gdp" and v >= 1e12 and r < 0.25:
        s = fmt_num(v / 1e12, 2)
        return f"{s}万亿元", int(round(float(s) * 1e12)), None, None
    if v >= 1e8:
        if r < 0.1 and v < 1e9 and slot not in ("gdp", "budget"):
            s = str(int(round(v / 1e4)))
            return f"{s}万元", int(s) * 10000, None, None
        dec = 1 if slot == "gdp" else 2
        s = fmt_num(v / 1e8, dec)
        if r > 1 - rates.approx / 2 and slot not in ("gdp", "budget"):
            s = fmt_num(math.floor(v / 1e8), 0)
            return f"{s}亿多元", int(s) * 100000000, None, "多"
        return f"{s}亿元", int(round(float(s) * 1e8)), None, None
    if v >= 1e5 or (v >= 1e4 and r < 0.5):
        w = v / 1e4
        if r < rates.approx and w >= 10:
            place, q, shown = _qualified(rng, w, _vocab()["forms"])
            if place == "infix":
                return f"{shown}{q}万元", shown * 10000, None, q
            if place == "prefix":
                return f"{q}{shown}万元", shown * 10000, None, q
            return f"{shown}万元{q}", shown * 10000, None, q
        s = fmt_num(w, 2)
        return f"{s}万元", int(round(float(s) * 1e4)), None, None
    iv = int(round(v))
    return _digits(rng, str(iv), rates) + "元", iv, None, None


def render_percent(rng: random.Random, v: float, unit: str, spec: dict, slot: str,
                   target: bool) -> tuple[str, float, float | None, str | None]:
    dec = spec.get("decimals", 1)
    s = fmt_num(v, dec)
    value = float(s)
    if slot == "gdp_target":
        r = rng.random()
        if r < 0.6:
            return f"{s}{unit}左右", value, None, "左右"
        if r < 0.75:
            return f"{s}{unit}以上", value, None, "以上"
        if r < 0.9:
            hi = fmt_num(value + 0.5, 1)
            return f"{s}{unit}—{hi}{unit}", value, float(hi), None
        return f"{s}{unit}", value, None, None
    if target and slot == "cpi":
        return f"{s}{unit}左右", value, None, "左右"
    return f"{s}{unit}", value, None, None


def render_other(rng: random.Random, v: float, unit: str, spec: dict, rates: Rates) -> tuple[str, float, None, None]:
    if v >= 10000 and rng.random() < rates.wan:
        s = fmt_num(v / 1e4, 1)
        return f"{s}万{unit}", int(round(float(s) * 1e4)), None, None
    s = fmt_num(v, spec.get("decimals", 0))
    return f"{s}{unit}", float(s) if "." in s else int(s), None, None


def _placeholder_text(rng: random.Random, kind: str, unit: str) -> tuple[str, str | None]:
    ph = _pick(rng, _vocab()["forms"]["placeholders"])
    if kind == "money":
        return f"{ph}{_pick(rng, ('万元', '元'))}", None
    if kind == "count" and rng.random() < 0.15:
        return f"{ph}余{unit}", "余"
    return f"{ph}{unit}", None


def make_fig(ctx: Ctx, slot: str, subject: str | None, exact: bool = False, value: float | None = None,
             unit: str | None = None) -> Fig:
    """Render one slot in the current section's status and period."""
    spec = _SLOTS[slot] if _SLOTS else _vocab()["slots"][slot]
    rng = ctx.rng
    kind = spec["kind"]
    unit = unit or _pick(rng, spec["units"])
    model = spec.get("model")
    world = bool(model) and (ctx.status == "actual" or model == "gdp_target")
    from_world = value is None and world
    if value is None:
        if world and model == "flow" and slot in ctx.seen:
            # a flow (活动, 参与人次) named again counts a part of the year's work, not the total
            from_world = False
            value = world_value(ctx.seed, ctx.header.region, slot, ctx.world_year) * rng.uniform(0.1, 0.6)
            value = round(value, -2) if kind == "money" else max(1, round(value))
        elif world:
            ctx.seen.add(slot)
            value = world_value(ctx.seed, ctx.header.region, slot, ctx.world_year)
            if slot == ctx.conflict_slot:
                value = round(value * ctx.conflict_factor + ctx.conflict_delta, 1 if kind == "percent" else 0)
        else:
            value = _random_value(rng, spec, ctx.header.region.level, slot)
            if ctx.status == "target" and kind in ("count", "money") and value >= 100:
                value = _round_sig(value, 2, "nearest")  # plans are round numbers
    if kind == "count":
        text, val, high, approx = render_count(rng, int(value), unit, spec, ctx.rates, exact, world)
    elif kind == "money":
        unit = "元"
        text, val, high, approx = render_money(rng, value, spec, ctx.rates, exact, slot)
    elif kind == "percent":
        text, val, high, approx = render_percent(rng, value, unit, spec, slot, ctx.status == "target")
    else:
        text, val, high, approx = render_other(rng, value, unit, spec, ctx.rates)
    if slot == ctx.conflict_slot and from_world and (approx or high is not None):
        # a conflicting figure is written exactly: 超过1000名 beside 1176名 is no conflict a reader can see
        if kind == "count":
            text, val, high, approx = render_count(rng, int(value), unit, spec, ctx.rates, True, world)
        elif kind == "money" and value >= 1e8:
            s = fmt_num(value / 1e8, 2)
            text, val, high, approx = f"{s}亿元", int(round(float(s) * 1e8)), None, None
        elif kind == "money":
            text, val, high, approx = render_money(rng, value, spec, ctx.rates, True, slot)
    fig = Fig(text, val, kind, unit, subject or spec["subject"], spec.get("indicator"), ctx.status, ctx.period,
              high, approx, False, None, None, slot)
    if slot == ctx.conflict_slot and from_world:
        ctx.conflict_figs.append(fig)
    if ctx.placeholders and rng.random() < ctx.redact_p:
        redact(rng, fig)
    return fig


def redact(rng: random.Random, fig: Fig) -> None:
    fig.text, fig.approx = _placeholder_text(rng, fig.kind, fig.unit or "个")
    fig.value = fig.high = None
    fig.redacted = True
    if fig.kind == "money" and fig.text.endswith("万元"):
        fig.unit = "元"


# ---------------------------------------------------------------------------
# rendering sentences
# ---------------------------------------------------------------------------


def _split(rng: random.Random, total: int, k: int, quantum: int) -> list[int]:
    """``k`` positive parts of ``total`` (multiples of ``quantum``) that sum to it.

    >>> parts = _split(random.Random(1), 1000, 3, 1); sum(parts), len(parts), min(parts) > 0
    (1000, 3, True)
    """
    units = total // quantum
    if units < k:
        units = k
    w = [rng.uniform(0.4, 1.6) for _ in range(k)]
    s = sum(w)
    parts = [max(1, int(units * x / s)) for x in w]
    parts[parts.index(max(parts))] += units - sum(parts)
    return [p * quantum for p in parts]


@lru_cache(maxsize=4096)
def _compiled(template: str) -> tuple[tuple, int, bool, bool]:
    """Tokens, number of 其中 parts, whether it has alternatives, whether it is plain prose (no slots)."""
    toks = compile_template(template)
    prose = all(t[0] in ("lit", "var") for t in toks)
    return toks, sum(1 for t in _flat(toks) if t[0] == "P"), any(t[0] == "alt" for t in toks), prose


def render_sentence(ctx: Ctx, template: str) -> Sentence:
    """Render one template: literal text merged, figures as ``Fig`` segments."""
    toks, n_parts, has_alt, prose = _compiled(template)
    if prose:  # fillers, headings, openings: most sentences, and the cheapest
        text = "".join(_rephrase(ctx.rng, t[1]) if t[0] == "lit" else ctx.vars[t[1]] for t in toks)
        return Sentence([text], length=len(text))
    segs: list[Segment] = []
    buf: list[str] = []  # literal text since the last figure
    length = 0
    total: Fig | None = None
    last: Fig | None = None  # the figure before: what an {S:slot} is a part of
    part_values: list[int] = []
    breakdown = False
    rng = ctx.rng
    if has_alt:  # alternatives spliced in first; a loop, not recursion: this is the hottest path
        stack = [iter(toks)]
        flat: list[tuple] = []
        while stack:
            t = next(stack[-1], None)
            if t is None:
                stack.pop()
            elif t[0] == "alt":
                stack.append(iter(_pick(rng, t[1])))
            else:
                flat.append(t)
        toks = tuple(flat)
    for t in toks:
        kind = t[0]
        if kind == "lit":
            buf.append(_rephrase(rng, t[1]))
            continue
        if kind == "var":
            buf.append(ctx.vars[t[1]])
            continue
        if kind == "slot":
            fig = make_fig(ctx, t[1], t[2])
        elif kind == "S":
            fig = _sub_fig(ctx, t[1], t[2], last)
        elif kind == "T":
            fig = total = make_fig(ctx, t[1], t[2], exact=True)
            total.role = "total"
            if total.value is not None and n_parts:
                quantum = 100 if total.kind == "money" else 1
                part_values = _split(rng, int(total.value), n_parts, quantum)
                breakdown = True
        else:  # "P"
            assert total is not None, template
            if part_values:
                fig = make_fig(ctx, total.slot, t[1], exact=True, value=part_values.pop(0), unit=total.unit)
                fig.indicator = None
            else:  # a redacted total: its parts are placeholders too
                fig = Fig(text="", value=None, kind=total.kind, unit=total.unit, subject=t[1], indicator=None,
                          status=ctx.status, period=ctx.period, slot=total.slot)
                redact(rng, fig)
            fig.role, fig.parent = "part", total
        if buf:
            lit = "".join(buf)
            segs.append(lit)
            length += len(lit)
            buf = []
        segs.append(fig)
        last = fig
        length += len(fig.text)
    if buf:
        lit = "".join(buf)
        segs.append(lit)
        length += len(lit)
    return Sentence(segs, breakdown=breakdown, length=length)


@cache
def _phrasing() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    table = {w: tuple(g) for g in _vocab()["phrasing"]["groups"] for w in g}
    return re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True)))), table


def _rephrase(rng: random.Random, text: str) -> str:
    """The template's words, each of a [phrasing] group drawn afresh from its group.

    >>> _rephrase(random.Random(3), "扎实推进各项工作") in {a + b + c + "工作" for a in ("扎实", "切实")
    ...     for b in ("推动", "推进", "促进") for c in ("各项", "各类")}
    True
    """
    pat, table = _phrasing()
    if not pat.search(text):
        return text
    return pat.sub(lambda m: _pick(rng, table[m.group(0)]), text)


def _opened(rng: random.Random, s: Sentence) -> Sentence:
    """A pool sentence, sometimes with a connective before it (同时，/ 此外，) from vocab [phrasing]."""
    ph = _vocab()["phrasing"]
    first = s.segs[0] if s.segs else ""
    if rng.random() >= ph["opener_p"] or not isinstance(first, str) or re.match(ph["no_opener"], first):
        return s
    w = _pick(rng, ph["openers"])
    s.segs[0] = w + first
    s.length += len(w)
    return s


def _sub_fig(ctx: Ctx, slot: str, subject: str | None, whole: Fig | None) -> Fig:
    """A figure that counts part of ``whole`` (其中“爱心妈妈”N名): 5-60% of it, so never more than the whole."""
    spec = _SLOTS[slot] if _SLOTS else _vocab()["slots"][slot]
    if whole is None or whole.value is None or whole.redacted or spec["kind"] != whole.kind:
        fig = make_fig(ctx, slot, subject)
        if whole is not None and whole.redacted and not fig.redacted:
            redact(ctx.rng, fig)  # a blank whole: its part is blank too
    else:
        v = whole.value * ctx.rng.uniform(0.05, 0.6)
        v = max(100, round(v, -2)) if spec["kind"] == "money" else max(1, int(v))
        fig = make_fig(ctx, slot, subject, value=v)
    fig.role, fig.parent = "part", whole
    return fig


def _flat(toks: tuple) -> Iterator[tuple]:
    for t in toks:
        if t[0] == "alt":
            for a in t[1]:
                yield from _flat(a)
        else:
            yield t


def render_text(ctx: Ctx, template: str) -> str:
    """A template without figure slots (titles, headings, openings)."""
    return "".join(s if isinstance(s, str) else s.text for s in render_sentence(ctx, template).segs)


# ---------------------------------------------------------------------------
# documents
# ---------------------------------------------------------------------------


def _pick(rng: random.Random, seq: Any) -> Any:
    # rng.choice is three times slower; this draws the same way on every platform
    return seq[int(rng.random() * len(seq))]


def _pop(rng: random.Random, seq: list) -> Any:
    # a random item taken out: cheaper than shuffling the whole pool for the few we use
    return seq.pop(int(rng.random() * len(seq)))


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def header(seed: int, i: int, formats: Mapping[str, float], rates: Rates) -> Header:
    """Type, region, year and format of document ``i`` (cheap: a conflict source is looked up by it).

    A document with a cross-report fault takes its type and region from an earlier document
    (its source): the same year for a conflicting figure, a year before or after for an
    implausible jump, the year after a 政府工作报告 for a growth rate at odds with the two GDPs.
    """
    return _header(seed, i, tuple(sorted(formats.items())), rates)


@lru_cache(maxsize=65536)
def _header(seed: int, i: int, formats: tuple[tuple[str, float], ...], rates: Rates) -> Header:
    rng = random.Random(f"{seed}:{i}:h")
    fw = dict(formats)
    fmt = _weighted(rng, fw)
    if i > 0:
        r = rng.random()
        lo, hi = rates.years
        if r < rates.conflict:
            src = rng.randrange(max(0, i - LOOKBACK), i)
            s = _header(seed, src, formats, rates)
            return Header(i, s.rtype, s.region, s.year, fmt, src, "conflict")
        if r < rates.conflict + rates.jump:
            src = rng.randrange(max(0, i - LOOKBACK), i)
            s = _header(seed, src, formats, rates)
            year = s.year + _pick(rng, (-1, 1))
            year = year if lo <= year <= hi else 2 * s.year - year
            return Header(i, s.rtype, s.region, year, fmt, src, "jump")
        if r < rates.conflict + rates.jump + rates.growth:
            for _ in range(12):  # the previous year's report of one region: a 政府工作报告 that is not the last year
                src = rng.randrange(max(0, i - LOOKBACK), i)
                s = _header(seed, src, formats, rates)
                if s.rtype == "gov_report" and s.year < hi:
                    return Header(i, s.rtype, s.region, s.year + 1, fmt, src, "growth")
    types = _templates()["types"]
    rtype = _weighted(rng, {k: v["weight"] for k, v in types.items()})
    level = _weighted(rng, types[rtype]["levels"])
    region = _pick(rng, regions()[level])
    year = rng.randint(*rates.years)
    return Header(i, rtype, region, year, fmt)


_CN_ORD = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


@dataclass
class Doc:
    header: Header
    title: str
    org: str
    region: str | None
    region_written: str
    dateline: str | None
    paras: list[Para]
    headings: dict[int, str]
    opening: str
    closing: str
    signature: str | None
    flags: dict[str, Any]
    faults: list[dict[str, Any]]
    ctx: Ctx


def compose(seed: int, h: Header, rates: Rates, min_chars: int, max_chars: int, allow_copy: bool = True,
            formats: Mapping[str, float] | None = None, force: dict[str, Any] | None = None) -> Doc:
    """The body plan of one document (no furniture, no format)."""
    force = force or {}
    rng = random.Random(f"{seed}:{h.index}")
    spec = _templates()["types"][h.rtype]
    flags: dict[str, Any] = {
        "placeholders": rng.random() < rates.placeholders,
        "truncated": rng.random() < rates.truncated,
        "traditional": rng.random() < rates.traditional,
        "pinyin": rng.random() < 0.5,
        "furniture": rng.random() < rates.furniture,
        "copied": rng.random() < rates.copied,
        "inconsistent": rng.random() < rates.inconsistent,
        "gbk": rng.random() < rates.gbk,
        "fullwidth": rng.random() < rates.fullwidth,
        "target_chars": rng.randint(min_chars, max_chars),
        "misdated": rng.random() < rates.misdated,
    }
    flags.update({k: v for k, v in force.items() if k in flags})
    if h.fmt not in ("txt", "html"):  # documents, not scraped pages: no furniture, paywall or glosses
        flags["truncated"] = flags["furniture"] = flags["traditional"] = False
    if flags["truncated"]:
        flags["furniture"] = True
    region, year = h.region, h.year
    lvl = region.lvl
    placeholders = flags["placeholders"]
    written = region.name
    if placeholders and rng.random() < 0.6:
        written = _pick(rng, _vocab()["forms"]["placeholders"]) + lvl
    vars_ = {
        "R": written, "L": lvl, "Y": str(year), "Y1": str(year - 1), "Y2": str(year + 1), "Y5": str(year - 5),
        "DATE": f"{year}年*月*日" if placeholders else f"{year}年{_pick(rng, (6, 9, 10, 11, 12))}月底",
        "DAY": f"{_pick(rng, (1, 2))}月{rng.randint(5, 28)}日",
        "CONGRESS": cn_int(rng.randint(12, 18), liang=False), "SESSION": cn_int(rng.randint(1, 6), liang=False),
    }
    doc_rates = replace(rates, fullwidth=0.5 if flags["fullwidth"] else 0.0)
    ctx = Ctx(seed=seed, rng=rng, header=h, rates=doc_rates, vars=vars_, placeholders=placeholders,
              redact_p=rng.uniform(0.6, 1.0) if placeholders else 0.0)
    org = render_text(ctx, spec["org"])
    vars_["ORG"] = render_text(ctx, spec["org_short"]) if rng.random() < 0.5 else org
    title_year = year
    if flags["misdated"] and not spec.get("dateline") and year + 3 <= rates.years[1]:
        # the title names a later year than the report covers (a reused report retitled, a typo):
        # body, signature and page dates stay in the year the report is about
        title_year = year + _pick(rng, (2, 3))
        vars_.update({"Y": str(title_year), "Y1": str(title_year - 1), "Y2": str(title_year + 1)})
    title = render_text(ctx, _pick(rng, spec["titles"]))
    vars_.update({"Y": str(year), "Y1": str(year - 1), "Y2": str(year + 1)})
    fault = h.fault or ("conflict" if h.conflict_src is not None else None)
    if fault == "conflict":
        ctx.conflict_slot = _pick(rng, spec["core"])
        if force.get("conflict_slot"):
            ctx.conflict_slot = force["conflict_slot"]
        ctx.conflict_factor = 1 + _pick(rng, (-1, 1)) * rng.uniform(0.15, 0.4)
    elif fault == "jump":  # a stock figure x4-x8 up or down from the year before or after (a slipped digit, a unit)
        levels = [x for x in spec["core"] if _vocab()["slots"][x]["kind"] in ("count", "money")]
        ctx.conflict_slot = _pick(rng, levels)
        factor = rng.uniform(4, 8)
        small = world_value(seed, region, ctx.conflict_slot, year) / factor < 50
        ctx.conflict_factor = factor if small or rng.random() < 0.5 else 1 / factor
    elif fault == "growth":  # the stated GDP growth rate off by 5-9 points from what the two GDPs give
        ctx.conflict_slot = "gdp_growth"
        delta = rng.uniform(5, 9)
        # written as 增长X%: the stated rate stays positive (增长-3% reads as a typo, not a claim)
        low = world_value(seed, region, "gdp_growth", year - 1) - delta < 0.5
        ctx.conflict_delta = delta if low or rng.random() < 0.5 else -delta
    ctx.status, ctx.period, ctx.world_year = "actual", year, year
    opening = render_text(ctx, _pick(rng, spec["opening"]))
    paras: list[Para] = []
    headings: dict[int, str] = {}
    topics = _templates()["topics"]
    for si, sec in enumerate(spec["sections"]):
        if sec.get("optional") and rng.random() < 0.4:
            continue
        _section_ctx(ctx, sec, year)
        headings[si] = render_text(ctx, _pick(rng, sec["headings"]))
        for ti, tname in enumerate(sec["topics"]):
            tp = topics[tname]
            if sec["numbered"] and ti > 0 and not (set(spec["core"]) & _topic_slots(tname)) and rng.random() < 0.2:
                continue
            lead = _pick(rng, tp["leads"]) if tp.get("leads") else None
            pool = list(tp["sentences"])
            sents: list[Sentence] = []
            if tp.get("first"):
                sents.append(render_sentence(ctx, _pick(rng, tp["first"])))
            lo, hi = tp["n"]
            for _ in range(lo + int(rng.random() * (hi - lo + 1))):
                if pool:
                    sents.append(_opened(rng, render_sentence(ctx, _pop(rng, pool))))
            paras.append(Para(lead, sents, tname, sec["numbered"], si, pool))
    closing = render_text(ctx, _pick(rng, spec["closing"]))
    _fit_length(ctx, spec, paras, opening, closing, flags["target_chars"], max_chars)
    doc = Doc(header=h, title=title, org=org, region=None if written != region.name else region.full,
              region_written=written, dateline=None, paras=paras, headings=headings, opening=opening,
              closing=closing, signature=None, flags=flags, faults=[], ctx=ctx)
    if spec.get("dateline"):
        if "——" not in title:
            doc.dateline = render_text(ctx, spec["dateline"])
    else:
        doc.signature = f"{org}\n{year}年{_pick(rng, (11, 12))}月{rng.randint(1, 28)}日"
        if rng.random() < 0.5:
            doc.signature = None
    if flags["inconsistent"]:
        _inject_inconsistency(ctx, doc)
    if fault and ctx.conflict_figs and ctx.conflict_slot:
        period = ctx.conflict_figs[0].period
        wyear = period if isinstance(period, int) else year
        rec: dict[str, Any] = {"kind": "conflicting_figure" if fault == "conflict" else "implausible_change",
                               "indicator": _vocab()["slots"][ctx.conflict_slot]["indicator"],
                               "region": region.full, "year": wyear,
                               "world_value": world_value(seed, region, ctx.conflict_slot, wyear),
                               "other_index": h.conflict_src, "_figs": list(ctx.conflict_figs)}
        if fault == "jump":
            rec.update({"change": "jump", "factor": round(ctx.conflict_factor, 3)})
        elif fault == "growth":
            rec.update({"change": "growth", "level_indicator": "gdp.cny", "delta_pp": round(ctx.conflict_delta, 1)})
        doc.faults.append(rec)
    if title_year != year:
        doc.faults.append({"kind": "date_inconsistency", "title_year": title_year, "body_year": year})
    if allow_copy and flags["copied"]:
        _inject_copy(seed, doc, rates, min_chars, max_chars, formats or FORMAT_WEIGHTS, force.get("copy_from"),
                     force.get("copy_changed"))
    return doc


@cache
def _topic_slots(tname: str) -> frozenset[str]:
    tp = _templates()["topics"][tname]
    out = set()
    for t in [*tp.get("first", []), *tp.get("sentences", [])]:
        for tok in _flat(compile_template(t)):
            if tok[0] in ("slot", "T", "S"):
                out.add(tok[1])
    return frozenset(out)


def _section_ctx(ctx: Ctx, sec: dict, year: int) -> None:
    ctx.status = sec["status"]
    per = sec["period"]
    periods: dict[str, int | list[int]] = {"Y": year, "Y1": year - 1, "Y2": year + 1, "span5": [year - 5, year - 1]}
    ctx.period = periods[per]
    ctx.world_year = {"Y": year, "Y1": year - 1, "Y2": year + 1, "span5": year - 1}[per]


def _sent_len(s: Sentence) -> int:
    return s.length


def _fit_length(ctx: Ctx, spec: dict, paras: list[Para], opening: str, closing: str, target: int,
                max_chars: int) -> None:
    """Add pool sentences until the body reaches ``target`` characters; drop added ones above ``max_chars``."""
    total = len(opening) + len(closing) + sum(sum(_sent_len(s) for s in p.sentences) + len(p.lead or "") + 6
                                              for p in paras)
    sections = _templates()["types"][ctx.header.rtype]["sections"]
    rng = ctx.rng
    fillers = list(_templates()["fillers"][spec["filler"]])
    share = spec.get("filler_share", 0.5)
    numbered = [p for p in paras if p.numbered]
    open_paras = [p for p in paras if p.pool]
    while total < target:
        if numbered and fillers and (not open_paras or rng.random() < share):
            p = _pick(rng, numbered)
            s = render_sentence(ctx, _pop(rng, fillers))
            p.sentences.insert(1 + int(rng.random() * len(p.sentences)), s)
        elif open_paras:
            p = _pick(rng, open_paras)
            _section_ctx(ctx, sections[p.section], ctx.header.year)
            s = _opened(rng, render_sentence(ctx, _pop(rng, p.pool)))
            p.sentences.append(s)
            if not p.pool:
                open_paras.remove(p)
        else:
            break
        s.extra = True
        total += _sent_len(s)
    if total > max_chars:
        core = set(spec["core"])
        cands = [(p, s) for p in paras for s in p.sentences if s.extra]
        while total > max_chars and cands:
            p, s = _pop(rng, cands)
            if len(p.sentences) > 1 and not (core & {x.slot for x in s.segs if isinstance(x, Fig)}):
                p.sentences.remove(s)
                total -= _sent_len(s)


def _inject_inconsistency(ctx: Ctx, doc: Doc) -> None:
    """Change one part of one 其中 breakdown so the parts no longer sum to the total."""
    breakdowns = [s for p in doc.paras for s in p.sentences if s.breakdown]
    while breakdowns:
        s = _pop(ctx.rng, breakdowns)
        parts = [x for x in s.segs if isinstance(x, Fig) and x.role == "part"]
        total = next((x for x in s.segs if isinstance(x, Fig) and x.role == "total"), None)
        if not parts or total is None or total.value is None or any(x.redacted for x in parts):
            continue  # with a blank part the sum is unknown: no inconsistency a reader could see
        part = _pick(ctx.rng, parts)
        quantum = 100 if part.kind == "money" else 1
        delta = max(1, int(part.value * ctx.rng.uniform(0.03, 0.2)) // quantum) * quantum
        new = part.value + delta if ctx.rng.random() < 0.5 or part.value - delta <= 0 else part.value - delta
        spec = _vocab()["slots"][part.slot]
        if part.kind == "money":
            text, val, _, _ = render_money(ctx.rng, new, spec, ctx.rates, True, part.slot)
        else:
            text, val = f"{int(new)}{part.unit}", int(new)
        part.text, part.value = text, val
        doc.faults.append({"kind": "inconsistent_breakdown", "total": total.value,
                           "parts_sum": sum(x.value for x in parts), "_total": total, "_parts": parts})
        return


def _inject_copy(seed: int, doc: Doc, rates: Rates, min_chars: int, max_chars: int, formats: Mapping[str, float],
                 src: int | None, changed: bool | None) -> None:
    h = doc.header
    rng = random.Random(f"{seed}:{h.index}:c")
    if src is None:
        if h.index == 0:
            return
        for _ in range(12):
            k = rng.randrange(max(0, h.index - LOOKBACK), h.index)
            if header(seed, k, formats, rates).rtype == h.rtype:
                src = k
                break
        else:
            return
        src_h = header(seed, src, formats, rates)
        src_force = None
    else:  # the demo set names its source; its header and forced flags are not derived from the seed
        src_h, src_force = _SAMPLE_HEADERS[src], _SAMPLE_FORCE[src]
    src_doc = compose(seed, src_h, rates, min_chars, max_chars, allow_copy=False, formats=formats, force=src_force)
    cands = [p for p in src_doc.paras if p.numbered and any(isinstance(x, Fig) for s in p.sentences for x in s.segs)]
    if src_doc.flags["truncated"]:
        # the copier copies from the page as published: a paragraph the paywall leaves whole (the source
        # as written, with a passage it copied itself, fixes where the cut falls)
        full = compose(seed, src_h, rates, min_chars, max_chars, formats=formats, force=src_force)
        laid = layout(full)
        cut = _truncate(random.Random(f"{seed}:{src_h.index}:f"), laid)
        cands = [p for p in full.paras if p.copied is None and p.numbered and laid.para_spans[id(p)][1] <= cut
                 and any(isinstance(x, Fig) for s in p.sentences for x in s.segs)]
    if not cands:
        return
    sp = _pick(rng, cands)
    if changed is None:
        changed = rng.random() < rates.copy_changed
    ctx = doc.ctx
    saved = ctx.rng
    ctx.rng = rng
    new_sents = []
    # a figure with parts keeps its value, so that its parts still fit (as totals do)
    wholes = {id(x.parent) for s in sp.sentences for x in s.segs if isinstance(x, Fig) and x.parent is not None}
    for s in sp.sentences:
        segs: list[Segment] = []
        mapping: dict[int, Fig] = {}
        for x in s.segs:
            if isinstance(x, Fig):
                y = replace(x, copied=True)
                if changed and x.value is not None and x.parent is None and x.role is None and id(x) not in wholes:
                    _section_ctx(ctx, _templates()["types"][h.rtype]["sections"][sp.section], h.year)
                    factor = rng.uniform(0.5, 1.5)
                    v = x.value * factor if x.kind != "percent" else round(x.value * factor, 1)
                    if x.kind == "count":
                        v = max(1, round(v))
                    elif x.kind == "money":
                        v = max(100, round(v, -2))
                    y = make_fig(ctx, x.slot, x.subject, value=v, unit=x.unit)
                    y.copied = True
                elif x.parent is not None:
                    y.parent = mapping.get(id(x.parent), x.parent)
                mapping[id(x)] = y
                segs.append(y)
            else:
                segs.append(x)
        new_sents.append(Sentence(segs, breakdown=s.breakdown))
    ctx.rng = saved
    sections = sorted({p.section for p in doc.paras if p.numbered}) or sorted({p.section for p in doc.paras})
    sec = _pick(rng, sections)
    idx = [n for n, p in enumerate(doc.paras) if p.section == sec]
    pos = _pick(rng, idx[1:] + [idx[-1] + 1]) if len(idx) > 1 else idx[0] + 1
    para = Para(sp.lead, new_sents, sp.topic, True, sec, copied={"source_index": src, "changed_figures": changed})
    doc.paras.insert(pos, para)
    doc.faults.append({"kind": "copied_passage", "source_index": src, "source_region": src_h.region.full,
                       "source_year": src_h.year, "changed_figures": changed, "_para": para})


# ---------------------------------------------------------------------------
# laying out the body
# ---------------------------------------------------------------------------


def _renumber(heading: str, n: int) -> str:
    """Give a section heading its actual number (optional sections may be left out).

    >>> _renumber("四、下一步工作打算", 3), _renumber("基本情况", 1)
    ('三、下一步工作打算', '基本情况')
    """
    m = re.match(r"[一二三四五六七八九十]+、", heading)
    return f"{_CN_ORD[n]}、{heading[m.end():]}" if m and n <= 10 else heading


@dataclass
class Laid:
    body: str
    lines: list[tuple[str, str]]  # (kind, text): kind heading | para | sign
    figs: list[Fig]
    para_spans: dict[int, tuple[int, int]]  # id(Para) -> body span


def layout(doc: Doc) -> Laid:
    """The body text, one paragraph a line, with each figure's start offset."""
    parts: list[str] = []
    lines: list[tuple[str, str]] = []
    figs: list[Fig] = []
    pos = 0
    spans: dict[int, tuple[int, int]] = {}

    def add_line(kind: str, segs: list[Segment]) -> int:
        nonlocal pos
        if parts:
            parts.append("\n")
            pos += 1
        start = pos
        buf = []
        for s in segs:
            if isinstance(s, Fig):
                s.start = pos
                figs.append(s)
                buf.append(s.text)
                pos += len(s.text)
            else:
                buf.append(s)
                pos += len(s)
        line = "".join(buf)
        parts.append(line)
        lines.append((kind, line))
        return start

    if doc.dateline:
        add_line("dateline", [doc.dateline])
    add_line("para", [doc.opening])
    last_sec = None
    sub = n_sec = 0
    for p in doc.paras:
        if p.section != last_sec:
            n_sec += 1
            add_line("heading", [_renumber(doc.headings[p.section], n_sec)])
            last_sec, sub = p.section, 0
        segs: list[Segment] = []
        if p.numbered:
            sub += 1
            segs.append(f"（{_CN_ORD[sub] if sub <= 10 else sub}）")
        if p.lead:
            segs.append(p.lead)
        for s in p.sentences:
            segs.extend(s.segs)
        start = add_line("para", segs)
        spans[id(p)] = (start, pos)
    add_line("para", [doc.closing])
    if doc.signature:
        for line in doc.signature.split("\n"):
            add_line("sign", [line])
    return Laid("".join(parts), lines, figs, spans)


# ---------------------------------------------------------------------------
# furniture, script, formats
# ---------------------------------------------------------------------------


@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _to_traditional(text: str, pinyin: bool) -> str:
    t = _s2t().convert(text)
    if pinyin:
        table = _vocab()["pinyin"]
        t = "".join(f"{c}({table[c]})" if c in table else c for c in t)
    return t


@dataclass
class Page:
    """What a site page holds around the body, each piece as plain text."""

    top: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) before the title
    after_title: list[tuple[str, str]] = field(default_factory=list)
    after_body: list[tuple[str, str]] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    site: str = ""
    domain: str = ""
    script: str = ""


def furnish(rng: random.Random, doc: Doc, laid: Laid, truncated_notice: str | None) -> Page:
    f = _vocab()["furniture"]
    h = doc.header
    si = rng.randrange(len(f["sites"]))
    site, domain = f["sites"][si], f["site_domains"][si]
    year = h.year if h.rtype == "gov_report" else h.year + _pick(rng, (0, 1))
    month = rng.randint(1, 2) if h.rtype == "gov_report" else rng.randint(1, 12)
    date = f"{year}-{month:02d}-{rng.randint(1, 28):02d} {rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}"
    sub = {"title": doc.title, "date": date, "views": str(rng.randint(30, 9000)), "site": site, "domain": domain,
           "year": str(min(2026, year + rng.randint(0, 2))), "icp": f"{rng.randint(10000000, 99999999)}",
           "region": doc.region_written, "url": f"http://www.{domain}"}
    page = Page(site=site, domain=domain, script=_pick(rng, f["scripts"]))
    gov = h.rtype == "gov_report" and rng.random() < 0.5
    navs = f["gov_navs"] if gov else f["navs"]
    page.top.append(("nav", _pick(rng, navs).format(**sub)))
    page.after_title.append(("meta", _pick(rng, f["meta_lines"]).format(**sub)))
    if not gov:
        if rng.random() < 0.6:
            page.after_title.append(("tip", _pick(rng, f["tips"])))
        if rng.random() < 0.7:
            page.after_title.append(("intro", _pick(rng, f["intros"]).format(**sub)))
        if rng.random() < 0.2:
            pages = max(1, len(laid.body) // 1200 + 1)
            page.after_title.append(("docsite", f["docsite"][0].format(pages=pages, total=len(laid.body))))
    if truncated_notice:
        page.after_body.append(("paywall", truncated_notice))
    if not gov and rng.random() < 0.6:
        page.after_body.append(("outro", _pick(rng, f["outros"]).format(**sub)))
    if rng.random() < 0.6:
        prev, nxt = rng.sample(f["related"], 2)
        page.after_body.append(("prevnext", f"上一篇：{prev}"))
        page.after_body.append(("prevnext", f"下一篇：{nxt}"))
    if not gov and rng.random() < 0.6:
        for t in rng.sample(f["related"], rng.randint(3, 5)):
            page.related.append(f"《{t}》：{_pick(rng, f['related_snippets'])}")
    foot = f["gov_footers"] if gov else f["footers"]
    page.footer = [x.format(**sub) for x in rng.sample(foot, 2)]
    return page


def _must_remove(page: Page) -> list[str]:
    out = [t for _, t in page.top + page.after_title + page.after_body] + page.related + page.footer
    if page.related:
        out.append("相关文章")
    return out


def write_txt(path: Path, title: str, laid_lines: list[str], page: Page | None, encoding: str) -> int:
    """Write the page as text; return the offset of the body in the decoded file."""
    out: list[str] = []
    if page:
        out += [t for _, t in page.top]
    out.append(title)
    if page:
        out += [t for _, t in page.after_title]
    out.append("")
    body_start = sum(len(x) + 1 for x in out)
    out += laid_lines
    if page:
        out += [t for _, t in page.after_body]
        if page.related:
            out += ["", "相关文章", *page.related]
        out += ["", *page.footer]
    path.write_bytes(("\n".join(out) + "\n").encode(encoding))
    return body_start


def write_html(rng: random.Random, path: Path, title: str, laid: list[tuple[str, str]], page: Page,
               encoding: str, furniture: bool) -> None:
    def esc(s: str) -> str:
        s = html.escape(s, quote=False)
        if curly:
            s = s.replace("“", "&ldquo;").replace("”", "&rdquo;")
        return s

    curly = rng.random() < 0.3
    brs = rng.random() < 0.3
    charset = "gbk" if encoding == "gb18030" else "utf-8"
    nav_items = "".join(f'<li><a href="/{k}/">{esc(w)}</a></li>'
                        for k, w in enumerate(page.top[0][1].replace(">", "|").split("|")) if w.strip())
    body: list[str] = []
    for kind, text in laid:
        if kind == "heading":
            body.append(f"<p><strong>{esc(text)}</strong></p>" if not brs else f"<b>{esc(text)}</b><br/>")
        elif brs:
            body.append(f"&nbsp;&nbsp;&nbsp;&nbsp;{esc(text)}<br/>")
        else:
            body.append(f"<p>　　{esc(text)}</p>")
    after_title = "".join(f'<div class="{k}">{esc(t)}</div>' for k, t in page.after_title) if furniture else ""
    after_body = "".join(f'<p class="{k}">{esc(t)}</p>' for k, t in page.after_body)
    related = ""
    if page.related:
        related = ('<div class="sidebar"><h3>相关文章</h3><ul>'
                   + "".join(f'<li><a href="/a/{rng.randint(1000, 99999)}.html">{esc(r)}</a></li>'
                             for r in page.related) + "</ul></div>")
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{esc(title)}_{esc(page.site)}</title>
<meta name="keywords" content="{esc(title)},工作总结,工作汇报">
<link rel="stylesheet" href="/static/css/main.css">
<script>{page.script}</script>
</head>
<body>
<div class="header"><div class="logo"><a href="/">{esc(page.site)}</a></div>
<ul class="nav">{nav_items}</ul></div>
<div class="main">
<div class="article">
<h1>{esc(title)}</h1>
{after_title}
<div class="content" id="content">
{chr(10).join(body)}
</div>
{after_body}
</div>
{related}
</div>
<div class="footer">{"".join(f"<p>{esc(x)}</p>" for x in page.footer)}</div>
<script type="text/javascript">{esc(page.script)}</script>
</body>
</html>
"""
    path.write_bytes(doc.encode(encoding, errors="xmlcharrefreplace"))


_ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # fixed member dates: the same seed gives the same bytes


@cache
def _docx_skeleton() -> tuple[bytes, str, str]:
    """python-docx's default package without its body, compressed once; plus document.xml and core.xml.

    Compressing the 800 kB of styles is most of the cost of a .docx, and it is
    the same for every document, so each document appends only its own parts.
    """
    from docx import Document as DocxDocument

    buf = io.BytesIO()
    DocxDocument().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in ("word/document.xml", "docProps/core.xml"):
                dst.writestr(zipfile.ZipInfo(info.filename, _ZIP_DATE), src.read(info.filename),
                             compress_type=zipfile.ZIP_DEFLATED)
        document = src.read("word/document.xml").decode("utf-8")
        core = src.read("docProps/core.xml").decode("utf-8")
    return out.getvalue(), document, core


def _w_p(text: str, jc: str | None = None, bold: bool = False, size: int | None = None,
         indent: bool = False) -> str:
    ppr = ""
    if jc or indent:
        ppr = "<w:pPr>" + (f'<w:jc w:val="{jc}"/>' if jc else "") + ('<w:ind w:firstLine="480"/>' if indent else "") \
            + "</w:pPr>"
    rpr = ""
    if bold or size:
        rpr = "<w:rPr>" + ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "") + "</w:rPr>"
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r></w:p>'


def write_docx(path: Path, title: str, laid: list[tuple[str, str]]) -> None:
    """A Word file: python-docx's default package with our paragraphs (title centred and bold)."""
    skeleton, document, core = _docx_skeleton()
    paras = [_w_p(title, jc="center", bold=True, size=36)]
    for kind, text in laid:
        if kind == "heading":
            paras.append(_w_p(text, bold=True))
        elif kind == "sign":
            paras.append(_w_p(text, jc="right"))
        elif kind == "dateline":
            paras.append(_w_p(text, jc="center"))
        else:
            paras.append(_w_p(text, indent=True))
    cut = document.index("<w:sectPr")
    body = document[:cut] + "".join(paras) + document[cut:]
    core = core.replace("<dc:title/>", f"<dc:title>{html.escape(title, quote=False)}</dc:title>")
    core = core.replace("<dc:creator>python-docx</dc:creator>", "<dc:creator>Administrator</dc:creator>")
    buf = io.BytesIO(skeleton)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("word/document.xml", _ZIP_DATE), body, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("docProps/core.xml", _ZIP_DATE), core, compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())


@cache
def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def write_pdf(path: Path, title: str, laid: list[tuple[str, str]]) -> list[str]:
    """A4 pages with a 第N页 共M页 footer; returns the footer strings (furniture)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _pdf_font()
    width, height = A4
    margin, size, lead = 72, 11, 18
    usable = width - 2 * margin
    char_w: dict[str, float] = {}

    def wrap(text: str, indent: float) -> list[str]:
        out, line, w = [], "", indent
        for ch in text:
            cw = char_w.get(ch)
            if cw is None:
                cw = char_w[ch] = stringWidth(ch, font, size)
            if w + cw > usable and line:
                out.append(line)
                line, w = "", 0.0
            line += ch
            w += cw
        out.append(line)
        return out

    items: list[tuple[str, str, float]] = [("title", title, 0.0)]
    for kind, text in laid:
        indent = 2 * size if kind == "para" else 0.0
        for k, line in enumerate(wrap(text, indent)):
            items.append((kind, line, indent if k == 0 else 0.0))
    per_page = int((height - 2 * margin) // lead) - 1
    pages = [items[k:k + per_page] for k in range(0, len(items), per_page)]
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(title)
    footers = []
    for pn, pitems in enumerate(pages, 1):
        y = height - margin
        for kind, line, indent in pitems:
            if kind == "title":
                c.setFont(font, 16)
                c.drawCentredString(width / 2, y, line)
                y -= lead * 1.6
                continue
            c.setFont(font, size)
            if kind == "sign":
                c.drawRightString(width - margin, y, line)
            else:
                c.drawString(margin + indent, y, line)
            y -= lead
        foot = f"第 {pn} 页 共 {len(pages)} 页"
        footers.append(foot)
        c.setFont(font, 9)
        c.drawCentredString(width / 2, margin / 2, foot)
        c.showPage()
    c.save()
    return footers


# ---------------------------------------------------------------------------
# one document end to end
# ---------------------------------------------------------------------------
_TYPE_SHORT = {"fulian_children": "children", "fulian_annual": "annual", "gov_report": "gov"}
# Set by write_samples() for the duration of the call (the demo documents are
# specified, not drawn from the seed); empty otherwise. Not thread-safe.
_SAMPLE_HEADERS: dict[int, Header] = {}
_SAMPLE_FORCE: dict[int, dict[str, Any]] = {}
_SAMPLE_NAMES: dict[int, str] = {}


def _fig_record(f: Fig, index: dict[int, int], body: str) -> dict[str, Any]:
    occ = _occurrence(body, f.text, f.start)
    # keys whose value would be null/false are left out (except value): readers use .get()
    rec: dict[str, Any] = {"text": f.text, "value": f.value, "kind": f.kind, "unit": f.unit}
    if f.high is not None:
        rec["high"] = f.high
    if f.approx:
        rec["approx"] = f.approx
    rec["subject"] = f.subject
    if f.indicator:
        rec["indicator"] = f.indicator
    if f.redacted:
        rec["redacted"] = True
    rec["status"] = f.status
    rec["period"] = f.period
    if f.role:
        rec["role"] = f.role
    if f.parent is not None:
        rec["parent"] = index.get(id(f.parent))
    rec["start"], rec["end"], rec["occurrence"] = f.start, f.start + len(f.text), occ
    if f.copied:
        rec["copied"] = True
    return rec


def _occurrence(body: str, needle: str, start: int) -> int:
    n, pos = 0, body.find(needle)
    while 0 <= pos < start:
        n += 1
        pos = body.find(needle, pos + 1)
    return n


def _truncate(rng: random.Random, laid: Laid) -> int:
    """Cut point: a sentence end between 45% and 80% of the body."""
    body = laid.body
    lo, hi = int(len(body) * 0.45), int(len(body) * 0.8)
    cut = body.find("。", lo, hi)
    return cut + 1 if cut >= 0 else lo


def build(seed: int, h: Header, out_dir: Path, rates: Rates, min_chars: int, max_chars: int,
          formats: Mapping[str, float], name: str | None = None, force: dict[str, Any] | None = None,
          shard: bool = True) -> dict[str, Any]:
    """Compose, dress and write document ``h.index``; return its truth record."""
    doc = compose(seed, h, rates, min_chars, max_chars, formats=formats, force=force)
    rng = random.Random(f"{seed}:{h.index}:f")
    laid = layout(doc)
    fl = doc.flags
    body = laid.body
    figs = laid.figs
    missing = None
    notice = None
    line_texts = [t for _, t in laid.lines]
    lines = list(laid.lines)
    if fl["truncated"]:
        cut = _truncate(rng, laid)
        missing = len(body) - cut
        kept = body[:cut]
        figs = [f for f in figs if f.start + len(f.text) <= cut]
        pw = _vocab()["furniture"]["paywall"]
        tpl = _pick(rng, pw)
        site_i = rng.randrange(len(_vocab()["furniture"]["sites"]))
        notice = tpl.format(site=_vocab()["furniture"]["sites"][site_i], n=missing, shown=len(kept), total=len(body),
                            url=f"http://www.{_vocab()['furniture']['site_domains'][site_i]}")
        line_texts = kept.split("\n")
        lines = list(zip([k for k, _ in laid.lines], line_texts))
    page = furnish(rng, doc, laid, notice) if (fl["furniture"] or h.fmt == "html") else None
    if page and not fl["furniture"]:  # html pages always have nav and footer; the rest comes with furniture
        page.after_title, page.after_body, page.related = [], [], []
    must_remove: list[str] = _must_remove(page) if page else []
    title = doc.title
    encoding = "gb18030" if fl["gbk"] and h.fmt in ("txt", "html") else "utf-8"
    script = "simplified"
    if fl["traditional"]:
        script = "traditional"
        title = _to_traditional(title, fl["pinyin"])
        lines = [(k, _to_traditional(t, fl["pinyin"])) for k, t in lines]
        if page:
            conv = _s2t().convert
            page.top = [(k, conv(t)) for k, t in page.top]
            page.after_title = [(k, conv(t)) for k, t in page.after_title]
            page.after_body = [(k, conv(t)) for k, t in page.after_body]
            page.related = [conv(t) for t in page.related]
            page.footer = [conv(t) for t in page.footer]
    ext = h.fmt
    fname = name or f"{h.index:06d}_{_TYPE_SHORT[h.rtype]}.{ext}"
    rel = f"{h.index // SHARD_SIZE:04d}/{fname}" if shard else fname
    path = out_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    raw_body_start = None
    if ext == "txt":
        raw_body_start = write_txt(path, title, [t for _, t in lines], page, encoding)
        if script != "simplified":  # glosses and conversion move the offsets
            raw_body_start = None
    elif ext == "html":
        assert page is not None
        write_html(rng, path, title, lines, page, encoding, fl["furniture"])
        must_remove.append(page.script)
    elif ext == "docx":
        write_docx(path, title, lines)
    elif ext == "pdf":
        must_remove += write_pdf(path, title, lines)
    else:
        raise ValueError(f"unknown format {ext!r}")
    index = {id(f): k for k, f in enumerate(figs)}
    kept_body = body[:len(body) - missing] if missing else body
    sentences = [s + "。" for line in kept_body.split("\n") for s in line.split("。")[1:-1] if len(s) >= 12]
    must_keep = [_pick(rng, sentences) for _ in range(3)] if sentences else []
    faults = _fault_records(doc, figs, index, laid, missing, seed, formats, rates, shard, kept_body,
                            page is not None and bool(page.after_title), min_chars, max_chars)
    region = doc.region
    return {
        "doc": fname, "path": rel, "index": h.index, "format": ext, "encoding": encoding, "type": h.rtype,
        "title": doc.title, "org": doc.org, "region": region, "region_written": doc.region_written,
        "year": h.year, "script": script, "pinyin": bool(fl["traditional"] and fl["pinyin"]),
        "furniture": sorted({k for k, _ in (page.top + page.after_title + page.after_body)} |
                            ({"related"} if page.related else set()) | {"footer"}) if page else [],
        "truncated": bool(missing), "missing_chars": missing, "body_chars": len(kept_body),
        "raw_body_start": raw_body_start,
        "figures": [_fig_record(f, index, kept_body) for f in figs],
        "faults": faults, "must_remove": must_remove, "must_keep": must_keep,
    }


def _doc_name(seed: int, k: int, formats: Mapping[str, float], rates: Rates, shard: bool) -> str:
    if k in _SAMPLE_NAMES:
        return _SAMPLE_NAMES[k]
    h = header(seed, k, formats, rates)
    return f"{k:06d}_{_TYPE_SHORT[h.rtype]}.{h.fmt}"




@cache
def _placeholder_re() -> re.Pattern[str]:
    """A placeholder as the generator writes one (vocab forms before a Han character: *名, XX县, *月*日)."""
    forms = sorted(_vocab()["forms"]["placeholders"], key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, forms)) + r")(?=[\u4e00-\u9fff])")


def _published(seed: int, k: int, rates: Rates, min_chars: int, max_chars: int,
               formats: Mapping[str, float]) -> tuple[Doc, list[Fig]]:
    """Document ``k`` as ``build`` publishes it: its plan and the figures the paywall leaves."""
    if k in _SAMPLE_HEADERS:  # the demo set: headers and flags are not derived from the seed
        h, force = _SAMPLE_HEADERS[k], _SAMPLE_FORCE[k]
    else:
        h, force = header(seed, k, formats, rates), None
    doc = compose(seed, h, rates, min_chars, max_chars, formats=formats, force=force)
    laid = layout(doc)
    figs = laid.figs
    if doc.flags["truncated"]:
        cut = _truncate(random.Random(f"{seed}:{k}:f"), laid)
        figs = [f for f in figs if f.start + len(f.text) <= cut]
    return doc, figs


_NUM = re.compile(r"([0-9]+)(?:\.([0-9]+))?")
_HALFWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _quantum(v: float) -> float:
    """One unit of the last significant digit written: 80 -> 10, 1405 -> 1, 700000 -> 100000."""
    n = int(abs(v))
    if n != abs(v) or n == 0:
        return 1
    q = 1
    while n % (q * 10) == 0:
        q *= 10
    return q


def _reading(f: Fig, margin: float = 0.02) -> tuple[float, float]:
    """The values a reader can take a written figure to mean, widened by ``margin`` of each end.

    >>> f = Fig("1000余所", 1000, "count", "所", None, None, "actual", 2018, approx="余")
    >>> _reading(f, 0)
    (1000.0, 2000.0)
    >>> _reading(Fig("1.25万元", 12500, "money", "元", None, None, "actual", 2018), 0)
    (12450.0, 12550.0)
    """
    assert f.value is not None
    v = float(f.value)
    hi = float(f.high) if f.high is not None else v
    if f.approx:
        forms = _vocab()["forms"]
        mode = {**forms["prefix"], **forms["suffix"], **{q: "down" for q in forms["more_infix"]},
                **{w[4]: ("up" if w[2] >= w[1] else "down") for w in forms["round_words"]}}.get(f.approx, "nearest")
        q = _quantum(v)
        lo, hi = (v, hi + q) if mode == "down" else (v - q, hi) if mode == "up" else (v - q / 2, hi + q / 2)
    else:
        # rounding of the number as written: 1.25万元 is 12,450-12,550; 1405所 is exactly 1405
        m = _NUM.search(f.text.translate(_HALFWIDTH))
        step = 0.0
        if m and float(m.group(0)):
            mult = v / float(m.group(0))
            if m.group(2) or abs(mult - 1) > 1e-9:
                step = mult * 10 ** -len(m.group(2) or "")
        lo, hi = v - step / 2, hi + step / 2
    return lo - abs(lo) * margin, hi + abs(hi) * margin


def _shows(f: Fig, slot: str, year: int) -> bool:
    """Does a published figure state ``slot`` for ``year`` as the report's own outcome, readably?"""
    return (f.slot == slot and not f.redacted and not f.copied and f.value is not None and f.status == "actual"
            and f.period == year and f.role != "part")


def _hidden(f: dict[str, Any], doc: Doc, kept: list[Fig], own: list[Fig], seed: int, rates: Rates,
            min_chars: int, max_chars: int, formats: Mapping[str, float]) -> str | None:
    """Why a reader of the two reports cannot see the cross-report fault ``f`` (None: they can).

    Both must name their region (not XX县), and the other report must state the figure this one is
    compared with, unredacted and before any paywall: for a conflicting figure, one of the same year in
    words that rule out this report's figures (1000余所 allows 1887所); for an implausible change, the
    level of the year before or after (a stated growth rate also needs this report's own level).
    """
    if doc.region is None:
        return "own_region"
    other, shown = _published(seed, f["other_index"], rates, min_chars, max_chars, formats)
    if other.region is None:
        return "other_region"
    slot = doc.ctx.conflict_slot
    assert slot is not None
    if f["kind"] == "conflicting_figure":
        for g in shown:
            if _shows(g, slot, f["year"]):
                lo, hi = _reading(g)
                if all(not (lo <= float(x.value) <= hi) for x in kept if x.value is not None):
                    return None
        return "other_figure"
    level = "gdp" if f.get("change") == "growth" else slot
    year = f["year"] + other.header.year - doc.header.year  # a 政府工作报告 reviews the year before its own
    if not any(_shows(g, level, year) and g not in other.ctx.conflict_figs for g in shown):
        return "other_figure"
    if f.get("change") == "growth" and not any(_shows(g, "gdp", f["year"]) for g in own):
        return "own_level"  # the rate is checked against the two levels: this report states its own
    return None


def _fault_records(doc: Doc, figs: list[Fig], index: dict[int, int], laid: Laid, missing: int | None, seed: int,
                   formats: Mapping[str, float], rates: Rates, shard: bool, kept_body: str,
                   dated_page: bool, min_chars: int, max_chars: int) -> list[dict[str, Any]]:
    out = []
    for f in doc.faults:
        rec = {k: v for k, v in f.items() if not k.startswith("_")}
        if f["kind"] == "inconsistent_breakdown":
            if id(f["_total"]) not in index or not all(id(p) in index for p in f["_parts"]):
                continue  # cut off by truncation
            rec["figures"] = [index[id(f["_total"])]] + [index[id(p)] for p in f["_parts"]]
        elif f["kind"] in ("conflicting_figure", "implausible_change"):
            kept_figs = [x for x in f["_figs"] if id(x) in index and not x.redacted]
            if not kept_figs:
                continue
            kept = [index[id(x)] for x in kept_figs]
            rec["figures"] = kept
            rec["values"] = [figs[k].value for k in kept]
            rec["other_doc"] = _doc_name(seed, f["other_index"], formats, rates, shard)
            # the figure is wrong either way; whether the pair of reports shows it is another matter
            hidden = _hidden(f, doc, kept_figs, figs, seed, rates, min_chars, max_chars, formats)
            if hidden:
                rec["hidden"] = hidden
        elif f["kind"] == "date_inconsistency":
            # an inconsistency only where the report shows it: a year of its body or its page's date
            years = range(f["body_year"] - 1, f["title_year"])
            if not dated_page and not any(f"{y}年" in kept_body for y in years):
                continue
        elif f["kind"] == "copied_passage":
            span = laid.para_spans.get(id(f["_para"]))
            if span is None or (missing and span[1] > len(laid.body) - missing):
                continue  # cut off, wholly or in part, by the paywall
            rec["source_doc"] = _doc_name(seed, f["source_index"], formats, rates, shard)
            rec["start"], rec["end"] = span
            rec["figures"] = [index[id(x)] for s in f["_para"].sentences for x in s.segs
                              if isinstance(x, Fig) and id(x) in index]
        out.append(rec)
    n = sum(1 for f in figs if f.redacted)
    blanks = n or _placeholder_re().search(kept_body) or _placeholder_re().search(doc.title)
    if doc.flags["placeholders"] or blanks:
        rec = {"kind": "placeholders", "redacted_figures": n, "region_redacted": doc.region is None}
        if not doc.flags["placeholders"]:  # blanks brought in by a passage copied from an unfilled template
            rec["via"] = "copied_passage"
        out.append(rec)
    if missing:
        out.append({"kind": "truncated", "missing_chars": missing})
    return out


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------


def parse_weights(spec: str) -> dict[str, float]:
    """Format weights from ``txt=85,html=10``.

    >>> parse_weights("txt=85, pdf=2.5")
    {'txt': 85.0, 'pdf': 2.5}
    """
    out: dict[str, float] = {}
    for part in spec.split(","):
        name, sep, w = part.strip().partition("=")
        try:
            out[name.strip()] = float(w)
        except ValueError:
            raise ValueError(f"bad format weight {part.strip()!r}: write FORMAT=NUMBER, e.g. txt=85") from None
        if not sep or out[name.strip()] < 0:
            raise ValueError(f"bad format weight {part.strip()!r}: write FORMAT=NUMBER, e.g. txt=85")
    return out


def _format_weights(formats: tuple[str, ...] | list[str], weights: Mapping[str, float] | None) -> Mapping[str, float]:
    w = dict(weights or FORMAT_WEIGHTS)
    unknown = set(formats) - set(FORMAT_WEIGHTS)
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))} (known: {', '.join(FORMAT_WEIGHTS)})")
    unknown = set(w) - set(FORMAT_WEIGHTS)
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))} (known: {', '.join(FORMAT_WEIGHTS)})")
    out = {f: w.get(f, 1) for f in formats}
    if not out or not any(out.values()):
        raise ValueError("no formats to write")
    return out


def _chunk(args: tuple) -> str:
    """Write documents ``a .. b-1`` and return their truth lines (runs in a worker process)."""
    seed, a, b, out, rates, min_chars, max_chars, fw = args
    lines = []
    for i in range(a, b):
        h = header(seed, i, fw, rates)
        rec = build(seed, h, Path(out), rates, min_chars, max_chars, fw)
        lines.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    return "".join(lines)


#: documents per task handed to a worker: small enough to balance two cores on a
#: few thousand documents, large enough that task overhead does not show
CHUNK = 250


def generate(n: int, out_dir: str | Path, seed: int = 1, formats: tuple[str, ...] | list[str] = tuple(FORMAT_WEIGHTS),
             weights: Mapping[str, float] | None = None, min_chars: int = 2000, max_chars: int = 3500,
             rates: Rates | None = None, start: int = 0, workers: int = 1,
             progress: Callable[[int, int], None] | None = None) -> Path:
    """Write documents ``start .. start+n-1`` under ``out_dir`` (subfolders of 1,000) and ``truth.jsonl``.

    Streams: each file is written as soon as it is made, truth lines in
    document order. ``workers`` > 1 makes documents in that many processes;
    the output is byte-identical to ``workers=1``. Returns the truth file's path.
    """
    if n < 0 or min_chars <= 0 or max_chars < min_chars:
        raise ValueError("need n >= 0 and 0 < min_chars <= max_chars")
    rates = rates or Rates()
    lo, hi = rates.years
    if not (_YEARS.start + 5 <= lo <= hi < _YEARS.stop - 1):  # reports look 5 years back and 1 ahead
        raise ValueError(f"report years must lie within {_YEARS.start + 5}-{_YEARS.stop - 2}, got {lo}-{hi}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fw = _format_weights(formats, weights)
    truth = out / "truth.jsonl"
    tasks = [(seed, a, min(a + CHUNK, start + n), str(out), rates, min_chars, max_chars, fw)
             for a in range(start, start + n, CHUNK)]
    done = 0
    with truth.open("w", encoding="utf-8") as tf:
        if workers <= 1 or len(tasks) <= 1:
            results: Iterator[str] = map(_chunk, tasks)
            pool = None
        else:
            import multiprocessing as mp

            pool = mp.get_context("fork").Pool(workers)
            results = pool.imap(_chunk, tasks)
        try:
            for task, text in zip(tasks, results):
                tf.write(text)
                done += task[2] - task[1]
                if progress and (done % 1000 == 0 or done == n):
                    progress(done, n)
        finally:
            if pool is not None:
                pool.close()
                pool.join()
    return truth


# The demo set: several regions, each with two or three years of the same
# indicators, in every format; one truncated, one with placeholders, one
# traditional with pinyin, one passage copied across regions, one conflict.
SAMPLES: list[dict[str, Any]] = [
    {"name": "cangxian_2019_children.txt", "type": "fulian_children", "region": "沧县", "year": 2019, "fmt": "txt",
     "force": {"furniture": True}},
    {"name": "cangxian_2021_children.html", "type": "fulian_children", "region": "沧县", "year": 2021, "fmt": "html",
     "force": {"furniture": True}},
    {"name": "cangxian_2023_annual.docx", "type": "fulian_annual", "region": "沧县", "year": 2023, "fmt": "docx"},
    {"name": "jinzhai_2020_children.txt", "type": "fulian_children", "region": "金寨县", "year": 2020, "fmt": "txt",
     "force": {"truncated": True}},
    {"name": "jinzhai_2022_children.pdf", "type": "fulian_children", "region": "金寨县", "year": 2022, "fmt": "pdf",
     "force": {"inconsistent": True}},
    {"name": "jinzhai_2023_annual.txt", "type": "fulian_annual", "region": "金寨县", "year": 2023, "fmt": "txt"},
    {"name": "yilong_2021_children.docx", "type": "fulian_children", "region": "仪陇县", "year": 2021, "fmt": "docx",
     "force": {"copied": True, "copy_from": 1, "copy_changed": False}},
    {"name": "yilong_2022_annual.html", "type": "fulian_annual", "region": "仪陇县", "year": 2022, "fmt": "html",
     "force": {"traditional": True, "pinyin": True, "furniture": True}},
    {"name": "yilong_2022_children.txt", "type": "fulian_children", "region": "仪陇县", "year": 2022, "fmt": "txt",
     "conflict_with": 7, "force": {"conflict_slot": "children_home"}},
    {"name": "template_2022_children.txt", "type": "fulian_children", "region": "献县", "year": 2022, "fmt": "txt",
     "force": {"placeholders": True}},
    {"name": "cangzhou_2021_gov.txt", "type": "gov_report", "region": "沧州市", "year": 2021, "fmt": "txt"},
    {"name": "cangzhou_2022_gov.html", "type": "gov_report", "region": "沧州市", "year": 2022, "fmt": "html",
     "force": {"gbk": True}},
    {"name": "cangzhou_2023_gov.pdf", "type": "gov_report", "region": "沧州市", "year": 2023, "fmt": "pdf"},
    {"name": "luan_2022_gov.docx", "type": "gov_report", "region": "六安市", "year": 2022, "fmt": "docx"},
    {"name": "luan_2023_gov.txt", "type": "gov_report", "region": "六安市", "year": 2023, "fmt": "txt"},
]
_SAMPLE_DEFAULT_FORCE = {"placeholders": False, "truncated": False, "traditional": False, "copied": False,
                         "inconsistent": False, "gbk": False, "furniture": False, "fullwidth": False,
                         "misdated": False}


def write_samples(out_dir: str | Path, seed: int = SAMPLE_SEED, min_chars: int = 1100,
                  max_chars: int = 1700) -> Path:
    """Write the demo reports of ``SAMPLES`` (flat folder) and their ``truth.jsonl``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rates = Rates()
    fw = dict(FORMAT_WEIGHTS)
    _SAMPLE_HEADERS.clear()
    _SAMPLE_FORCE.clear()
    _SAMPLE_NAMES.clear()
    for k, s in enumerate(SAMPLES):
        src = s.get("conflict_with")
        _SAMPLE_HEADERS[k] = Header(k, s["type"], region_by_name(s["region"]), s["year"], s["fmt"], src)
        _SAMPLE_FORCE[k] = {**_SAMPLE_DEFAULT_FORCE, **s.get("force", {})}
        _SAMPLE_NAMES[k] = s["name"]
    truth = out / "truth.jsonl"
    try:
        with truth.open("w", encoding="utf-8") as tf:
            for k, s in enumerate(SAMPLES):
                rec = build(seed, _SAMPLE_HEADERS[k], out, rates, min_chars, max_chars, fw, name=s["name"],
                            force=_SAMPLE_FORCE[k], shard=False)
                tf.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        _SAMPLE_HEADERS.clear()
        _SAMPLE_FORCE.clear()
        _SAMPLE_NAMES.clear()
    return truth


def read_truth(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of a truth file, one at a time."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m corpora.synth", description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of documents")
    ap.add_argument("--out", help="output folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", default=",".join(FORMAT_WEIGHTS), help="comma-separated: txt,html,docx,pdf")
    ap.add_argument("--weights", default="", help="format mix, e.g. txt=85,html=10,docx=3,pdf=2 (the default)")
    ap.add_argument("--min-chars", type=int, default=2000)
    ap.add_argument("--max-chars", type=int, default=3500)
    ap.add_argument("--workers", type=int, default=0, help="processes; 0 = one per core (output is the same)")
    ap.add_argument("--samples", metavar="DIR", help="write the demo sample set to DIR instead")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    if a.samples:
        truth = write_samples(a.samples)
        print(f"wrote {len(SAMPLES)} samples and {truth}")
        return 0
    if not a.out:
        ap.error("give --out DIR (or --samples DIR)")
    try:
        truth = generate(a.n, a.out, seed=a.seed, formats=[f for f in a.formats.split(",") if f],
                         weights=parse_weights(a.weights) if a.weights else None,
                         min_chars=a.min_chars, max_chars=a.max_chars, workers=a.workers or os.cpu_count() or 1,
                         progress=lambda k, n: print(f"{k}/{n}", file=sys.stderr))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    dt = time.perf_counter() - t0
    print(f"wrote {a.n} documents and {truth} in {dt:.1f}s ({a.n / dt:.0f} docs/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
