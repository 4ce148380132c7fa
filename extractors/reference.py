"""What each figure refers to: ``status`` (actual | target) and ``period`` (year or [first, last]).

``annotate_reference(doc, figures)`` sets both in place. Stages:

1. **cues** (one pass per cue over the text, cached per text): the matches of every cue word of
   ``reference.toml``; a figure's sentence or paragraph looks its cues up by bisect.
2. **tense** of a text that is not a government report: review | plan | None by its past words
   (已, 了, 共计, 累计, 全年共, 今年以来) against its future words (将, 计划, 力争, 要, 目标, 任务, 实事).
   A "summary" in a plan's tense (a news item listing the year's 实事) is read as such a text.
3. **parts** (one pass over the text, cached per text): paragraphs, split also at inline numbered
   headings (after a sentence end, a space, or a title they ran into); each top-level heading opens a
   part that is a *review* (一、2025年工作回顾, 基本情况), a *plan* (二、2026年工作安排, 下一步打算),
   *mixed* (“十四五”时期发展成就和“十五五”时期主要目标: each paragraph decides) or neither
   (inherits the previous part). A part's period comes from its heading (a year, a five-year plan,
   过去五年) or the report. Paragraphs outside any recognised part: in a government report or a text
   in a plan's tense, classified by their wording (imperative clause openings against outcome words);
   in a summary, outcomes; in other texts (news items, excerpts of reviews) each figure by the last
   tense word before it, then its sentence's wording. A headline takes the kind of its lead.
4. **status** per figure: that kind, overridden by forward-looking words in the sentence of a review
   (力争, 计划投资, 拟, 明年, 将拿出, 下达…任务, 列为…实事) or by outcome words in the sentence of a plan
   (去年, 已建成, 截至); of the two the later wins, and a completed verb (完成, V了) ends an earlier
   target word's reach. A sentence that opens with 其中 goes on with the one before it.
5. **period** per figure. Targets: a horizon (到2027年), a number of years without dates (五年培训…:
   None), a year or span in the sentence, a five-year plan, 明年, the part; else the report's year (a
   government report) or the reviewed year. Outcomes: a run (连续9年 -> the nine years ending in the
   reviewed year), 过去五年 or a past five-year plan in the paragraph, then the last time cue of the
   sentence (2019年; 2016年至2018年 -> [2016, 2018], 从/到 its ends; 自2011年以来 -> [2011, reviewed];
   三年来; 过去一年; 今年; 去年; 目前), the year of the short line above, the last time cue of the
   paragraph, a 自…以来 before a cumulative figure (共, 累计), the part's period, and last the
   reviewed year (``reviews``, else the report's year unless that is only an as-of date). None when
   the text does not tell.

Cue words live in ``extractors/data/reference.toml``. Cost: one pass per cue per document, then
bisects and a few short scans per figure.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import regex

from pipeline.settings import load_data
from pipeline.types import Document, Figure

Period = int | tuple[int, int] | None

_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_RUN_RE = re.compile(r"连续\s*(\d+|[一二三四五六七八九十]+)\s*年")
_DIGIT = re.compile(r"\d")
_OF_WHICH = "其中"  # a sentence that opens with it continues the one before
_NUMBER_START = re.compile(r"[\d０-９一二两三四五六七八九十百千万XＸ*]")
_NUMERAL = str.maketrans("一二两三四五六七八九", "1223456789")


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
    target: regex.Pattern[str]
    actual: regex.Pattern[str]
    reset: regex.Pattern[str]
    heading_end: re.Pattern[str]
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
    when: re.Pattern[str]  # one alternation of [period.when], a named group per kind
    cumulative: re.Pattern[str]
    carry_max: int
    span_first: re.Pattern[str]
    span_last: re.Pattern[str]
    own_year: re.Pattern[str]
    per_year: re.Pattern[str]
    reach: re.Pattern[str]
    clause_mark: re.Pattern[str]
    value_list: re.Pattern[str]
    duration: regex.Pattern[str]
    duration_window: int
    past: regex.Pattern[str]
    future: regex.Pattern[str]
    statistical: re.Pattern[str]
    target_after: re.Pattern[str]
    base_year: re.Pattern[str]
    programme_names: re.Pattern[str]
    programme_span: re.Pattern[str]
    programme_cycles: tuple[tuple[int, int], ...]
    horizon_span: re.Pattern[str]
    review_opener: re.Pattern[str]
    plan_opener: re.Pattern[str]
    tense_ratio: float
    tense_min: int
    summary_plan_min: int
    summary_title: re.Pattern[str]


#: the kinds of [period.when], in the order they are tried at one position
_WHEN = ("span", "since", "past_one", "n_years", "this", "full", "last", "now", "year")


@cache
def _cues() -> _Cues:
    d = load_data("extractors", "reference")
    h, s, p, c, t = d["heading"], d["sentence"], d["period"], d["classify"], d["tense"]
    when = "(?=[" + p["when_first"] + "])(?:" + "|".join(f"(?P<{k}>{p['when'][k]})" for k in _WHEN) + ")"
    plans = {k: (v[0], v[1]) for k, v in p["plans"].items()}
    # ``regex`` where it scans a whole text faster than ``re`` (cues with a look-behind or a
    # leading digit class: 2-30x on synthetic reports), ``re`` for the plain alternations
    return _Cues(
        numbered=re.compile(h["numbered"]), bare=re.compile(h["bare"]), inline=regex.compile(h["inline"]),
        inline_requires=h.get("inline_requires", ""),
        heading_max=h["max_chars"], scope_max=h["scope_max_chars"],
        review=re.compile(h["review"]), plan=re.compile(h["plan"]),
        target=regex.compile(s["target"]), actual=regex.compile(s["actual"]), reset=regex.compile(s["reset"]),
        heading_end=re.compile(h["heading_end"]),
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
        when=re.compile(when), cumulative=re.compile(p["carry"]["cumulative"]), carry_max=p["carry"]["max_chars"],
        span_first=re.compile(p["span_ends"]["first"]), span_last=re.compile(p["span_ends"]["last"]),
        own_year=re.compile(p["in_span"]["own_year"]), per_year=re.compile(p["in_span"]["per_year"]),
        reach=re.compile(p["in_span"]["reach"]), clause_mark=re.compile(p["in_span"]["clause_mark"]),
        value_list=re.compile(p["in_span"]["value_list"]),
        duration=regex.compile(p["duration"]["pattern"]), duration_window=p["duration"]["window"],
        past=regex.compile(t["past"]), future=regex.compile(t["future"]), tense_ratio=t["ratio"], tense_min=t["min_markers"],
        summary_plan_min=t["summary_plan_min"], summary_title=re.compile(t.get("summary_title", "(?!)")),
        statistical=re.compile(d["genre"]["statistical"]), target_after=re.compile(s["target_after"]),
        base_year=re.compile(p["own"]["year"]), programme_names=re.compile(p["programme"]["names"]),
        programme_span=re.compile(p["programme"]["span"]),
        programme_cycles=tuple((a, b) for a, b in p["programme"]["cycles"]),
        horizon_span=re.compile(p["horizon_span"]),
        review_opener=re.compile(c.get("review_opener", "(?!)")), plan_opener=re.compile(c.get("plan_opener", "(?!)")),
    )


@dataclass
class _Part:
    kind: str | None  # review | plan | mixed | None (no heading cue)
    period: Period  # from the heading; None: the report's default
    explicit: bool  # the heading names a year or span itself
    #: a mixed part's plan half: the five-year plan its heading names that starts in or after the
    #: report's year ("“十四五”时期发展成就和“十五五”时期主要目标任务": 2026-2030)
    plan_span: tuple[int, int] | None = None


@dataclass
class _Block:
    start: int
    end: int
    part: _Part | None
    kind: str | None  # the paragraph's own decision (mixed parts, unsectioned text)
    scope_year: int | None  # year named by the short heading line above (summaries)
    #: the five years a review part looks back on from the paragraph that first says so on (a part
    #: headed "2025年和“十四五”时期工作回顾": after "回望过去五年", its paragraphs tell the five years)
    span: tuple[int, int] | None = None


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
    if year is not None and c.next_year.search(heading):
        return year + 1  # 二、明年工作打算 in a summary
    return None


def _classify(text: str, imperatives: bool = True) -> str | None:
    """plan | review | None for a paragraph by its wording (imperatives against outcome words).

    >>> _classify("加快推进食品产业园建设，实施总投资11.4亿元的基础设施项目。推动装配式建筑落地。")
    'plan'
    >>> _classify("全年地区生产总值完成235.2亿元，同比增长18.5%，取得了新突破。")
    'review'

    Without ``imperatives`` (the document is a review by its tense) clause openings do not count:
    "突出主题主线，强化思想政治引领。深入开展宣讲110余场次" opens a paragraph of past work.
    """
    c = _cues()
    imp = len(c.plan_words.findall(text)) + (len(c.imperative.findall(text)) if imperatives else 0)
    out = len(c.outcome.findall(text))
    if imp == 0 and out == 0:
        return None
    return "plan" if imp > c.plan_ratio * out else "review"


def document_tense(text: str) -> str | None:
    """review | plan | None for a whole text by its tense markers (已, 了, 共, 累计 against 将, 计划, 要, 目标).

    >>> document_tense("过去的一年，全县累计建成儿童之家10个，开展了宣讲活动14场。")
    'review'
    >>> document_tense("今年妇联要培树巾帼家政龙头企业100家，要在50个县实施公益行动，要完成资助任务。")
    'plan'
    >>> document_tense("新建学校20所，取得了新突破。") is None
    True
    """
    c = _cues()
    return _tense(len(c.past.findall(text)), len(c.future.findall(text)))


def _tense(past: int, future: int) -> str | None:
    c = _cues()
    if past >= c.tense_min and past > c.tense_ratio * future:
        return "review"
    if future >= c.tense_min and future > c.tense_ratio * past:
        return "plan"
    return None


@lru_cache(maxsize=8)  # the ensemble annotates the rule and the model figures of a text in turn
def _blocks(text: str, year: int | None, reviews: int | None, genre: str | None = None,
            tense: str | None = None) -> tuple[list[int], list[_Block], str | None]:
    """Paragraphs with their part, in text order (starts for bisect), and the genre the text is read as.

    A paragraph outside any recognised part decides by its wording; in a text that is neither a
    government report nor a summary the text's ``tense`` (``document_tense``) decides where the wording
    does not, and imperative-looking openings count only in a plan's tense (news and reviews tell
    past work with the same verbs: 突出主题主线，强化思想政治引领。深入开展宣讲110余场次). A "summary" whose tense
    is a plan (a 妇联 news item listing the year's 实事) is read as such a text, not as outcomes.
    """
    c = _cues()
    if genre == "summary" and tense == "plan":
        genre = None
    blocks: list[_Block] = []
    part: _Part | None = None
    scope_year: int | None = None
    mixed_plan = False  # a mixed part has reached its plan (its heading's second half)
    part_span: tuple[int, int] | None = None  # the five years the part's heading also names
    span_scope: tuple[int, int] | None = None
    opened: str | None = None  # the tense an unheaded government report's opening paragraph set
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
                head_text = c.heading_end.split(rest, maxsplit=1)[0]
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
                part = _Part(kind, period, period is not None,
                             _next_plan(head_text, year) if kind == "mixed" else None)
                ym = c.year.search(head_text)
                scope_year = int(ym.group(1)) if ym else None
                mixed_plan, span_scope = False, None
                opened = None
                part_span = _past_span(head_text, year, reviews, genre) if isinstance(period, int) else None
            elif len(stripped) <= c.scope_max and b - a == len(line) and not _DIGIT.search(
                    c.year.sub("", stripped)):  # a short line without figures heads the paragraphs below
                ym = c.year.search(stripped)
                scope_year = int(ym.group(1)) if ym else None
            if head_text is None and span_scope is not None and c.year.match(stripped):
                span_scope = None  # "2020年，全县…": a paragraph led by the reviewed year ends the look back
            own: str | None = None
            if part is not None and part.kind == "mixed":
                # "…成就和…目标": review paragraphs, then the plan's; one without a cue of either
                # continues the one before ("围绕上述目标，规划设置了N项指标")
                if c.next_five.search(piece) or _future_plan(piece, year):
                    mixed_plan = True
                elif _past_span(piece, year, reviews, genre):
                    mixed_plan = False
                own = "plan" if mixed_plan else "review"
            elif head_text is None and part_span is not None and part is not None and part.kind == "review" and (
                    looked := _past_span(piece, year, reviews, genre)):
                span_scope = looked if looked == part_span else span_scope
            elif genre == "gov_report" and (part is None or part.kind is None):
                # a report whose headings were lost: "过去一年，…" opens its review and "今年…主要预期目标…" its
                # plan, and the paragraphs after them go on in that tense (深化改革，完成12家… is past work)
                if c.review_opener.match(stripped):
                    opened = "review"
                elif c.plan_opener.search(stripped):
                    opened = "plan"
                own = opened or _classify(piece)
            elif genre != "summary" and (part is None or part.kind is None):
                # a text in a review's tense decides figure by figure by the tense words before it
                # (``_reference``); others by paragraph, imperatives included (excerpts of plans)
                own = "review" if tense == "review" else _classify(piece) or tense
            blocks.append(_Block(line_start + a, line_start + b, part, own, scope_year, span_scope))
    if genre not in ("gov_report", "summary"):
        _headline_follows(text, blocks, tense)
    return [b.start for b in blocks], blocks, genre


def _headline_follows(text: str, blocks: list[_Block], tense: str | None) -> None:
    """Short leading lines without cue words (a headline: 济南确定2021年妇儿十一件实事) take the kind
    of the first paragraph after them, by its tense words: a news headline sums up the lead."""
    c = _cues()
    lead = []
    for b in blocks:
        if b.part is not None:
            return
        if b.end - b.start > c.scope_max:
            lead_text = text[b.start:b.end]
            past, future = len(c.past.findall(lead_text)), len(c.future.findall(lead_text))
            kind = ("plan" if future > past else "review" if past > future
                    else _classify(lead_text, imperatives=tense == "plan"))
            if kind is not None:
                for h in lead:
                    h.kind = kind
            return
        if _classify(text[b.start:b.end], imperatives=tense == "plan") is not None:
            return
        lead.append(b)


def _future_plan(text: str, year: int | None) -> bool:
    """True when the paragraph names a five-year plan that starts in or after the report's year."""
    if year is None:
        return False
    c = _cues()
    return any(c.plans[m.group(0)][0] >= year for m in c.plan_names.finditer(text))


def _next_plan(text: str, year: int | None) -> tuple[int, int] | None:
    """The first five-year plan ``text`` names that starts in or after ``year``.

    >>> _next_plan("“十四五”时期发展成就和“十五五”时期主要目标任务", 2026)
    (2026, 2030)
    """
    if year is None:
        return None
    c = _cues()
    return next((c.plans[m.group(0)] for m in c.plan_names.finditer(text) if c.plans[m.group(0)][0] >= year), None)


def _past_span(text: str, year: int | None, reviews: int | None, genre: str | None) -> tuple[int, int] | None:
    """The five past years ``text`` names: 过去五年 / 五年来 (the five before the report; a summary's
    five ending in the year it reviews) or a five-year plan that ended before the report's year.

    >>> _past_span("回望过去五年，我们…", 2026, 2025, "gov_report"), _past_span("“十四五”时期工作回顾", 2026, 2025, "gov_report")
    ((2021, 2025), (2021, 2025))
    >>> _past_span("“十五五”时期主要目标", 2026, 2025, "gov_report") is None
    True
    """
    if year is None:
        return None
    c = _cues()
    if c.past_five.search(text):
        return (reviews - 4, reviews) if reviews is not None and genre != "gov_report" else (year - 5, year - 1)
    for m in c.plan_names.finditer(text):
        if c.plans[m.group(0)][1] < year:
            return c.plans[m.group(0)]
    return None


def _run_length(text: str, fig: Figure) -> int | None:
    """N when the figure is the length of a run (连续9年 …)."""
    window = text[max(0, fig.start - 3): fig.end]
    if "连续" not in window:
        return None
    m = _RUN_RE.search(window)
    if not m:
        return None
    return _count(m.group(1))


@dataclass(slots=True)
class _Refs:
    """What every figure of one document looks up: found once per document, not per figure."""

    text: str
    year: int | None
    reviews: int | None
    genre: str | None
    #: the year undated outcomes are about: ``reviews``, else the report's year unless that is only an
    #: as-of date in the body (截止到2024年*月*日 dates its paragraph, not the report)
    reviewed: int | None
    tense: str | None  # document_tense of a text that is neither a government report nor a summary
    starts: list[int]  # of blocks
    blocks: list[_Block]
    sentence_ends: list[int]
    hits: _Hits
    #: ``_classify`` of a sentence, by its span: the figures of one sentence share it (a one-line page
    #: of 3,000 figures classified its sentence 3,000 times: 4.5 s)
    sentence_kinds: dict[tuple[int, int], str | None] = field(default_factory=dict)
    #: a statistical report's (``[genre] statistical``) 纲要 or 规划: the span its targets end
    programme: tuple[int, int] | None = None


def _reference(refs: _Refs, fig: Figure) -> tuple[str, Period]:
    c = _cues()
    text, year, genre = refs.text, refs.year, refs.genre
    starts, blocks, sentence_ends, hits = refs.starts, refs.blocks, refs.sentence_ends, refs.hits
    i = bisect.bisect_right(starts, fig.start) - 1
    block = blocks[i] if i >= 0 else None
    bstart = block.start if block else 0
    k = bisect.bisect_right(sentence_ends, fig.start) - 1  # the last sentence end before the figure
    sent_start = sentence_ends[k] if k >= 0 and sentence_ends[k] > bstart else bstart
    if sent_start > bstart and text.startswith(_OF_WHICH, sent_start):
        # "其中，随州将免费检查12000人" goes on with the sentence before it
        sent_start = sentence_ends[k - 1] if k >= 1 and sentence_ends[k - 1] > bstart else bstart
    part = block.part if block else None

    # status
    kind = part.kind if part else None
    if kind is None and genre not in ("gov_report", "summary") and refs.tense != "plan" and block:
        # news items and excerpts not in a plan's tense: the last tense word of the paragraph up to
        # the figure (words after it, 今后…要继续…, do not change what it was), else the wording of
        # its sentence, else the paragraph's
        kind = _words_kind(refs, bstart, fig.end) or _sentence_kind(refs, sent_start, fig.end) or block.kind
    elif kind == "mixed" or kind is None and genre != "summary":
        kind = block.kind if block else None
    if kind is None:  # summaries report outcomes; unclassifiable paragraphs too
        kind = "review"
    status = "actual" if kind == "review" else "target"
    # a cue in the sentence overrides the part; of a target and an outcome cue the later one wins
    # ("去年已建成500万亩，今年将新建300万亩"); a completed verb only ends an earlier target cue's reach
    t_at, a_at = _last_at(hits, "target", sent_start, fig.end), _last_at(hits, "actual", sent_start, fig.end)
    if status == "actual" and t_at > max(a_at, _last_at(hits, "reset", sent_start, fig.end)):
        status = "target"
    elif status == "target" and a_at > t_at:
        status = "actual"
    if status == "actual" and c.target_after.match(text, fig.end, min(len(text), fig.end + 8)):
        status = "target"  # 达到规划确定的不低于90%的目标: the value of a target

    # period
    period: Period = None
    if status == "target":
        hz = None
        for m in _within(hits, "horizon", sent_start, fig.end):
            hz = int(m.group(1) or m.group(2))
        if hz is not None:
            period = hz
            if year is not None and hz > year and c.horizon_span.search(_clause_before(refs, sent_start, fig)):
                period = (year, hz)  # 到2030年，…年均增长6%: every year up to the horizon
        elif refs.programme is not None and c.programme_names.search(
                text, sent_start, min(len(text), fig.end + 8)):
            period = refs.programme[1]  # 纲要目标为85%, 低于规划目标值（20/10万）: the programme's last year
        elif c.duration.search(text, max(sent_start, fig.start - c.duration_window), fig.end):
            period = None  # 五年培训10万人: a span of years whose start the text does not tell
        elif kind == "plan" and year is not None and (this := _within(hits, "this_year", bstart, fig.end)):
            # "今年是“十五五”起步之年…主要预期目标是：…增长5%以上": this year's targets, not the plan's; 年内 and
            # 全年 in a summary's plan for the next year (三、2024年工作打算 …年内培训家长5000人次) are that year's
            period = year
            if this[-1].group(0) in _PLAN_YEAR_WORDS and part is not None and part.explicit and part.kind == "plan" \
                    and isinstance(part.period, int) and part.period > year:
                period = part.period
        elif kind == "plan" and (dated := _last_when(refs, sent_start, fig.end, target=True)) and (
                dated[0].lastgroup != "this" and (year is None or int(_inner(dated[0])[-1]) >= year)):
            # 2017年-2019年，我省每年将拿出5000万元; a past year (巩固2025年…成果 in a 2026 plan) does not
            # date a plan's target
            period = dated[1]
        elif (name := _last(hits, "plan_names", bstart, fig.end)) and year and c.plans[name][0] >= year:
            period = _in_span(refs, sent_start, fig, c.plans[name])
        elif year is not None and _within(hits, "next_five", bstart if kind == "plan" else sent_start, fig.end):
            period = _in_span(refs, sent_start, fig, (year, year + 4))
        elif year is not None and _within(hits, "next_year", sent_start, fig.end):
            period = year + 1
        elif kind == "plan" and part and part.explicit and part.kind == "plan":
            period = (_in_span(refs, sent_start, fig, part.period) if isinstance(part.period, tuple)
                      else part.period)
        elif kind == "plan" and part and part.plan_span is not None:
            period = _in_span(refs, sent_start, fig, part.plan_span)
        elif kind == "plan":
            period = None if genre == "summary" else year
        else:  # a target named inside a review (下达任务…创建235个; 2017年-2019年…将拿出5000万元)
            period = _dated(refs, sent_start, bstart, fig, block, target=True)
            if period is None and part is not None and part.kind == "review":
                # the reviewed year's target (全年计划投资…, 年初市下达…230户)
                period = part.period if part.explicit else refs.reviewed
            elif period is None:  # a government report's targets are for its year, others' for the reviewed one
                period = year if genre == "gov_report" else refs.reviewed
        return status, period

    base: Period
    if kind == "plan":  # an outcome quoted inside a plan: dated by its own sentence (去年, 过去五年)
        base = _dated(refs, sent_start, sent_start, fig, None)
        if base is None:
            base = refs.reviewed
    else:
        base = _outcome_period(refs, sent_start, bstart, fig, block, part)
    n = _run_length(text, fig)
    if n and isinstance(base, int):
        return status, (base - n + 1, base)
    return status, base


#: the time cues that date a target: what looks back (过去一年, 去年, 目前) dates only outcomes
_TARGET_WHEN = frozenset({"span", "year", "this"})
_PLAN_YEAR_WORDS = frozenset({"年内", "全年"})  # the year of the plan they stand in, not the report's


def _sentence_kind(refs: _Refs, sent_start: int, pos: int) -> str | None:
    """``_classify`` of the sentence from ``sent_start`` that holds ``pos``, once per sentence."""
    key = (sent_start, _sentence_end(refs, pos))
    if key not in refs.sentence_kinds:
        refs.sentence_kinds[key] = _classify(refs.text[key[0]:key[1]], imperatives=refs.tense is None)
    return refs.sentence_kinds[key]


def _sentence_end(refs: _Refs, pos: int) -> int:
    """The end of the sentence that holds ``pos``."""
    k = bisect.bisect_left(refs.sentence_ends, pos + 1)
    return refs.sentence_ends[k] if k < len(refs.sentence_ends) else len(refs.text)


def _words_kind(refs: _Refs, start: int, end: int) -> str | None:
    """plan | review by the last tense word (``[tense]``) inside ``text[start:end]``: the tense a news
    item is in at that point (确定了今年将为…办好11件实事：一是…200个。二是…30所 is a plan by 将,
    after 确定了; 过去一年…的工作要求…全年共接待140多件次 is a review by 全年共)."""
    plan, out = _last_at(refs.hits, "future", start, end), _last_at(refs.hits, "past", start, end)
    if plan == out:  # both -1
        return None
    return "plan" if plan > out else "review"


def _when(refs: _Refs, m: Any, target: bool = False) -> Period:
    """The period one match of the ``when`` cue names (None: it names none, e.g. a year after the
    report's for an outcome, or a look back for a ``target``)."""
    year, end = refs.year, refs.reviewed
    kind = m.lastgroup
    nums = _inner(m)
    if target and kind not in _TARGET_WHEN:
        return None
    if kind == "span":
        a, b = int(nums[0]), int(nums[1])
        return (a, b) if a < b else a if a == b else None
    if kind == "since":
        a = int(nums[0])
        return None if end is None or a > end else a if a == end else (a, end)
    if kind == "past_one":
        return refs.reviews if refs.reviews is not None else year - 1 if year else None
    if kind == "n_years":
        n = _count(nums[0])
        return None if end is None or not n else end if n == 1 else (end - n + 1, end)
    if kind == "this":
        return year
    if kind in ("full", "now"):
        return end
    if kind == "last":
        return year - 1 if year else None
    y = int(nums[0])
    return y if year is None or y <= year or target else None


def _inner(m: Any) -> list[str]:
    """The captured groups inside the named group that matched (the years of a span, N of N年来)."""
    first = m.re.groupindex[m.lastgroup]
    nxt = min((i for i in m.re.groupindex.values() if i > first), default=m.re.groups + 1)
    return [g for g in m.groups()[first: nxt - 1] if g is not None]


def _count(n: str) -> int | None:
    """3 for "3", "三"; 10 for "十"; None for longer numerals.

    >>> _count("3"), _count("两"), _count("十"), _count("十二")
    (3, 2, 10, None)
    """
    if n.isdigit():
        return int(n)
    if n == "十":
        return 10
    return int(n.translate(_NUMERAL)) if len(n) == 1 else None


def _last_when(refs: _Refs, start: int, end: int, target: bool = False) -> tuple[Any, Period] | None:
    """The last time cue inside ``text[start:end]`` that names a period, with that period."""
    for m in reversed(_within(refs.hits, "when", start, end)):
        p = _when(refs, m, target)
        if p is not None:
            return m, p
    return None


def _dated(refs: _Refs, sent_start: int, bstart: int, fig: Figure, block: _Block | None,
           target: bool = False) -> Period:
    """The period the text itself gives a figure: the last time cue of its sentence, the year of the
    short line above its paragraph, the last time cue of its paragraph; for a cumulative outcome
    (共, 累计) the span of a 自…以来 shortly before. None when none does."""
    c, end = _cues(), fig.end
    found = _last_when(refs, sent_start, end, target)
    if found is None and block and block.scope_year:
        return block.scope_year
    if found is None:
        found = _last_when(refs, bstart, sent_start, target)
    if not target and (found is None or found[0].lastgroup == "now") and c.cumulative.search(refs.text, sent_start, end):
        # 自2011年…项目开展以来，… \n 目前，…共争取…166万元: no other date in between
        for m in reversed(_within(refs.hits, "when", max(0, bstart - c.carry_max), sent_start)):
            if m.lastgroup == "since":
                return _when(refs, m)
            if m.lastgroup != "now":
                break
    if found is None:
        return None
    m, period = found
    if m.lastgroup == "span" and isinstance(period, tuple):
        # 2020年到2025年，比重从17.9%提升到35.5%: the values at the span's ends
        num = _NUMBER_START.search(refs.text, fig.start, end)
        before = refs.text[max(sent_start, (num.start() if num else fig.start) - 3): num.start() if num else fig.start]
        if c.span_first.search(before):
            return period[0]
        if c.span_last.search(before):
            return period[1]
    return period


def _outcome_period(refs: _Refs, sent_start: int, bstart: int, fig: Figure, block: _Block | None,
                    part: _Part | None) -> Period:
    """The period of an outcome: the sentence is ``text[sent_start:fig.end]``, the paragraph ``text[bstart:fig.end]``."""
    c, hits, year, end = _cues(), refs.hits, refs.year, fig.end
    if (own := _base_year(refs, sent_start, fig)) is not None:
        return own  # 比2015年的13.1/10万
    in_look_back = block is not None and block.span is not None
    if in_look_back:
        # a paragraph of a part's look back on five years: its years are the five, its earlier
        # sentences' cues do not date the figure ("…利润为“十三五”时期的N倍。…年均增长X%")
        if _last_when(refs, sent_start, end) is None and not _within(hits, "past_five", sent_start, end) and not (
                (name := _last(hits, "plan_names", sent_start, end)) and (year is None or c.plans[name][1] < year)):
            return _in_span(refs, sent_start, fig, block.span)
        bstart = sent_start
    if year is not None and _within(hits, "past_five", bstart, end):
        if refs.reviews is not None and refs.genre != "gov_report":
            return _in_span(refs, sent_start, fig, (refs.reviews - 4, refs.reviews))  # a summary looking back five years
        return _in_span(refs, sent_start, fig, (year - 5, year - 1))
    if (name := _last(hits, "plan_names", bstart, end)) and (year is None or c.plans[name][1] < year or (
            refs.genre == "summary" and refs.reviewed is not None and c.plans[name][1] <= refs.reviewed)):
        # a plan over before the report, or ending in the year a summary reviews ("十二五"期间 in a 2015 监测报告)
        return _in_span(refs, sent_start, fig, c.plans[name])
    if (p := _dated(refs, sent_start, bstart, fig, block)) is not None:
        return p
    if part is not None and part.explicit:
        return _in_span(refs, sent_start, fig, part.period) if isinstance(part.period, tuple) else part.period
    return refs.reviewed


_CLAUSE_MAX = 150  # characters before a number that ``_in_span`` reads for its clause
_BASE_MAX = 12  # characters before a number that ``_base_year`` reads


def _clause_before(refs: _Refs, sent_start: int, fig: Figure, n: int = _CLAUSE_MAX) -> str:
    """The figure's clause before its number: at most ``n`` characters of its sentence, after the last
    clause mark (``[period.in_span] clause_mark``)."""
    c, text = _cues(), refs.text
    num = _NUMBER_START.search(text, fig.start, fig.end)
    at = num.start() if num else fig.start
    clause = text[max(sent_start, at - n):at]
    if (m := c.clause_mark.search(clause)) is not None:
        clause = clause[m.end():]
    return clause


def _base_year(refs: _Refs, sent_start: int, fig: Figure) -> int | None:
    """The year a value is written right after (比2015年的13.1/10万, 由2020年的93%; 由上年的6.7‰: the year
    before the reviewed one): a value of that year, not the report's (``[period.own] year``); None
    otherwise, or for a year after the report's.

    >>> refs = _Refs("孕产妇死亡率为12.3/10万，比2015年的13.1/10万有所下降", 2016, None, None, 2016, None, [0], [], [], {})
    >>> [_base_year(refs, 0, Figure(text=t, value=0, kind="", unit=None, start=refs.text.find(t),
    ...           end=refs.text.find(t) + len(t))) for t in ("12.3/10万", "13.1/10万")]
    [None, 2015]
    """
    m = _cues().base_year.search(_clause_before(refs, sent_start, fig, _BASE_MAX))
    if m is None:
        return None
    if m.group(1) is None:  # 上年的
        return refs.reviewed - 1 if refs.reviewed is not None else None
    y = int(m.group(1))
    return y if refs.year is None or y <= refs.year else None


def _in_span(refs: _Refs, sent_start: int, fig: Figure, span: tuple[int, int]) -> Period:
    """The period of a figure told in a review or a plan of five years (``span``, from 过去五年, a
    five-year plan or the part's heading): a year written right before the number (从2020年的X%
    提升到2025年的Y%); the value after 从/由 the year before the span (从X亿元增长到…: 2020 for
    "十四五"); a yearly figure (年均, 每年, 平均, 稳定在, 控制在) the span; a level reached (达到, 增至,
    提高到, 突破, …增长到) the span's last year; else the span (COMPARE.md, ANNOTATION.md periods).

    >>> refs = _Refs("预期寿命从2020年的80.1岁提升至81.6岁，粮食产量稳定在420亿斤，城镇化率增至58%", 2026, 2025,
    ...              "gov_report", 2025, None, [0], [], [], {})
    >>> [_in_span(refs, 0, Figure(text=t, value=0, kind="", unit=None, start=refs.text.find(t),
    ...           end=refs.text.find(t) + len(t)), (2021, 2025)) for t in ("80.1岁", "81.6岁", "420亿斤", "58%")]
    [2020, 2025, (2021, 2025), 2025]
    """
    c, text = _cues(), refs.text
    num = _NUMBER_START.search(text, fig.start, fig.end)
    at = num.start() if num else fig.start
    clause = text[max(sent_start, at - _CLAUSE_MAX):at]  # a long sentence is not read again for each figure
    if (m := c.clause_mark.search(clause)) is not None:
        clause = clause[m.end():]
    if m := c.own_year.search(clause):
        return int(m.group(1))
    if c.span_first.search(clause[-3:]):
        return span[0] - 1
    if c.per_year.search(clause):
        return span
    # the last of a list of values (分别提升至X%、Y%、Z%) is reached as the first
    if c.reach.search(c.value_list.sub("", clause)):
        return span[1]
    return span


#: the cues looked for in a figure's sentence or paragraph, found once per text
_WINDOW_CUES = ("target", "actual", "reset", "when", "horizon", "this_year", "next_year", "last_year", "past_five",
                "next_five", "plan_names", "year")


_TENSE_CUES = ("past", "future")

_Hits = dict[str, tuple[list[int], list[int], list[Any]]]


@lru_cache(maxsize=8)  # the ensemble annotates the rule and the model figures of a text in turn
def _cue_hits(text: str, tense: bool = True) -> _Hits:
    """Every match of each window cue in the whole text, with their starts and ends for bisect
    (the ``past`` and ``future`` tense words only with ``tense``).

    Scanning each figure's sentence and paragraph again cost a pass over the paragraph per
    figure; the matches inside a window are the whole text's matches that lie inside it (the
    cues' look-arounds only look at clause punctuation, which a window's edges are).
    """
    c = _cues()
    hits = {}
    for name in _WINDOW_CUES + (_TENSE_CUES if tense else ()):
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


def _n_within(hits: _Hits, cue: str, start: int, end: int) -> int:
    """How many matches of ``cue`` lie inside ``text[start:end]`` (as ``len(_within(...))``)."""
    starts, ends, _ = hits[cue]
    if not starts:
        return 0
    i = bisect.bisect_left(starts, start)
    return max(0, min(bisect.bisect_right(ends, end, i), bisect.bisect_left(starts, end, i)) - i)


def _last_at(hits: _Hits, cue: str, start: int, end: int) -> int:
    """Start of the last match of ``cue`` inside ``text[start:end]``, -1 without one."""
    found = _within(hits, cue, start, end)
    return found[-1].start() if found else -1


def _last(hits: _Hits, cue: str, start: int, end: int) -> str | None:
    found = _within(hits, cue, start, end)
    return found[-1].group(0) if found else None


def _programme(text: str, year: int | None) -> tuple[int, int] | None:
    """The span of the 纲要 or 规划 a statistical report checks: the first bracketed span of years that
    holds the report's year, else the national 纲要's cycle that does (``[period.programme]``).

    >>> _programme("深入实施《某省儿童发展规划（2021—2030年）》", 2023), _programme("纲要目标为85%", 2016)
    ((2021, 2030), (2011, 2020))
    """
    c = _cues()
    for m in c.programme_span.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b and (year is None or a <= year <= b):
            return a, b
    if year is None:
        return None
    return next(((a, b) for a, b in c.programme_cycles if a <= year <= b), None)


def annotate_reference(doc: Document, figures: list[Figure]) -> None:
    """Set ``status`` and ``period`` of every figure of ``doc`` (uses ``doc.meta`` year, reviews, genre)."""
    if not figures:
        return
    meta, text = doc.meta, doc.text
    year, reviews = meta.get("year"), meta.get("reviews")
    reviewed = reviews if reviews is not None else None if meta.get("year_source") == "as_of" else year
    genre = meta.get("genre")
    statistical = genre in (None, "summary") and bool(_cues().statistical.search(meta.get("title") or ""))
    if statistical:  # 统计公报, 统计监测报告: outcomes, as a summary's (its 目标 words name targets it checks)
        genre = "summary"
    news = genre not in ("gov_report", "summary")
    hits = _cue_hits(text, news)  # only news items and excerpts look tense words up per figure
    tense = None
    if news:
        tense = _tense(len(hits["past"][0]), len(hits["future"][0]))
    elif genre == "summary" and not statistical and not _cues().summary_title.search(meta.get("title") or "") and len(
            future := _cues().future.findall(text)) >= _cues().summary_plan_min:
        tense = _tense(len(_cues().past.findall(text)), len(future))
    starts, blocks, genre = _blocks(text, year, reviews, genre, tense)
    refs = _Refs(text, year, reviews, genre, reviewed, tense, starts, blocks,
                 [m.end() for m in _SENTENCE_END.finditer(text)], hits,
                 programme=_programme(text, year) if statistical else None)
    for fig in figures:
        status, period = _reference(refs, fig)
        fig.status = status
        fig.period = list(period) if isinstance(period, tuple) else period
