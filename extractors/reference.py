"""What each figure refers to: ``status`` (actual | target) and ``period`` (year or [first, last]).

``annotate_reference(doc, figures)`` sets both in place. Stages:

1. **parts** (one pass over the text, cached per text): paragraphs, split also at inline numbered
   headings; each top-level heading opens a part that is a *review* (一、2025年工作回顾, 基本情况),
   a *plan* (二、2026年工作安排, 下一步打算), *mixed* (“十四五”时期发展成就和“十五五”时期主要目标:
   each paragraph decides) or neither (inherits the previous part). A part's period comes from its
   heading (a year, a five-year plan, 过去五年) or the report (``reviews`` for reviews, ``year`` for plans).
   Paragraphs outside any recognised part are classified by their wording (imperative clause openings
   against outcome words), except in summaries, whose figures are outcomes.
2. **status** per figure: the part's kind, overridden by forward-looking words in the sentence of a
   review (力争, 计划, 拟, 明年) or by outcome words in the sentence of a plan (去年, 已建成).
3. **period** per figure: a horizon (到2027年) for targets; for outcomes a run (连续9年 -> the nine
   years ending in the reviewed year), a five-year span named in the paragraph (过去五年, “十四五”时期),
   a year leading the sentence, the year scoping a summary's paragraph (组织开展2019年…活动), 今年/去年,
   then the part's period. None when the text does not tell.

Cue words live in ``extractors/data/reference.toml``. Cost: one pass per document, then a bisect and
a scan of the figure's sentence per figure.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import regex

from pipeline.settings import load_data
from pipeline.types import Document, Figure

Period = int | tuple[int, int] | None

_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_RUN_RE = re.compile(r"连续\s*(\d+|[一二三四五六七八九十]+)\s*年")
_DIGIT = re.compile(r"\d")
_NUMERAL = str.maketrans("一二三四五六七八九", "123456789")


@dataclass(frozen=True)
class _Cues:
    numbered: re.Pattern[str]
    bare: re.Pattern[str]
    inline: regex.Pattern[str]
    inline_requires: str
    heading_max: int
    scope_max: int
    review: re.Pattern[str]
    plan: re.Pattern[str]
    target: re.Pattern[str]
    actual: re.Pattern[str]
    past_five: re.Pattern[str]
    next_five: regex.Pattern[str]
    horizon: regex.Pattern[str]
    year: regex.Pattern[str]
    this_year: re.Pattern[str]
    next_year: re.Pattern[str]
    last_year: regex.Pattern[str]
    plans: dict[str, tuple[int, int]]
    plan_names: regex.Pattern[str]
    imperative: re.Pattern[str]
    plan_words: re.Pattern[str]
    outcome: re.Pattern[str]
    plan_ratio: float


@cache
def _cues() -> _Cues:
    d = load_data("extractors", "reference")
    h, s, p, c = d["heading"], d["sentence"], d["period"], d["classify"]
    plans = {k: (v[0], v[1]) for k, v in p["plans"].items()}
    # ``regex`` where it scans a whole text faster than ``re`` (cues with a look-behind or a
    # leading digit class: 2-30x on synthetic reports), ``re`` for the plain alternations
    return _Cues(
        numbered=re.compile(h["numbered"]), bare=re.compile(h["bare"]), inline=regex.compile(h["inline"]),
        inline_requires=h.get("inline_requires", ""),
        heading_max=h["max_chars"], scope_max=h["scope_max_chars"],
        review=re.compile(h["review"]), plan=re.compile(h["plan"]),
        target=re.compile(s["target"]), actual=re.compile(s["actual"]),
        past_five=re.compile(p["past_five"]), next_five=regex.compile(p["next_five"]),
        horizon=regex.compile(p["horizon"]), year=regex.compile(p["year"]),
        this_year=re.compile(p["this_year"]), next_year=re.compile(p["next_year"]),
        last_year=regex.compile(p["last_year"]),
        plans=plans, plan_names=regex.compile(  # a plan after 较/比/与 is a comparison base ("较“十三五”时期下降"), not the period
            "(?<![比较与从自])(?<![比较与从自]“)(?:" + "|".join(map(regex.escape, sorted(plans, key=len, reverse=True))) + ")"
            # "“十四五”收官之年", "“十五五”起步之年" name one year of the plan, not its span
            + "(?!”?(?:规划)?的?(?:收官|开局|起步|决胜|最后|第一|首)[之的一]?年)"),
        imperative=re.compile(c["imperative"]), plan_words=re.compile(c["plan_words"]),
        outcome=re.compile(c["outcome"]), plan_ratio=c["plan_ratio"],
    )


@dataclass
class _Part:
    kind: str | None  # review | plan | mixed | None (no heading cue)
    period: Period  # from the heading; None: the report's default
    explicit: bool  # the heading names a year or span itself


@dataclass
class _Block:
    start: int
    end: int
    part: _Part | None
    kind: str | None  # the paragraph's own decision (mixed parts, unsectioned text)
    scope_year: int | None  # year named by the short heading line above (summaries)


def heading_kind(heading: str) -> str | None:
    """review | plan | mixed | None for the text of a top-level heading.

    >>> heading_kind("2025年工作回顾"), heading_kind("2026年工作安排"), heading_kind("存在问题及下一步打算")
    ('review', 'plan', 'plan')
    >>> heading_kind("“十四五”时期发展成就和“十五五”时期主要目标"), heading_kind("完善机构，加强领导")
    ('mixed', None)
    """
    c = _cues()
    r, p = bool(c.review.search(heading)), bool(c.plan.search(heading))
    return "mixed" if r and p else "review" if r else "plan" if p else None


def _heading_period(heading: str, kind: str | None, year: int | None) -> Period:
    """The period a heading names: a year, a five-year plan, or 过去五年.

    >>> _heading_period("“十四五”时期经济社会发展回顾", "review", 2026)
    (2021, 2025)
    >>> _heading_period("2025年和“十四五”时期工作回顾", "review", 2026), _heading_period("过去五年工作回顾", "review", 2026)
    (2025, (2021, 2025))
    """
    c = _cues()
    if m := c.year.search(heading):
        return int(m.group(1))
    if m := c.plan_names.search(heading):  # the first plan named: 十四五 in "十四五成就和十五五目标"
        return c.plans[m.group(0)]
    if year is not None and c.past_five.search(heading):
        return (year - 5, year - 1)
    return None


def _classify(text: str) -> str | None:
    """plan | review | None for a paragraph by its wording (imperatives against outcome words).

    >>> _classify("加快推进食品产业园建设，实施总投资11.4亿元的基础设施项目。推动装配式建筑落地。")
    'plan'
    >>> _classify("全年地区生产总值完成235.2亿元，同比增长18.5%，取得了新突破。")
    'review'
    """
    c = _cues()
    imp = len(c.imperative.findall(text)) + len(c.plan_words.findall(text))
    out = len(c.outcome.findall(text))
    if imp == 0 and out == 0:
        return None
    return "plan" if imp > c.plan_ratio * out else "review"


@lru_cache(maxsize=8)  # the ensemble annotates the rule and the model figures of a text in turn
def _blocks(text: str, year: int | None, reviews: int | None) -> tuple[list[int], list[_Block]]:
    """Paragraphs with their part, in text order (starts for bisect)."""
    c = _cues()
    blocks: list[_Block] = []
    part: _Part | None = None
    scope_year: int | None = None
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        # an inline heading (…。二、…) holds inline_requires: most lines skip the look-behind scan
        cuts = ([0, *(m.start() for m in c.inline.finditer(line)), len(line)] if c.inline_requires in line
                else [0, len(line)])
        for a, b in zip(cuts, cuts[1:]):
            piece = line[a:b]
            stripped = piece.strip()
            if not stripped:
                continue
            head_text = None
            if m := c.numbered.match(stripped):
                rest = stripped[m.end():]
                head_text = re.split(r"[。\s]", rest, maxsplit=1)[0]
                if len(head_text) > c.heading_max:
                    head_text = None
            elif c.bare.match(stripped):
                head_text = stripped
            if head_text is not None:
                kind = heading_kind(head_text)
                period = _heading_period(head_text, kind, year)
                if kind is None and reviews is not None and isinstance(period, int):
                    kind = "plan" if period > reviews else "review"  # "三、2026年主要工作"
                if kind is None and part is not None:
                    kind = part.kind if part.kind != "mixed" else None
                part = _Part(kind, period, period is not None)
                ym = c.year.search(head_text)
                scope_year = int(ym.group(1)) if ym else None
            elif len(stripped) <= c.scope_max and b - a == len(line) and not _DIGIT.search(
                    c.year.sub("", stripped)):  # a short line without figures heads the paragraphs below
                ym = c.year.search(stripped)
                scope_year = int(ym.group(1)) if ym else None
            own: str | None = None
            if part is not None and part.kind == "mixed":
                own = "plan" if (c.next_five.search(piece) or _future_plan(piece, year)) else "review"
            elif part is None or part.kind is None:
                own = _classify(piece)
            blocks.append(_Block(line_start + a, line_start + b, part, own, scope_year))
    return [b.start for b in blocks], blocks


def _future_plan(text: str, year: int | None) -> bool:
    """True when the paragraph names a five-year plan that starts in or after the report's year."""
    if year is None:
        return False
    c = _cues()
    return any(c.plans[m.group(0)][0] >= year for m in c.plan_names.finditer(text))


def _run_length(text: str, fig: Figure) -> int | None:
    """N when the figure is the length of a run (连续9年 …)."""
    window = text[max(0, fig.start - 3): fig.end]
    if "连续" not in window:
        return None
    m = _RUN_RE.search(window)
    if not m:
        return None
    n = m.group(1)
    if n.isdigit():
        return int(n)
    if n == "十":
        return 10
    return int(n.translate(_NUMERAL)) if len(n) == 1 else None


@dataclass(slots=True)
class _Refs:
    """What every figure of one document looks up: found once per document, not per figure."""

    text: str
    year: int | None
    reviews: int | None
    genre: str | None
    starts: list[int]  # of blocks
    blocks: list[_Block]
    sentence_ends: list[int]
    hits: _Hits


def _reference(refs: _Refs, fig: Figure) -> tuple[str, Period]:
    c = _cues()
    text, year, reviews, genre = refs.text, refs.year, refs.reviews, refs.genre
    starts, blocks, sentence_ends, hits = refs.starts, refs.blocks, refs.sentence_ends, refs.hits
    i = bisect.bisect_right(starts, fig.start) - 1
    block = blocks[i] if i >= 0 else None
    bstart = block.start if block else 0
    k = bisect.bisect_right(sentence_ends, fig.start) - 1  # the last sentence end before the figure
    sent_start = sentence_ends[k] if k >= 0 and sentence_ends[k] > bstart else bstart
    part = block.part if block else None

    # status
    kind = part.kind if part else None
    if kind == "mixed" or kind is None and genre != "summary":
        kind = block.kind if block else None
    if kind is None:  # summaries report outcomes; unclassifiable paragraphs too
        kind = "review"
    status = "actual" if kind == "review" else "target"
    # a cue in the sentence overrides the part; of a target and an outcome cue the later one wins
    # ("去年已建成500万亩，今年将新建300万亩")
    t_at, a_at = _last_at(hits, "target", sent_start, fig.end), _last_at(hits, "actual", sent_start, fig.end)
    if status == "actual" and t_at > a_at:
        status = "target"
    elif status == "target" and a_at > t_at:
        status = "actual"

    # period
    period: Period = None
    if status == "target":
        hz = None
        for m in _within(hits, "horizon", sent_start, fig.end):
            hz = int(m.group(1) or m.group(2))
        if hz is not None:
            period = hz
        elif kind == "plan" and year is not None and _within(hits, "this_year", bstart, fig.end):
            # "今年是“十五五”起步之年…主要预期目标是：…增长5%以上": this year's targets, not the plan's
            period = year
        elif kind == "plan" and (name := _last(hits, "plan_names", bstart, fig.end)) and year and c.plans[name][0] >= year:
            period = c.plans[name]
        elif kind == "plan" and year is not None and _within(hits, "next_five", bstart, fig.end):
            period = (year, year + 4)
        elif year is not None and _within(hits, "next_year", sent_start, fig.end):
            period = year + 1
        elif kind == "plan" and part and part.explicit and part.kind == "plan":
            period = part.period
        elif kind == "plan" and genre != "summary":
            period = year
        else:
            period = None if genre == "summary" else year
        return status, period

    base: Period
    if kind == "plan":  # an outcome quoted inside a plan
        if _within(hits, "last_year", sent_start, fig.end) and year:
            base = year - 1
        elif _within(hits, "past_five", sent_start, fig.end) and year:
            base = (year - 5, year - 1)
        else:
            base = reviews
    else:
        base = _outcome_period(c, hits, sent_start, bstart, fig.end, block, part, year, reviews, genre)
    n = _run_length(text, fig)
    if n and isinstance(base, int):
        return status, (base - n + 1, base)
    return status, base


def _outcome_period(c: _Cues, hits: _Hits, sent_start: int, bstart: int, end: int, block: _Block | None,
                    part: _Part | None, year: int | None, reviews: int | None, genre: str | None) -> Period:
    """The period of an outcome: the sentence is ``text[sent_start:end]``, the paragraph ``text[bstart:end]``
    (``hits``: the text's cue matches)."""
    if year is not None and _within(hits, "past_five", bstart, end):
        return (year - 5, year - 1)
    if (name := _last(hits, "plan_names", bstart, end)) and (year is None or c.plans[name][1] < year):
        return c.plans[name]
    years = [int(m.group(1)) for m in _within(hits, "year", sent_start, end)]
    years = [y for y in years if year is None or y <= year]
    if years:
        return years[-1]
    if genre == "summary":
        if block and block.scope_year:
            return block.scope_year
        years = [int(m.group(1)) for m in _within(hits, "year", bstart, end)]
        if years:
            return years[-1]
        if year is not None and _within(hits, "last_year", bstart, end):
            return year - 1
        if year is not None and _within(hits, "this_year", bstart, end):
            return year
        return reviews
    if part is not None and part.explicit:
        return part.period
    return reviews


#: the cues looked for in a figure's sentence or paragraph, found once per text
_WINDOW_CUES = ("target", "actual", "horizon", "this_year", "next_year", "last_year", "past_five",
                "next_five", "plan_names", "year")


_Hits = dict[str, tuple[list[int], list[int], list[Any]]]


def _cue_hits(text: str) -> _Hits:
    """Every match of each window cue in the whole text, with their starts and ends for bisect.

    Scanning each figure's sentence and paragraph again cost a pass over the paragraph per
    figure; the matches inside a window are the whole text's matches that lie inside it (the
    cues' look-arounds only look at clause punctuation, which a window's edges are).
    """
    c = _cues()
    hits = {}
    for name in _WINDOW_CUES:
        ms = list(getattr(c, name).finditer(text))
        hits[name] = ([m.start() for m in ms], [m.end() for m in ms], ms)
    return hits


def _within(hits: _Hits, cue: str, start: int, end: int) -> list[Any]:
    """The matches of ``cue`` (in ``hits``, from ``_cue_hits(text)``) inside ``text[start:end]``, in order.

    The matches of one ``finditer`` do not overlap, so their ends rise with their starts: those
    inside the window are one run, from the first that starts at ``start`` or later to the last
    that ends by ``end`` (and starts before it: an empty match at ``end`` is outside).
    """
    starts, ends, ms = hits[cue]
    if not starts:  # most cues are absent from most texts
        return []
    i = bisect.bisect_left(starts, start)
    j = min(bisect.bisect_right(ends, end, i), bisect.bisect_left(starts, end, i))
    return ms[i:j]


def _last_at(hits: _Hits, cue: str, start: int, end: int) -> int:
    """Start of the last match of ``cue`` inside ``text[start:end]``, -1 without one."""
    found = _within(hits, cue, start, end)
    return found[-1].start() if found else -1


def _last(hits: _Hits, cue: str, start: int, end: int) -> str | None:
    found = _within(hits, cue, start, end)
    return found[-1].group(0) if found else None


def annotate_reference(doc: Document, figures: list[Figure]) -> None:
    """Set ``status`` and ``period`` of every figure of ``doc`` (uses ``doc.meta`` year, reviews, genre)."""
    if not figures:
        return
    meta, text = doc.meta, doc.text
    year, reviews = meta.get("year"), meta.get("reviews")
    refs = _Refs(text, year, reviews, meta.get("genre"), *_blocks(text, year, reviews),
                 [m.end() for m in _SENTENCE_END.finditer(text)], _cue_hits(text))
    for fig in figures:
        status, period = _reference(refs, fig)
        fig.status = status
        fig.period = list(period) if isinstance(period, tuple) else period
