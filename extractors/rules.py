"""Rule-based figure extractor: every number that quantifies the work, with what it counts.

Stages, in order (``extract_text``):

1. **mask**: spans that are never figures (``exclusions.toml``: dates, phone
   numbers, document numbers, ordinals, list markers, age bands, short quoted
   names like “334”模式, idioms like 千家万户) are overwritten with a filler of
   the same length, so offsets stay those of the text.
2. **match**: ``FIGURE_RE`` finds a numeral (``extractors.numbers.CORE``, a
   redacted placeholder or a range) with its qualifiers and unit.
3. **filter**: date/age/ordinal look-alike units, a lone 一 (一次, 一个: a
   manner of speaking far more often than a count), bare powers of ten (百姓,
   千家), and numbers with neither unit nor 万/亿.
4. **normalise**: ``parse_number`` gives value, high, approx, redacted; the
   unit gives kind; money is in yuan with 万/亿 folded in.
5. **subject**: the noun after the measure word, else the noun before the
   number, else (同比增长18.5%) the subject of the figure before it; 分别
   lists pair nouns and numbers in order.
6. **relations**: 其中 parts point at their total (``role``/``parent``).
7. **indicator**: ``indicators.toml`` maps subjects to normalised ids.
8. **reference**: ``extractors.reference`` sets status and period.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import attrgetter

import regex

from extractors.numbers import (
    CORE,
    INNER_APPROX,
    POWER_PREFIX,
    PREFIX_APPROX,
    REDACTED,
    fold_fullwidth,
    parse_number,
)
from pipeline.settings import load_data
from pipeline.types import Document, Figure, sentence_of

_UNITS = load_data("extractors", "units")
_EXCL = load_data("extractors", "exclusions")
_SUBJ = load_data("extractors", "subjects")

MASK = "\u25a1"  # □: neither a digit, a unit nor punctuation
_NOT_NEWLINE = regex.compile(r"[^\n]")

#: unit -> kind; None marks a look-alike that makes the number a non-figure
UNIT_KIND: dict[str, str | None] = {}
for _kind in ("count", "money", "percent", "other"):
    for _u in _UNITS["units"][_kind]:
        UNIT_KIND[_u] = _kind
#: 10镇, 23村: counts of areas, written with Arabic digits only (三村, 八镇 are place names)
_ADMIN_UNITS = frozenset(_UNITS["units"].get("admin", ()))
for _u in _ADMIN_UNITS:
    UNIT_KIND.setdefault(_u, "count")
_ARABIC_ONLY = _ADMIN_UNITS | frozenset(_UNITS.get("arabic_only", {}).get("units", ()))
for _u in _UNITS["not_units"]["words"]:
    UNIT_KIND[_u] = None
#: look-alikes that are units in a clause that names a measured quantity (人均预期寿命78.9岁)
_CONDITIONAL_UNITS: dict[str, tuple[str, tuple[str, ...]]] = {
    u: (spec[0], tuple(spec[1])) for u, spec in _UNITS.get("conditional", {}).items()}
#: a 万/亿 number with no unit is money when its subject ends with one of these (发放资金40万)
_MONEY_SUBJECT_ENDS = tuple(_UNITS.get("money_context", {}).get("subject_ends", ()))


def _alt(words, spaced: bool = False) -> str:
    """A regex alternation, longest first so 个百分点 wins over 个 and 个月 over 个. ``spaced``:
    a multi-character word may have a space or tab inside it (628007人 次, as web pages and PDF
    extractors break them)."""
    words = sorted(set(words), key=len, reverse=True)
    if spaced:
        return "|".join("[ \t]?".join(map(regex.escape, w)) if len(w) > 1 and w.isalpha()
                        else regex.escape(w) for w in words)
    return "|".join(regex.escape(w) for w in words)


_SEP = regex.escape("".join(_UNITS["ranges"]["separators"]))
_RED = regex.escape(_UNITS["redacted"]["chars"])

FIGURE_RE = regex.compile(
    rf"""(?x)
    (?<![\d.A-Za-z%])(?<!\d,)                      # not inside a number, a code or a word
    (?P<pre>百分之)?
    (?P<prefix>{_alt(PREFIX_APPROX)})?
    (?P<neg>[-−](?=\d))?                           # 增长-1.2%: a negative rate
    (?P<pow>[{POWER_PREFIX}](?=[十百千万亿]))?       # 上千, 数百, 几十
    (?P<num>
        (?P<red>{REDACTED}(?:[{INNER_APPROX}]?[万亿千百])?)(?![A-Za-z\d])   # *名, XX个, **元, *万元, X.X万人, X-X倍
      | {CORE}(?:(?:%|元)?\s?[{_SEP}]\s?(?:百分之)?{CORE})?   # 125, 10.95万, 3至5万, 5%—6%
    )
    (?P<inner>[{INNER_APPROX}])?                    # 80余所, 3000多名
    [ \t]?
    (?P<unit>{_alt(UNIT_KIND, spaced=True)})?
    (?P<suffix>{_alt(_UNITS["approx"]["suffix"])})?
    """
)

#: (pattern, the strings a text must hold for it to match; empty: always run)
_MASK_RES = [(regex.compile(p), tuple(_EXCL.get("requires", {}).get(name, ())))
             for name, p in _EXCL["patterns"].items()]
# a plain alternation of words: ``re`` scans a text for it three times faster than ``regex``
_PHRASE_RE = re.compile("|".join(map(re.escape, sorted(set(_EXCL["phrases"]["words"] + _EXCL["places"]["words"]),
                                                       key=len, reverse=True))))
_QUOTE_RES = [
    regex.compile(rf"{regex.escape(p[0])}([^{regex.escape(p)}\n]{{1,{_EXCL['quotes']['max_len']}}}){regex.escape(p[1])}")
    for p in _EXCL["quotes"]["pairs"]
]
_HAS_NUMERAL = regex.compile(r"[\d零〇一二两三四五六七八九十百千万亿]")
_CJK = regex.compile(r"\p{Han}")
# a lone 一 (一次, 一批) is a manner of speaking; a lone 零 starts a word (零部件, 零售)
_LONE_ONE = {"一", "壹", "零", "〇"}
# a lone 二 before these is an ordinal or a compound (二次开发, 二轮延包: a count says 两次);
# 二人, 二名 stay counts
_TWO_COMPOUND_UNITS = set(_UNITS["lone_two"]["units"])
_BARE_POWERS = "百千万亿佰仟萬億"  # for str.strip: a number of these characters only is a bare power

_BIG_MULT_RE = regex.compile("[万亿萬億]")
_FULLWIDTH_CHARS = regex.compile("[\uff01-\uff5e\u3000]")
_AFTER_PHRASE_RE = regex.compile(r"[^，,。；;：:！!？?\n、（(“”\"]+(?:[（(][^）)]{1,8}[）)])?")
_QUOTED_END_RE = regex.compile(r"[“「『《〝]([^“”「」『』《》〝〞]{2,16})[”」』》〞]$")
_CLAUSE_BREAK_RE = regex.compile(r"[，,。；;]")
_LIST_GLUE_RE = regex.compile(r"[、和及与,，\s]*|以及")

CLAUSE_PUNCT = "，,。；;：:！!？?\n、"
SENTENCE_PUNCT = "。；;！!？?\n"
_STRONG_CLAUSE = "，,。；;：:！!？?\n"
# a line break between a word and a number that goes on the sentence (not a year or a list number: 2021年, 1、)
_SOFT_WRAP_RE = re.compile(r"[\u4e00-\u9fff]\n\d+(?:\.\d+)?(?![\d年、.．)）])")
_CLAUSE_CHARS = re.compile(f"[{re.escape(CLAUSE_PUNCT)}]")  # ``re``: 0.04 ms a text, ``regex`` 0.07


@lru_cache(maxsize=2)  # the ensemble asks again for the text the rules just masked
def mask(text: str) -> str:
    """Overwrite the spans that are never figures with ``MASK``, keeping length.

    >>> mask("2024年6月，拨打12338妇女维权热线")
    '2024年6月，拨打□□□□□妇女维权热线'
    >>> mask("“334”模式和“十四五”规划")
    '“□□□”模式和“□□□”规划'
    """
    spans = [m.span() for rx, needs in _MASK_RES
             if not needs or any(n in text for n in needs) for m in rx.finditer(text)]
    spans += [m.span() for m in _PHRASE_RE.finditer(text)]
    spans += [m.span(1) for rx in _QUOTE_RES for m in rx.finditer(text) if _HAS_NUMERAL.search(m.group(1))]
    if not spans:
        return text
    spans.sort()
    parts: list[str] = []
    pos = 0
    for a, b in spans:
        if b <= pos:
            continue
        a = max(a, pos)
        parts.append(text[pos:a])
        parts.append(_NOT_NEWLINE.sub(MASK, text[a:b]))  # line breaks stay: they end sentences
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    num_start: int
    num_end: int
    unit_start: int
    unit_end: int
    figure: Figure
    # set by ``_Clauses.locate``: the clause, strong clause and sentence around the figure
    clause_start: int = 0
    clause_end: int = 0
    strong_start: int = 0
    sentence_start: int = 0
    sentence_end: int = 0


_GROUPS = ("pre", "prefix", "neg", "pow", "num", "red", "inner", "unit", "suffix")
# ``m.groups()`` gives these in order, ten times cheaper than ``m.group(*names)`` (~0.15 against
# 1.8 µs a match), as long as they are the pattern's only groups, in this order
if FIGURE_RE.groupindex != {g: i for i, g in enumerate(_GROUPS, 1)} or FIGURE_RE.groups != len(_GROUPS):
    raise ImportError(f"FIGURE_RE must have exactly the groups {_GROUPS}, in order (numbers.CORE has none)")
_NUM, _UNIT = FIGURE_RE.groupindex["num"], FIGURE_RE.groupindex["unit"]


_UNITLESS_RE = regex.compile(_UNITS.get("unitless", {}).get("before", "(?!)"))


def _unitless(masked: str, start: int) -> bool:
    """Does the clause before ``start`` name a ratio told without a unit (出生人口性别比为108.6)?"""
    lo = max(0, start - 30)
    cut = max(masked.rfind(p, lo, start) for p in "，,。；;：:！!？?\n")
    return _UNITLESS_RE.search(masked, max(lo, cut + 1), start) is not None


def _measured(masked: str, start: int, unit: str) -> bool:
    """Does the clause before ``start`` name a quantity that ``unit`` measures (人均预期寿命 for 岁)?"""
    lo = max(0, start - 40)
    cut = max(masked.rfind(p, lo, start) for p in "。；;！!？?\n")
    clause = masked[max(lo, cut + 1): start]
    return any(w in clause for w in _CONDITIONAL_UNITS[unit][1])


_PLAIN_NUMBER = regex.compile(r"\d+(?:\.\d+)?")
_SHARED_UNIT_RE = regex.compile(r"(?:[、和与及](?:\d+(?:\.\d+)?))*[、和与及]\d+(?:\.\d+)?(?=[^\d.])")


def _shared_unit(masked: str, end: int, core: str) -> str | None:
    """The unit of the last number of a list that ``core`` (Arabic, no unit) opens: 0.4和0.5个千分点,
    1.2、0.8和0.5个百分点 (the unit is written once, after the last). None when the list ends in no unit
    of a figure or its last number carries a multiplier ``core`` lacks (3和5万人 is read as written)."""
    if not _PLAIN_NUMBER.fullmatch(core):
        return None
    m = _SHARED_UNIT_RE.match(masked, end)
    if m is None:
        return None
    last = FIGURE_RE.match(masked, max(masked.rfind(g, m.start(), m.end()) for g in "、和与及") + 1)
    if last is None:
        return None
    unit = last.group(_UNIT)
    if not unit or last.group("num") != masked[last.start(_NUM):m.end()] or " " in unit or "\t" in unit:
        return None
    return unit if UNIT_KIND.get(unit) else None


_WRAPPED_UNIT_RE = regex.compile(rf"\n({_alt(UNIT_KIND)})")


def _wrapped_unit(masked: str, end: int) -> regex.Match[str] | None:
    """The unit on the next line after an Arabic number that ends a line inside a sentence (培训农村妇女1360
    \n人次: a PDF's or a page's wrap); None when the number stands alone or the line goes on otherwise."""
    if not masked.startswith("\n", end) or end < 2 or not ("0" <= masked[end - 1] <= "9"):
        return None
    k = end - 1
    while k > 0 and (masked[k - 1].isdigit() or masked[k - 1] == "."):
        k -= 1
    if k == 0 or not _CJK.match(masked, k - 1):
        return None
    w = _WRAPPED_UNIT_RE.match(masked, end)
    return w if w is not None and UNIT_KIND.get(w.group(1)) else None


def _candidates(text: str, masked: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in FIGURE_RE.finditer(masked):
        pre, prefix, neg, pow_, num, red, inner, unit, suffix = m.groups()
        kind = None
        wrapped = _wrapped_unit(masked, m.end()) if unit is None and not suffix and masked.startswith("\n", m.end()) \
            else None
        if wrapped is not None:
            unit = wrapped.group(1)
        if unit is not None:
            if " " in unit or "\t" in unit:
                unit = unit.replace(" ", "").replace("\t", "")
            kind = UNIT_KIND.get(unit)
            if kind is None:
                if unit not in _CONDITIONAL_UNITS or not _measured(masked, m.start(), unit):
                    continue
                kind = _CONDITIONAL_UNITS[unit][0]
            elif unit in _ARABIC_ONLY and not ("0" <= num[0] <= "9") or (
                    unit in _ADMIN_UNITS and not (num.isascii() and num.isdigit())):
                continue  # 三村, 八镇, XX县, 三方: a place name or a word; 超50万县: a class of counties
        core = num.replace("元", "") if "元" in num else num
        if red:
            if unit is None:
                continue
        else:
            if core in _LONE_ONE and not inner:  # 一次, 一批, 突破一批: a manner of speaking
                continue
            if core == "二" and unit in _TWO_COMPOUND_UNITS:
                continue
            # 百姓, 千家, 百万: a bare power of ten is a word, unless qualified (近百, 千余名, 百分之百)
            if not core.strip(_BARE_POWERS) and not (prefix or pow_ or inner or pre):
                continue
            if unit is None and not pre and (shared := _shared_unit(masked, m.end(), core)):
                unit, kind = shared, UNIT_KIND[shared]  # 下降0.4和0.5个千分点: the list's unit
            elif unit is None and not pre and not _BIG_MULT_RE.search(core) and _unitless(masked, m.start()):
                kind = "other"  # 出生人口性别比为108.6: a ratio told as a plain number
            elif unit is None and not pre:
                # a number with no unit is a figure only when it carries 万/亿 (减少1386万, 37万贫困
                #妇女); glued to a word, a power of ten alone names a class (超千亿产业链)
                if not _BIG_MULT_RE.search(core) or (
                        not core.strip(_BARE_POWERS) and _CJK.match(masked, m.end())):
                    continue
        parsed = parse_number(core if not (pre or prefix or pow_ or inner)
                              else (pre or "") + (prefix or "") + (pow_ or "") + core + (inner or ""))
        if parsed is None:
            continue
        if kind is None:
            kind = "percent" if parsed.percent else "count"
        if parsed.percent and kind != "percent":
            kind, unit = "percent", "%"
        if kind == "percent" and unit is None:
            unit = "%"
        # 上千, 数百, 几十: the qualifier as written includes its power of ten
        power = pow_ + num[0] if pow_ else None
        approx = prefix or power or parsed.approx or inner or suffix
        start, end = m.span()
        if wrapped is not None:
            end = wrapped.end()
        value, high = parsed.value, parsed.high
        if neg:
            if kind == "percent" and value is not None:  # only rates are negative: 增长-1.2%
                value, high = -value, (-high if high is not None else None)
            else:  # 第1-3名 and the like: the dash is no sign
                start += len(neg)
        fig = Figure(text=text[start:end], value=value, high=high, kind=kind,
                     unit=unit, approx=approx, redacted=parsed.redacted, start=start, end=end)
        unit_start, unit_end = m.span(_UNIT) if unit and m.group(_UNIT) else \
            wrapped.span(1) if wrapped is not None else (end, end)
        num_start, num_end = m.span(_NUM)
        out.append(_Cand(start, end, num_start, num_end, unit_start, unit_end, fig))
    return out


# ---------------------------------------------------------------- subjects

# (?r): searched from the end, as these match only there (a forward search tries every start)
_TRAIL_RE = regex.compile(rf"(?r)(?:{_alt(_SUBJ['before']['trailing'])})$")
# 生产总值从2020年3.68万亿元: a time before the number and 从/由 are not part of the subject
_TRAIL_TIME_RE = regex.compile(r"(?r)(?:(?:19|20)\d{2}年(?:底|末|初|的)?|[上下]半年|年底|年末|年初|从|由)$")
_GLUE_RE = regex.compile(_alt(_SUBJ["before"]["glue"]))
_BOUNDARY_RE = regex.compile(_alt(_SUBJ["before"]["boundary"]))
_INHERIT = tuple(_SUBJ["before"]["inherit"])
_OBJECT_VERBS = tuple(_SUBJ["before"]["object_verbs"])
_AFTER_STOP_RE = regex.compile(_alt(_SUBJ["after"]["stop"]))
_AFTER_CUT_RE = regex.compile(_alt(_SUBJ["after"]["stop"] + _SUBJ["after"].get("stop_inside", [])))
_PRED_STOP_RE = regex.compile(_alt(_SUBJ["after"].get("predicate_stop", ["(?!)"])))
_NO_SUBJECT_START = tuple(_SUBJ["after"]["no_subject_start"])
_MAX_SUBJECT = int(_SUBJ["after"]["max_len"])
_MAX_MODIFIER = 6  # 市级示范“儿童之家”: a longer lead-in is a clause of its own, not a modifier
_KEEP_ALONE = frozenset(_SUBJ["before"].get("keep_alone", ()))
_LIST_END = tuple(_SUBJ["before"].get("list_end", ()))
_LONG_SUBJECT = 8  # a subject longer than this with a 的 inside is cut to its head
_MAX_QUOTED = 24  # 20个“农村妇女小额担保贷款工作先进个人”: a quoted title after a measure word
_TIME_RE = regex.compile("|".join(f"(?:{p})" for p in _SUBJ["before"].get("time", ())) or "(?!)")
_CATEGORY_END_RE = regex.compile(rf"(?r)(?:{_SUBJ['before'].get('category_label', '(?!)')})$")
# speed only, never meaning: characters every match of these patterns holds (a plain ``re`` class
# scan rules most subjects out before the patterns run; tested equal in tests/test_rules.py)
_TIME_CHARS = re.compile("[" + re.escape("".join(sorted(set(_SUBJ["before"].get("time_chars", ""))))) + "]")
#: a character one of the time phrases, 对X开展, or NOUN+累计 needs (they are skipped without)
_RARE_CHARS = re.compile("[" + re.escape("".join(sorted(
    set(_SUBJ["before"].get("time_chars", "")) | {w[0] for w in _SUBJ["before"].get("target_marks", [])}
    | {w[0] for w in _SUBJ["before"].get("light_verbs", [])}))) + "]")
_LIGHT_CHARS = re.compile("[" + re.escape("".join({w[0] for w in _SUBJ["before"].get("light_verbs", ["共"])})) + "]")
_PARTICIPATION_CHARS = re.compile("[" + re.escape("".join({w[0] for w in _SUBJ["before"].get("participation", ["参"])})) + "]")
_AGENT_CHARS = re.compile("[" + re.escape("".join({w[-1] for w in _SUBJ["before"].get("agents", ["士"])})) + "]")
_TARGET_CHARS = re.compile("[" + re.escape("".join(_SUBJ["before"].get("target_marks", ["对"]))) + "]")
_CATEGORY_LAST = frozenset("级类档")
_CATEGORY_CLAUSE_RE = regex.compile(rf"(?:{_SUBJ['before'].get('category_label', '(?!)')})(?:每\p{{Han}}{{1,2}})*")
_LIGHT_VERB_RE = regex.compile(rf"(?r)(?:{_alt(_SUBJ['before'].get('light_verbs', ['(?!)']))})\p{{Han}}{{2}}$")
_TARGET_RE = regex.compile(rf"(?:{_alt(_SUBJ['before'].get('target_marks', ['(?!)']))})"
                           rf"([^，,。；;]{{2,16}}?)(?:{_alt(_SUBJ['before'].get('target_verbs', ['(?!)']))})\p{{Han}}{{1,4}}$")
_SHARE_RE = regex.compile(rf"^(.+?)(?:{_alt(_SUBJ['before'].get('share_verbs', ['(?!)']))})(.+)的"
                          rf"(?:{_alt(_SUBJ['before'].get('share_nouns', ['(?!)']))})?$")
_SHARE_NOUNS = tuple(_SUBJ["before"].get("share_nouns", ()))
# X占Y比重 without 的 (数字经济核心产业增加值占地区生产总值比重达到6.5%)
_SHARE_BARE_RE = regex.compile(rf"^(.+?)占(.+?)(?:{_alt(_SHARE_NOUNS or ['(?!)'])})$")
_GENERIC_HEADS = tuple(_SUBJ["before"].get("generic_heads", ()))
_PARTICIPATION_RE = regex.compile(_alt(_SUBJ["before"].get("participation", ["(?!)"])))
_PEOPLE_UNITS = frozenset(_SUBJ["before"].get("people_units", ()))
_AGENT_RE = regex.compile(_alt(_SUBJ["before"].get("agents", ["(?!)"])))
_TOTAL_WORDS = frozenset(_SUBJ["before"].get("total_words", ()))
_TARGET_SUBJECT_RE = regex.compile(_SUBJ["before"].get("target_subject", "(?!)"))
_MODALS = _SUBJ["before"].get("modals", [])
_MODAL_END_RE = regex.compile(rf"(?:{_alt(_MODALS or ['(?!)'])})(?=(?:{_alt(_SUBJ['before']['trailing'])})*$)")
_MODAL_CHARS = re.compile("[" + re.escape("".join({w[0] for w in _MODALS} or {"预"})) + "]")
_LIST_LEAD_RE = regex.compile(rf"^(?:{_alt(_SUBJ['before'].get('list_lead', ['(?!)']))})+")
_HAS_DIGIT = regex.compile(r"\d")
_COMPARISON_RE = regex.compile(_SUBJ["before"].get("comparison", "(?!)"))
_COMPARISON_INFIX_RE = regex.compile(_SUBJ["before"].get("comparison_infix", "(?!)"))
_SHARE_LEAD_RE = regex.compile(_SUBJ["before"].get("share_lead", "(?!)"))
_SHARE_ALONE = tuple(_SUBJ["before"].get("share_alone", ()))
# a completed verb (or what is left of one after a boundary) that opens a subject: 了宣传册, 培训了妇女骨干
_DONE_VERB_RE = regex.compile(r"^\p{Han}{0,2}了(?!解)")
_LIST_MARKER_RE = regex.compile(_SUBJ["before"].get("list_marker", "(?!)"))
_LEAD_VERBS = tuple(sorted(_SUBJ["before"].get("lead_verbs", ()), key=len, reverse=True))
_GLUE_WORDS = tuple(_SUBJ["before"]["glue"])
_ASIDE_RE = regex.compile("|".join(f"(?:{p})" for p in _SUBJ["before"].get("aside", ())) or "(?!)")
_SKIP_LEAD_RE = regex.compile("|".join(f"(?:{p})" for p in _SUBJ["after"].get("skip_lead", ())) or "(?!)")
_RELATIVE_VERBS = tuple(_SUBJ["after"].get("relative_verbs", ()))
_PREDICATE_DROP = tuple(sorted(_SUBJ["after"].get("predicate_drop", ()), key=len, reverse=True))
_PURPOSE = tuple(sorted(_SUBJ["after"].get("purpose", ()), key=len, reverse=True))
# the phrase after a figure: up to a clause mark or the next number; a quoted part inside it
# belongs to it (44名农村“两癌”贫困母亲), and so does a parenthesised one (114个村(社区))
_AFTER_NOUN_RE = regex.compile(
    r"(?:[^，,。；;：:！!？?\n、（(“”〝〞\"0-9]|[0-9]+(?=[A-Za-z强])|[“〝][^“”〝〞\n]{1,20}[”〞]|、(?=\p{Han}))+"
    r"(?:[（(][^）)]{1,8}[）)])?")
# a short class noun and the quoted title it was given: 15个单位“巾帼文明岗” -> 巾帼文明岗
_CLASS_TITLE_RE = regex.compile(r"\p{Han}{1,2}[“〝]([^“”〝〞\n]{2,24})[”〞](?=$|、|\s)")
# a list mark outside brackets and quotes (129个县(市、区) is one noun)
_LIST_MARK_RE = regex.compile(r"、(?![^（(“〝]*[）)”〞])")
_OPEN_QUOTE_RE = regex.compile("[“〝]")
_CLAUSE_TEXT_RE = regex.compile(r"[^，,。；;！!？?\n]+")
_QUOTES = "“”\"‘’「」『』《》〝〞"  # 〝〞: OCR'd pages write “三八〞红旗手
_OPEN_QUOTES = "“\"‘「『《〝"
_CLOSE_FOR = {"“": "”〞", '"': '"', "‘": "’", "「": "」", "『": "』", "《": "》", "〝": "〞”"}


_QUOTE_DEL = str.maketrans("", "", _QUOTES)


_HAS_QUOTE = regex.compile(f"[{regex.escape(_QUOTES)}]")
_QUOTE_HEAD_MAX = 4  # characters after a quoted name that are its head noun (“巾帼心向党”宣讲活动)
_QUOTED_RE = regex.compile(r"[“〝「『《][^“”〝〞「」『』《》\n]{1,24}[”〞」』》]")
# a share verb inside a word is none: 占地, 占有, 作为, 成为, 认为, 因为, 只是, 还是 (the glue list)
_GLUE_TAILS = tuple(w[0] for w in ("作为", "成为", "认为", "因为", "行为", "只是", "还是", "就是", "凡是", "总是"))


def _strip_quotes(s: str) -> str:
    """A subject without quotation marks: “儿童之家”任务 -> 儿童之家任务."""
    if _HAS_QUOTE.search(s):
        s = s.translate(_QUOTE_DEL)
    return s.strip(" \t")


def _after_subject(text: str, pos: int, limit: int) -> str | None:
    """The noun phrase right after a measure word: 521名儿童参与 -> 儿童."""
    t = text[pos:limit]
    if t.startswith("的"):
        t = t[1:]
    if not t:
        return None
    if t[0] in _OPEN_QUOTES:
        close = min((k for k in (t.find(q, 1) for q in _CLOSE_FOR[t[0]]) if k > 0), default=-1)
        if 1 < close <= _MAX_QUOTED + 1:
            return t[1:close]
        return None
    lead = _SKIP_LEAD_RE.match(t) if "0" <= t[0] <= "9" else None  # 100名55周岁以上贫困女性: an age modifies
    if lead and lead.end() < len(t):
        t = t[lead.end():]
    if not _CJK.match(t[0]) or t.startswith(_NO_SUBJECT_START):
        return None
    m = _AFTER_NOUN_RE.match(t)
    if not m:
        return None
    phrase = m.group()
    relative = phrase.startswith(_RELATIVE_VERBS)
    if relative:  # 158名入选“保民生”贫困留守儿童: the noun after the clause
        k = max(phrase.rfind("”"), phrase.rfind("〞"))
        rest = phrase[k + 1:] if k >= 0 else phrase[next(len(v) for v in _RELATIVE_VERBS if phrase.startswith(v)):]
        phrase = rest[1:] if rest.startswith("的") else rest
        if not phrase:
            return None
    if _AFTER_STOP_RE.match(phrase):  # 2000多人参与: a verb, not a noun, follows
        return None
    stop = _AFTER_CUT_RE.search(phrase, 1)
    if stop:
        phrase = phrase[: stop.start()]
    quoted = "“" in phrase or "〝" in phrase
    if quoted and not relative:
        title = _CLASS_TITLE_RE.match(phrase)
        if title:  # 15个单位“巾帼文明岗”: the title names what the units are counted as
            return title.group(1)
    if quoted:
        phrase = _through_quote(phrase)
    k = _LIST_MARK_RE.search(phrase) if "、" in phrase else None
    if k and not _starts_with_verb(phrase[: k.start()]):
        phrase = phrase[: k.start()]  # 两个市民广场、沿河公园: the noun after the measure word, not the list
    phrase = phrase.rstrip(" \t、")
    if len(_strip_quotes(phrase)) > _MAX_SUBJECT:
        phrase = _cap(_strip_quotes(phrase), from_end=False)
    return phrase if len(_strip_quotes(phrase)) >= 1 else None


def _through_quote(phrase: str) -> str:
    """``phrase`` cut before its first quoted part when a verb stands before the quote: a noun
    phrase goes on through a quote (农村“两癌”贫困母亲) but a predicate does not (县实施“爱暖万家”
    行动 -> 县). The verb is jieba's tag (only phrases with a quote inside are tagged)."""
    q = _OPEN_QUOTE_RE.search(phrase, 1)
    if not q:
        return phrase
    k = _last_verb(phrase[: q.start()])
    return phrase[:k] if k > 0 else phrase


@lru_cache(maxsize=4096)
def _last_verb(s: str) -> int:
    """Where the last verb of ``s`` after its first word starts (-1: none), by jieba's tagger
    (the last: a verb early in a noun phrase is a modifier, 留守儿童, 创新团队)."""
    import jieba.posseg  # only phrases with a quote inside reach here

    pos, found = 0, -1
    for k, (word, flag) in enumerate(jieba.posseg.lcut(s, HMM=False)):
        if k > 0 and flag in _VERB_TAGS:
            found = pos
        pos += len(word)
    return found


@lru_cache(maxsize=4096)
def _starts_with_verb(s: str) -> bool:
    """Is the first word of ``s`` a verb (jieba's tag)? 4次遭受干旱、洪涝灾害: a predicate's list."""
    import jieba.posseg

    words = jieba.posseg.lcut(s, HMM=False)
    return bool(words) and words[0].flag in _VERB_TAGS


@lru_cache(maxsize=4096)
def _ends_with_verb(s: str) -> bool:
    """Is the last word of ``s`` a verb (jieba's tag)?"""
    import jieba.posseg

    words = jieba.posseg.lcut(s, HMM=False)
    return bool(words) and words[-1].flag in _VERB_TAGS


_VERB_TAGS = frozenset(("v", "vd", "vi", "vl", "vg"))  # not vn: 培训, 救助 are nouns too


def _predicate(text: str, pos: int, limit: int) -> str | None:
    """What the people or things counted at the start of a clause did: 800余人达成初步就业意向 ->
    达成初步就业意向; 37人获全国妇联“两癌”救助 -> 全国妇联两癌救助 (a verb of receiving or giving
    is dropped: its object is what the figure is about)."""
    m = _AFTER_NOUN_RE.match(text, pos, limit)
    if not m:
        return None
    phrase = m.group()
    stop = _PRED_STOP_RE.search(phrase, 2)  # 享受临时救助共计X万元: the predicate ends at 共
    if stop:
        phrase = phrase[: stop.start()]
    phrase = _strip_quotes(phrase).rstrip("、")
    for v in _PREDICATE_DROP:
        if phrase.startswith(v) and len(phrase) - len(v) >= 2:
            phrase = phrase[len(v):]
            break
    if len(phrase) > _MAX_SUBJECT:
        phrase = _cap(phrase, from_end=False)
    return phrase if len(phrase) >= 2 and _CJK.match(phrase) else None


def _purpose(text: str, pos: int, n: int) -> str | None:
    """The object of a purpose clause right after an amount with no noun of its own:
    5000万元用于两癌免费检查, 拿出5000万元，对37万贫困妇女实施免费检查 -> 两癌免费检查."""
    k = pos
    if text.startswith(("，", ","), k):
        k += 1
    if not text.startswith(_PURPOSE, k):
        return None
    m = _CLAUSE_TEXT_RE.match(text, k, min(n, k + 40))
    if not m:
        return None
    clause = m.group()
    for p in _PURPOSE:
        if clause.startswith(p):
            clause = clause[len(p):]
            break
    b = _trim_before(clause)
    return b if len(b) >= 2 else None


@lru_cache(maxsize=4096)
def _trim_before(b: str) -> str:
    """The noun phrase at the end of the text before a number.

    >>> _trim_before("全年地区生产总值完成")
    '地区生产总值'
    >>> _trim_before("全区已建成“儿童之家”")
    '儿童之家'
    >>> _trim_before("居民人均可支配收入实际增长")
    '居民人均可支配收入'
    """
    b = b.strip(" \t\n").rstrip("(（")  # 低于纲要目标值（20/10万）: an open bracket before the number
    if (ci := _COMPARISON_INFIX_RE.match(b)) is not None and len(ci.group(1)) >= 2:
        b = ci.group(1)  # 农村居民人均可支配收入增速高于城镇居民1.2个百分点: what is compared, not the base
    if _MODAL_CHARS.search(b, max(0, len(b) - 8)):
        b = _MODAL_END_RE.sub("", b)  # 地区生产总值预计增长5.2%: a modal before the verb is none of the noun
    if "是" in b[:4] and (lm := _LIST_MARKER_RE.match(b)):
        b = b[lm.end():]  # 三是年内培训家长5000人次: a list marker opens the clause
    if "的" in b[-5:]:
        b = _share_subject(b)
    for _ in range(6):
        m = _TRAIL_RE.search(b) or _TRAIL_TIME_RE.search(b) or (
            _CATEGORY_END_RE.search(b) if b[-1:] in _CATEGORY_LAST else None)
        if not m or b.endswith(_GLUE_WORDS) and any(len(g) > len(m.group()) for g in _GLUE_WORDS if b.endswith(g)):
            break  # 登记社会组织3410个: a trailing verb that ends a glued word (社会组织) is the noun's
        b = b[: m.start()].rstrip(" \t")
    if "的" in b[-3:] or "占" in b and b.endswith(_SHARE_NOUNS):
        b = _share_subject(b)
    if not _RARE_CHARS.search(b):  # none of the phrases below can match (most subjects)
        return _trim_tail(b)
    # 春节期间为, 从7月份开始, 20xx年城乡医疗救助: the subject starts after the last time phrase
    first_time = last_time = None
    for last_time in _TIME_RE.finditer(b) if _TIME_CHARS.search(b) else ():
        first_time = first_time or last_time
    if first_time is not None and last_time is not None:
        rest = b[last_time.end():]
        lead = _trim_before(b[: first_time.start()]) if len(rest) <= 2 and first_time.start() >= 2 else ""
        # 耕地面积连续4年净增: a short verb after the time, the noun before it
        b = lead if len(lead) >= 2 else rest
        for _ in range(3):  # 从7月份开始为 -> "" (the 为 went with the time)
            m = _TRAIL_RE.search(b)
            if not m:
                break
            b = b[: m.start()]
    # 对X开展培训: X, the people the activity was for
    tg = _TARGET_RE.search(b) if _TARGET_CHARS.search(b) else None
    if tg and len(_strip_quotes(tg.group(1))) >= 2:
        b = tg.group(1)
    # NOUN + 累计/共 + verb: the noun (城市低保累计保障, 城乡医疗救助共救助)
    lv = _LIGHT_VERB_RE.search(b) if len(b) >= 4 and _LIGHT_CHARS.search(b, len(b) - 4) else None
    if lv and lv.start() >= 2:
        noun = _trim_before(b[: lv.start()])
        if len(_strip_quotes(noun)) >= 2:
            return noun
    return _trim_tail(b)


def _trim_tail(b: str) -> str:
    """The end of ``_trim_before``: a quoted name, the last boundary word, the head of a long phrase."""
    # a quoted name right before the number is the subject, with a short modifier before it:
    # 建设“妇女之家”260余个 -> 妇女之家; 其中市级示范“儿童之家”14个 -> 市级示范儿童之家
    if b.endswith(("”", "」", "』", "》")):
        q = _QUOTED_END_RE.search(b)
        if q:
            lead = _after_last_boundary(b[: q.start()], min_rest=0)
            return (lead if len(lead) <= _MAX_MODIFIER else "") + q.group(1)
    b = _strip_quotes(_after_last_boundary(b))
    if b.startswith(_LEAD_VERBS) and not b.startswith(_GLUE_WORDS):
        lead = next(v for v in _LEAD_VERBS if b.startswith(v))
        if len(b) - len(lead) >= 2:
            b = b[len(lead):]  # 全市有儿童主任2890名: 有 opens the clause, not the noun
    if "了" in b[:3] and (done := _DONE_VERB_RE.match(b)) and len(b) - done.end() >= 2:
        b = b[done.end():]  # 发放了宣传册3000份, 培训了妇女骨干120名: the object of a completed verb
    if _BOUNDARY_RE.fullmatch(b) and b not in _KEEP_ALONE:  # 目前已开设*期: a time word is no subject
        return ""
    for mark in _LIST_END:
        k = b.rfind(mark, 1, len(b) - 2)
        if k > 0 and not any(gs <= k < ge for gs, ge in (g.span() for g in _GLUE_RE.finditer(b))):
            b = b[k + len(mark):]  # 防溺水、交通安全等主题教育活动: the head after the list (not 高等院校)
    if len(b) > _LONG_SUBJECT and "的" in b[2:-2] and not b.endswith(_GENERIC_HEADS):
        # 发布采用的各类新闻稿件: a long subject is its head, the noun after its last 的
        b = b[b.rindex("的", 2, len(b) - 2) + 1:]
    if len(b) > _MAX_SUBJECT:
        b = _cap(b)
    return b


def _share_subject(b: str) -> str:
    """X占Y的 / X为Y的 / X占Y的比重: the share's subject is X (女人大代表占人大代表总数的25.9%).

    >>> _share_subject("非公经济增加值占地区生产总值的比重"), _share_subject("数字经济核心产业增加值占地区生产总值比重")
    ('非公经济增加值', '数字经济核心产业增加值')
    """
    share = _SHARE_RE.match(b) if "的" in b[-3:] else _SHARE_BARE_RE.match(b) if "占" in b else None
    if share and len(_strip_quotes(share.group(1))) >= 2 and not share.group(1).endswith(_GLUE_TAILS):
        return share.group(1)
    return b


def _after_last_boundary(b: str, min_rest: int = 2) -> str:
    """``b`` after its last boundary word that leaves at least ``min_rest`` characters (其中, 共有, 全区 ...)."""
    bounds = [m.span() for m in _BOUNDARY_RE.finditer(b)]
    if not bounds:
        return b
    glued = [g.span() for g in _GLUE_RE.finditer(b)]
    quoted = [q.span() for q in _QUOTED_RE.finditer(b)] if _HAS_QUOTE.search(b) else []
    for s, e in reversed(bounds):  # the last one that qualifies
        if any(gs < e and s < ge and not (s <= gs and ge <= e) for gs, ge in glued):
            continue  # inside a fixed word: 一般公共预算收入 (a boundary that holds one is none: 共建成)
        inside = next((qe for qs, qe in quoted if qs < s and e < qe), None)
        if inside is not None:
            # inside a quoted name: the name and its head noun (“巾帼心向党”宣讲活动), or what follows the
            # name when that is a phrase of its own (“校招共用”招引企业紧缺人才)
            if len(b) - inside > _QUOTE_HEAD_MAX:
                return b[inside:]
            continue
        if len(_strip_quotes(b[e:])) >= min_rest:
            return b[e:]
    return b


@lru_cache(maxsize=4096)  # jieba on a long phrase costs ~0.1 ms; templates repeat phrases across reports
def _cap(phrase: str, from_end: bool = True) -> str:
    """The last (or first) words of a long phrase, at most ``_MAX_SUBJECT`` characters, cut between words."""
    import jieba  # only long phrases need it: most subjects never reach here

    words = jieba.lcut(phrase, HMM=False)
    out: list[str] = []
    size = 0
    for word in reversed(words) if from_end else words:
        if size + len(word) > _MAX_SUBJECT:
            break
        out.append(word)
        size += len(word)
    if not out:
        return phrase[-_MAX_SUBJECT:] if from_end else phrase[:_MAX_SUBJECT]
    if not from_end:
        return "".join(out)
    capped = "".join(reversed(out))
    # the cut may leave the tail of a range or an aside (0—6个月…: —6个月…): a subject starts with no joiner
    return capped.lstrip("—–-~～至、)）") or capped


def _is_inherit(b: str) -> bool:
    b = b.strip()
    return not b or (b.endswith(_INHERIT) or b.startswith(_INHERIT)) and len(_trim_before(b)) < 2 or (
        _COMPARISON_RE.fullmatch(b) is not None) or _SHARE_LEAD_RE.match(b) is not None


class _Clauses:
    """Clause and sentence starts of a text, for O(log n) look-ups."""

    def __init__(self, text: str):
        # one scan: sentence ends and strong clause ends are subsets of the clause ends; a line break
        # inside a sentence (a PDF's or a scrape's wrap: 共培训农村妇女\n1360人次) is none
        self.clause = [m.start() for m in _CLAUSE_CHARS.finditer(text)
                       if text[m.start()] != "\n" or not (_SOFT_WRAP_RE.match(text, max(0, m.start() - 1))
                                                           or _wrapped_unit(text, m.start()))]
        self.strong = [i for i in self.clause if text[i] in _STRONG_CLAUSE]
        self.sentence = [i for i in self.strong if text[i] in SENTENCE_PUNCT]
        self.n = len(text)

    @staticmethod
    def _start(cuts: list[int], pos: int) -> int:
        i = bisect_left(cuts, pos)
        return cuts[i - 1] + 1 if i else 0

    def clause_start(self, pos: int) -> int:
        return self._start(self.clause, pos)

    def strong_start(self, pos: int) -> int:
        return self._start(self.strong, pos)

    def locate(self, cands: list[_Cand]) -> None:
        """Set each candidate's clause, strong clause and sentence bounds, the ones every
        later stage asks for (one bisect each here, instead of a method call per stage)."""
        clause, strong, sentence, n = self.clause, self.strong, self.sentence, self.n
        n_clause, n_sentence = len(clause), len(sentence)
        for c in cands:
            start = c.start
            i = bisect_left(clause, start)
            c.clause_start = clause[i - 1] + 1 if i else 0
            i = bisect_left(clause, c.end, i)
            c.clause_end = clause[i] if i < n_clause else n
            i = bisect_left(strong, start)
            c.strong_start = strong[i - 1] + 1 if i else 0
            i = bisect_left(sentence, start)
            c.sentence_start = sentence[i - 1] + 1 if i else 0
            c.sentence_end = sentence[i] if i < n_sentence else n


_RESPECTIVELY = "分别"
_LIST_SPLIT_RE = regex.compile(r"[、和及与]|以及")


_UNIT_WORDS = tuple(_SUBJ["unit_words"]["words"])


def _assign_subjects(text: str, cands: list[_Cand], cl: _Clauses) -> None:
    prev: _Cand | None = None
    n = len(text)
    for i, c in enumerate(cands):
        f = c.figure
        own_clause = clause_start = c.clause_start
        if own_clause > 0 and text[own_clause - 1] == "、" and _CATEGORY_CLAUSE_RE.fullmatch(text, own_clause, c.start):
            # 残疾人生活补贴标准一、二级每人每月X元: a list of category labels is one clause
            own_clause = clause_start = max(c.strong_start, prev.end if prev is not None else 0)
        if prev is not None and prev.end > clause_start:
            clause_start = prev.end  # the text before this number starts after the previous one
        limit = c.clause_end
        before_raw = text[clause_start: c.start]
        after = None
        if f.unit and text.startswith(_UNIT_WORDS, c.unit_start):
            after = next(w for w in _UNIT_WORDS if text.startswith(w, c.unit_start))
        elif text[c.end: c.end + 1] == "的" or (f.kind == "count" and (
                c.unit_end > c.num_end or (f.unit is None and _CJK.match(text, c.end)))):
            after = _after_subject(text, c.end, min(limit + 12, n))
        elif f.kind in ("money", "other") and (
            len(_trim_before(before_raw)) < 2
            or before_raw.rstrip().rstrip("了").endswith(_OBJECT_VERBS)
        ):
            # 3500元慰问金: money and measures take the noun after only when none stands before
            after = _after_subject(text, c.end, min(limit + 12, n))
        if after:
            f.subject = _strip_quotes(after) or None
        if not f.subject:
            b = _trim_before(before_raw)
            if f.unit in _PEOPLE_UNITS and len(b) >= 2:
                # 推荐基层妇联干部参加培训12人: the people, not the event they took part in
                k = _PARTICIPATION_RE.search(before_raw) if _PARTICIPATION_CHARS.search(before_raw) else None
                if k:
                    people = _trim_before(before_raw[: k.start()])
                    if len(_strip_quotes(people)) >= 2 and not _ends_with_verb(people):
                        b = people  # (支持参加医疗保险55513人: no people named, the verb stays)
            elif f.kind == "money" and len(b) >= 2:
                # 爱心人士捐资11万元: the money, not the givers
                agents = list(_AGENT_RE.finditer(b)) if _AGENT_CHARS.search(b) else []
                if agents and len(b) - agents[-1].end() >= 2:
                    b = b[agents[-1].end():]
            same_clause_prev = prev is not None and prev.end > own_clause
            share = b if b in _SHARE_ALONE and before_raw.strip().startswith(b) else ""
            if share:  # 民生支出328.4亿元，占比79.6%: the share of the figure before, not a subject
                b = ""
            if len(b) >= 2 and not _is_inherit(before_raw):
                f.subject = b
            elif same_clause_prev and prev is not None and prev.figure.subject:
                f.subject = prev.figure.subject
            else:
                if f.kind == "count" and len(b) < 2:
                    # 800余人达成初步就业意向: who did what follows (nothing stands before)
                    f.subject = _predicate(text, c.end, limit)
                elif f.kind == "money" and len(b) < 2 and (
                        before_raw.rstrip().rstrip("了").endswith(_OBJECT_VERBS) or text.startswith(_PURPOSE, c.end)):
                    # 拿出5000万元，对…实施免费检查: the amount is for the purpose that follows
                    f.subject = _purpose(text, c.end, n)
                if not f.subject and f.kind == "money" and before_raw.strip() in _TOTAL_WORDS:
                    # 每人1万元的救助资金…共计44万元: a total of the money named before
                    f.subject = _previous_of_kind(cands, i, c.sentence_start, "money")
                if not f.subject:
                    # 同比增长18.5% / 共计15275元: the subject stands in the clause before
                    f.subject = _previous_clause_subject(text, own_clause, cands, i, cl) or (
                        b if len(b) >= 2 else None)
            if share:
                f.subject = (f.subject + share) if f.subject else share
        prev = c
    # 14035户25559人享受城乡低保: a number glued to the next one counts the same thing
    for i in range(len(cands) - 2, -1, -1):
        c, nxt = cands[i], cands[i + 1]
        if nxt.start - c.end <= 1 and not text[c.end: nxt.start].strip() and nxt.figure.subject and (
                not c.figure.subject or c.figure.kind == nxt.figure.kind == "count" and c.figure.unit != nxt.figure.unit
                and _trim_before(text[c.clause_start: c.start]) == ""):
            c.figure.subject = nxt.figure.subject
    _respectively(text, cands, cl)
    _target_subjects(cands)
    if _MONEY_SUBJECT_ENDS:
        for c in cands:
            f = c.figure
            # 发放资金40万, 支出低保金3347万: a 万/亿 amount of money written without 元
            if f.unit is None and f.kind == "count" and f.subject and \
                    _trim_before(text[c.clause_start: c.start]).endswith(_MONEY_SUBJECT_ENDS):
                f.kind, f.unit = "money", "元"


def _target_subjects(cands: list[_Cand]) -> None:
    """A figure whose subject only names a target (纲要目标为85%, 不低于90%的目标) takes the subject of
    the figure before it in its sentence, one of the same unit first: the target is the indicator's."""
    for i, c in enumerate(cands):
        f = c.figure
        if not f.subject or not _TARGET_SUBJECT_RE.fullmatch(f.subject.rstrip("(（")):
            continue
        before = [cands[k].figure for k in range(i - 1, -1, -1) if cands[k].start >= c.sentence_start]
        before = [g for g in before if g.subject and not _TARGET_SUBJECT_RE.fullmatch(g.subject.rstrip("(（"))]
        same = next((g for g in before if g.unit == f.unit), None) or (before[0] if before else None)
        if same is not None:
            f.subject = same.subject


def _previous_of_kind(cands: list[_Cand], i: int, sentence_start: int, kind: str) -> str | None:
    """The subject of the last figure of ``kind`` before ``cands[i]`` in its sentence."""
    for k in range(i - 1, -1, -1):
        c = cands[k]
        if c.start < sentence_start:
            break
        if c.figure.kind == kind and c.figure.subject:
            return c.figure.subject
    return None


_START = attrgetter("start")


def _previous_clause_subject(text: str, clause_start: int, cands: list[_Cand], i: int, cl: _Clauses) -> str | None:
    """The subject for a number whose own clause has none: 送去慰问品，共计15275元 -> 慰问品."""
    if clause_start <= 1:
        return None
    end = clause_start - 1
    if text[end] in SENTENCE_PUNCT:
        return None
    start = cl.clause_start(end)
    while start > 0 and (not text[start:end].strip() or _ASIDE_RE.fullmatch(text[start:end].strip())) \
            and text[start - 1] not in SENTENCE_PUNCT:
        # 140多件次，，200多人次: an empty clause between them; 6696.4亿元，按可比价格计算，比上年增长7.4%:
        # a clause that only says how the figure was measured
        end = start - 1
        start = cl.clause_start(end)
    # the candidates are in text order: the ones in the clause before are a run found by bisect
    # (a scan of every earlier candidate made a 5 MB page of 180,000 figures take 4 minutes)
    counted = False
    for k in range(bisect_left(cands, start, hi=i, key=_START), i):
        c = cands[k]
        if c.start >= end:
            break
        if c.figure.subject:
            return c.figure.subject
        counted = True
    if counted:  # 提高1.2、0.8和0.5个百分点: the clause before is a number, not a noun
        return None
    b = _trim_before(text[start:end])
    return b if len(b) >= 2 else None


def _list_parts(head: str) -> list[str]:
    """The nouns of a 、/和 list before 分别: 甲、乙和丙再次提高 -> [甲, 乙, 丙]."""
    if len(head) <= _MAX_SUBJECT and not (_LIST_SPLIT_RE.search(_trim_before(head)) or not _LIST_SPLIT_RE.search(head)):
        # 城镇和农村居民收入: the trim would cut the list at its 和; only a lead of scope goes (全县城镇和…)
        head = _LIST_LEAD_RE.sub("", head)
    elif len(head) <= _MAX_SUBJECT:
        head = _trim_before(head)
    for _ in range(4):
        m = _TRAIL_RE.search(head)
        if not m or m.start() == 0:
            break
        head = head[: m.start()]
    return _shared_heads([_strip_quotes(p) for p in _LIST_SPLIT_RE.split(head) if len(_strip_quotes(p)) >= 2])


def _shared_heads(parts: list[str]) -> list[str]:
    """A list of short modifiers whose last noun carries the head they share, each with that head:
    城镇、农村居民收入 -> 城镇居民收入, 农村居民收入 (the modifiers are of one length, at most two characters:
    城镇/农村, 男性/女性, 食品/药品); other lists as they are (工业、制造业、工业技改投资).

    >>> _shared_heads(["城镇", "农村居民人均可支配收入"]), _shared_heads(["工业", "制造业", "工业技改投资"])
    (['城镇居民人均可支配收入', '农村居民人均可支配收入'], ['工业', '制造业', '工业技改投资'])
    """
    if len(parts) < 2:
        return parts
    *mods, last = parts
    n = len(mods[0])
    if n > 2 or len(last) <= n + 2 or any(len(m) != n or not _CJK.match(m) or last.startswith(m) for m in mods):
        return parts
    return [m + last[n:] for m in mods] + [last]


def _respectively(text: str, cands: list[_Cand], cl: _Clauses) -> None:
    """分别 lists: A、B和C分别增长4.4%、5.6%、7% pairs nouns and numbers in order."""
    i = 0
    while i < len(cands):
        c = cands[i]
        s0 = c.strong_start
        pos = text.rfind(_RESPECTIVELY, s0, c.start)
        if pos < 0 or _CLAUSE_BREAK_RE.search(text, pos, c.start):
            i += 1
            continue
        group = [c]
        j = i + 1
        while j < len(cands) and _LIST_GLUE_RE.fullmatch(text, group[-1].end, cands[j].start):
            group.append(cands[j])
            j += 1
        head_start = cl.strong_start(pos)
        head = text[head_start: pos]
        parts = _list_parts(head)
        if len(parts) != len(group) and head_start > 1 and text[head_start - 1] not in SENTENCE_PUNCT:
            # 甲、乙和丙再次提高，月人均分别提高221元、90元和350元: the list is in the clause before
            prev_head = text[cl.strong_start(head_start - 1): head_start - 1]
            prev_parts = _list_parts(prev_head) if not _HAS_DIGIT.search(prev_head) else []
            if len(prev_parts) == len(group):  # (a clause of figures is no list of nouns: 甲分别达到X元和Y元)
                parts = prev_parts
        prior = [cands[k] for k in range(i - len(group), i) if k >= 0 and cands[k].start >= c.sentence_start]
        if len(group) > 1 and len(parts) == len(group):
            for g, p in zip(group, parts):
                if len(p) >= 2:
                    g.figure.subject = p
        elif len(group) > 1 and len(prior) == len(group) and len(_trim_before(head)) < 2 and \
                len({p.figure.subject for p in prior}) == len(group) and all(p.figure.subject for p in prior):
            # 甲52150元、乙31680元，分别增长8.1%、9.2% (or two clauses): a list with no nouns of its own
            # goes with the figures just before it, in order
            for g, p in zip(group, prior):
                g.figure.subject = p.figure.subject
        elif len(group) >= 1 and parts and len(_trim_before(head)) >= 2:
            for g in group:
                if not g.figure.subject or g is not c:
                    g.figure.subject = _trim_before(head)
        i = j


# ---------------------------------------------------------------- relations

_PART_MARK = regex.compile(r"其中|包括|当中")
_TOTAL_MARK = regex.compile(r"(?:共|累计|总计|合计|全区|全县|全市|全省|总共|一共)[^，,。；;]{0,12}$")


_PEOPLE = {"人", "名", "位"}
_CLASSIFIERS = {"个", "所", "家", "处", "座"}


def _same_measure(total: Figure, part: Figure) -> bool:
    """Can ``part`` be a share of ``total``? Same kind, and a unit of the same measure
    (人/名/位 count people; 12场次 is no part of 3200人次).

    >>> f = lambda v, u: Figure(text="", value=v, kind="count", unit=u, start=0, end=0)
    >>> _same_measure(f(29, "名"), f(6, "人")), _same_measure(f(3200, "人次"), f(12, "场次"))
    (True, False)
    """
    if total.kind != part.kind:
        return False
    if total.unit == part.unit or (total.kind == "count" and "个" in (total.unit, part.unit)):
        return True  # 个 is the general classifier: 29名留守儿童…其他6个 counts children too
    return any(total.unit in group and part.unit in group for group in (_PEOPLE, _CLASSIFIERS))


def _shares_subject(total: Figure, part: Figure) -> bool:
    a, b = total.subject or "", part.subject or ""
    return len(a) >= 2 and (a in b or any(a[k:k + 3] in b for k in range(len(a) - 2)))


def _relations(text: str, cands: list[_Cand], cl: _Clauses) -> None:
    # the breakdown words of the whole text, once (they are fixed words that cannot overlap,
    # so the last one inside a sentence's prefix is the last of these that lies inside it)
    marks = [m.span() for m in _PART_MARK.finditer(text)]
    mark_ends = [e for _s, e in marks]
    for i, c in enumerate(cands):
        s0 = c.sentence_start
        k = bisect_right(mark_ends, c.start) - 1
        mark = marks[k] if k >= 0 and marks[k][0] >= s0 else None
        if mark is not None:
            # the total is the nearest figure of the same kind before 其中, preferring one whose
            # subject the part shares (125个儿童之家，涉及114个村，其中示范儿童之家14个 -> 125)
            before = [j for j in range(i - 1, bisect_left(cands, s0, hi=i, key=_START) - 1, -1)
                      if cands[j].end <= mark[0] and _same_measure(cands[j].figure, c.figure)]
            total_idx = next((j for j in before if _shares_subject(cands[j].figure, c.figure)),
                             before[0] if before else None)
            if total_idx is not None:
                c.figure.role = "part"
                c.figure.parent = total_idx
                cands[total_idx].figure.role = "total"
                continue
        if c.figure.role is None and _TOTAL_MARK.search(text, c.clause_start, c.start):
            c.figure.role = "total"


# ---------------------------------------------------------------- indicators
# Two steps (extractors/data/indicators.toml): the taxonomy's aliases on the figure's subject
# (``_indicator``, exact: the rules), then, for a figure they leave without one, the learned
# linker on its subject, clause and unit (``extractors.linker``), which stores a link only
# when it is confident and otherwise the candidate with its probability.


@cache
def _indicator_data() -> dict:
    return load_data("extractors", "indicators")


@cache
def _spelling() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    table = _indicator_data().get("spelling", {})
    if not table:
        return None, {}
    return re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True)))), table


def _spell(s: str) -> str:
    """``s`` with the taxonomy's spelling variants and abbreviations folded (规上 -> 规模以上).

    >>> _spell("规上工业增加值")
    '规模以上工业增加值'
    """
    rx, table = _spelling()
    return rx.sub(lambda m: table[m.group()], s) if rx is not None and s else s


_spelled = lru_cache(maxsize=8192)(_spell)  # subjects repeat within and across reports


@cache
def _indicator_rules() -> list[dict]:
    rules = []
    for ind_id, spec in _indicator_data().get("indicator", {}).items():
        aliases = spec.get("aliases", spec.get("subject_any", []))  # subject_any: the older name
        rules.append({**spec, "id": ind_id, "aliases": tuple(_spell(a) for a in aliases)})
    return rules


@cache
def _indicator_rules_for(kind: str) -> list[dict]:
    return [r for r in _indicator_rules() if kind in r.get("kinds", [kind])]


@lru_cache(maxsize=4096)
def _indicator_rules_matching(kind: str, unit: str | None, subject: str) -> tuple[dict, ...]:
    """The indicator rules whose kind, unit and subject tests ``subject`` passes, in order."""
    out = []
    for r in _indicator_rules_for(kind):
        if r.get("units") and unit not in r["units"]:
            continue
        aliases = r["aliases"]
        if aliases and not any(w in subject for w in aliases):
            continue
        if any(w in subject for w in r.get("subject_none", [])):
            continue
        out.append(r)
    return tuple(out)


_LIST_GLUE_CHARS = "和及与或"  # 甲和乙: the 甲 is no modifier of 乙


@cache
def _prefix_chars() -> int:
    return int(_indicator_data().get("linker", {}).get("prefix_chars", 4))


def _extended_subject(subject: str, before: str) -> str:
    """``subject`` with the Chinese characters written right before it in ``before`` (at most
    ``prefix_chars``): a modifier the subject lost, e.g. the 城镇 of 城镇常住居民人均可支配收入.

    >>> _extended_subject("常住居民人均可支配收入", "同比增长8%，城镇常住居民人均可支配收入完成")
    '城镇常住居民人均可支配收入'
    >>> _extended_subject("农村居民人均可支配收入", "城镇和农村居民人均可支配收入")
    '农村居民人均可支配收入'
    >>> _extended_subject("地区生产总值", "增长5%，地区生产总值")
    '地区生产总值'
    """
    k = before.rfind(subject)
    if k <= 0:
        return subject
    i, stop = k, max(0, k - _prefix_chars())
    while i > stop and _CJK.match(before, i - 1) and before[i - 1] not in _LIST_GLUE_CHARS:
        i -= 1
    return before[i:k] + subject


@cache
def _exact_rules() -> dict[str, tuple[dict, ...]]:
    """Whole-subject words (``exact``) -> their indicator rules, in order."""
    out: dict[str, list[dict]] = {}
    for r in _indicator_rules():
        for w in r.get("exact", ()):
            out.setdefault(w, []).append(r)
    return {w: tuple(rs) for w, rs in out.items()}


def _indicator(f: Figure, clause: str, before: str | None = None, subject: str | None = None) -> str | None:
    """The taxonomy's id for ``f`` from its subject (or ``subject``), extended by ``before`` (the
    text of its sentence before the number) when given, and ``clause``; None when no alias rule holds."""
    subject = subject or f.subject or ""
    if not subject:
        return None
    own = f.subject or ""
    # a whole-subject word: the subject as the rules found it (an extension only adds a modifier)
    exact = _exact_rules().get(subject) or (_exact_rules().get(own) if own and subject.endswith(own) else None)
    subject = _spelled(_extended_subject(subject, before) if before else subject)
    rules = _indicator_rules_matching(f.kind, f.unit, subject)
    if exact:
        rules = tuple(r for r in exact if f.kind in r.get("kinds", [f.kind])
                      and (not r.get("units") or f.unit in r["units"])) + rules
    for r in rules:
        if r.get("clause_any") and not any(w in clause for w in r["clause_any"]):
            continue
        if any(w in clause for w in r.get("clause_none", [])):
            continue
        return r["id"]
    return None


#: when a list, ``_link`` appends (figure, mention, rule id) for every figure (the linker's training)
_LINK_SINK: list | None = None
_DIGITS = str.maketrans("0123456789", "0000000000")
_PREVIOUS_MAX = 40  # characters of the clause before that a mention keeps (its end)
_BEFORE_MAX = 120  # characters before a figure searched for its (inherited) subject
_STRONG_BEFORE_RE = regex.compile(f"(?r)[{regex.escape(_STRONG_CLAUSE)}]")  # the last strong mark of a span


def _group(c: _Cand, text: str, cands: list[_Cand]) -> tuple[int, int, int]:
    """(position k, size n, index of the first) of the list of numbers ``c`` belongs to in its
    clause: 增长5.3%、7.7% or 分别增长4%左右和6%左右 (a number alone: (0, 1, own index))."""
    i = bisect_left(cands, c.start, key=_START)
    lo = hi = i
    while lo > 0 and cands[lo - 1].strong_start == c.strong_start and \
            _LIST_GLUE_RE.fullmatch(text, cands[lo - 1].end, cands[lo].start):
        lo -= 1
    while hi + 1 < len(cands) and cands[hi + 1].strong_start == c.strong_start and \
            _LIST_GLUE_RE.fullmatch(text, cands[hi].end, cands[hi + 1].start):
        hi += 1
    return i - lo, hi - lo + 1, lo


@cache
def _contractions() -> tuple[tuple[str, tuple[str, ...]], ...]:
    table = _indicator_data().get("contractions", {})
    return tuple((k, tuple(v)) for k, v in sorted(table.items(), key=lambda kv: -len(kv[0])))


def _list_part(c: _Cand, text: str, cands: list[_Cand], subject: str) -> str:
    """The noun of a list that ``c`` stands for: the k-th of 甲、乙分别增长a、b (the last n nouns
    before n numbers), or the k-th expansion of a contraction (城乡居民人均收入增长a、b ->
    城镇…, 农村…); "" for a number alone or a list that does not pair.

    >>> figs = extract_text("全年旅游接待人次和总花费分别增长16%和15%")
    >>> cands = [_Cand(f.start, f.end, 0, 0, 0, 0, f, strong_start=0) for f in figs]
    >>> [_list_part(c, "全年旅游接待人次和总花费分别增长16%和15%", cands, "") for c in cands]
    ['全年旅游接待人次', '总花费']
    """
    k, n, first = _group(c, text, cands)
    if n < 2:
        return ""
    head = text[c.strong_start: cands[first].start]
    cut = head.rfind(_RESPECTIVELY)
    if cut >= 0:
        head = head[:cut]
    for _ in range(4):  # 分别, 年均, 增长 ... between the list and its numbers
        m = _TRAIL_RE.search(head)
        if not m or m.start() == 0:
            break
        head = head[: m.start()]
    parts = _shared_heads([p.strip() for p in _LIST_SPLIT_RE.split(head) if p.strip()])
    if not parts and first >= n and cands[first - n].sentence_start == c.sentence_start and \
            _group(cands[first - n], text, cands)[1:] == (n, first - n):
        # 甲、乙分别达到X元、Y元，分别增长a、b: the second list's nouns are the first's
        return _list_part(cands[first - n + k], text, cands, subject)
    if len(parts) >= n:
        return _spell(parts[len(parts) - n + k])
    for short, full in _contractions():
        if len(full) == n:
            if short in subject:
                return subject.replace(short, full[k], 1)
            if short in head:
                return _spell(_trim_before(head.replace(short, full[k], 1)))
    return ""


def _mention(c: _Cand, text: str, cands: list[_Cand], subject: str, part: str):
    """What the linker reads of a figure: its subject, clause, unit and list position."""
    from extractors.linker import Mention

    f = c.figure
    s0 = c.strong_start
    prev = ""
    if s0 - 1 > c.sentence_start:
        lo = max(c.sentence_start, s0 - 1 - _PREVIOUS_MAX)
        m = _STRONG_BEFORE_RE.search(text, lo, s0 - 1)
        prev = text[m.end() if m else lo: s0 - 1]
    after = _AFTER_PHRASE_RE.match(text, c.end, min(c.end + 8, len(text)))
    return Mention(kind=f.kind, unit=f.unit, subject=subject,
                   before=_spell(text[c.clause_start: c.start]).translate(_DIGITS),
                   strong=_spell(text[s0: c.start]).translate(_DIGITS),
                   previous=_spell(prev).translate(_DIGITS),
                   after=after.group() if after else "",
                   part=part)


@cache
def _change_re() -> regex.Pattern[str]:
    return regex.compile(_indicator_data().get("change", {}).get("before", "(?!)"))


@cache
def _subject_none(ind_id: str) -> tuple[str, ...]:
    return tuple(_indicator_data().get("indicator", {}).get(ind_id, {}).get("subject_none", ()))


@cache
def _measure(ind_id: str) -> str:
    return _indicator_data().get("indicator", {}).get(ind_id, {}).get("measure", "level")


def _elided_agent(c: _Cand, text: str) -> str:
    """The people a clause that opens with a verb of taking part leaves unsaid, named before the same
    verb in the first clause of its sentence: 妇女参加养老保险人数为X万人，参加医疗保险人数为Y万人 ->
    妇女 (for Y); "" when there is none."""
    s0 = c.strong_start
    if s0 <= c.sentence_start or not _PARTICIPATION_CHARS.match(text, s0):
        return ""
    verb = _PARTICIPATION_RE.match(text, s0)
    if verb is None:
        return ""
    first = text[c.sentence_start: s0]
    k = first.find(verb.group())
    agent = _trim_before(first[:k]) if k >= 2 else ""
    return agent if 2 <= len(agent) <= _MAX_MODIFIER and _CJK.fullmatch(agent[-1]) else ""


def _link(c: _Cand, text: str, cands: list[_Cand]) -> str | None:
    """``c``'s indicator: the alias rules' (on the k-th noun of a list of n nouns and n numbers,
    else on the subject), else the linker's when it is confident; a link it is not sure of leaves
    the indicator null and sets ``indicator_candidate``/``indicator_confidence``."""
    from extractors import linker

    f = c.figure
    # an inherited subject stands in a clause before, in the same sentence
    subject = f.subject
    if subject:
        subject = _spelled(_extended_subject(subject, text[max(c.sentence_start, c.start - _BEFORE_MAX): c.start]))
    if subject:
        subject = _elided_agent(c, text) + subject
    share = ""
    if subject:
        before = text[c.clause_start: c.start]
        k = before.rfind(subject)
        if k >= 0 and before.startswith("占", k + len(subject)) or _SHARE_LEAD_RE.match(before.lstrip()):
            # 第三产业增加值占地区生产总值的比重为46.8% (or …101亿元，占GDP比重46.8%): a share, no value of the subject's
            share = "占"
    part = _list_part(c, text, cands, subject or "")
    found = _indicator(f, text[c.strong_start: c.clause_end], subject=part or (subject + share if subject else subject))
    change = f.kind != "percent" and _change_re().search(text, c.clause_start, c.start) is not None
    if found is not None and change and _measure(found) == "level":
        found = None  # 常住人口312.6万人，比上年末减少0.8万人: the change of a level is no level
    if (found is not None or not linker.ENABLED) and _LINK_SINK is None:
        return found
    m = _mention(c, text, cands, part or subject or "", part)  # a list's k-th noun is the k-th number's
    if _LINK_SINK is not None:
        _LINK_SINK.append((f, m, found))
        if found is not None or not linker.ENABLED:
            return found
    best, p = linker.predict(m)
    if best is None or change and _measure(best) == "level" or share and share in _subject_none(best):
        return None
    if p >= linker.threshold():
        f.indicator_confidence = p
        return best
    if p >= linker.min_candidate():
        f.indicator_candidate, f.indicator_confidence = best, p
    return None


# ---------------------------------------------------------------- entry points


def extract_text(text: str) -> list[Figure]:
    """Every figure in ``text`` (offsets into ``text``).

    >>> [(f.value, f.unit, f.subject) for f in extract_text("全区已建成“儿童之家”125个，共慰问521名儿童。")]
    [(125, '个', '儿童之家'), (521, '名', '儿童')]
    >>> [(f.value, f.kind, f.approx) for f in extract_text("投入资金70多万元，公益课近百节")]
    [(700000, 'money', '多'), (100, 'count', '近')]
    >>> extract_text("2024年6月1日，一是加强领导")
    []
    """
    _trim_before.cache_clear()  # the cache serves one document's repeated look-ups, not a corpus
    norm = fold_fullwidth(text)
    masked = mask(norm)
    cands = _candidates(norm, masked)
    cl = _Clauses(norm)
    cl.locate(cands)
    _assign_subjects(norm, cands, cl)
    _relations(norm, cands, cl)
    n = len(text)
    for c in cands:
        f = c.figure
        f.text = text[c.start: c.end]
        s1 = c.sentence_end
        f.sentence = sentence_of(text, c.sentence_start, s1 + 1 if s1 < n else s1, c.start, c.end)
        f.indicator = _link(c, norm, cands)
    return [c.figure for c in cands]


def as_written(doc: Document, f: Figure, widths: tuple[list[int], list[str]] | None = None) -> None:
    """``f.text`` and ``f.sentence`` in the widths the source writes them (增长6％, Ｒ＆Ｄ, １２５个),
    not as the cleaner folded them for reading: a figure is traced by its sentence to the report
    (a quote of the report finds it). Only characters the cleaner changed in width alone (NFKC)
    take their source form back: the script stays simplified and removed furniture stays out,
    so ``text`` keeps its length and ``start``/``end`` (the clean offsets) still delimit it.
    ``widths``: ``source_widths(doc)``, found once for all the figures of a document.

    >>> from pipeline.types import RawDocument
    >>> raw = RawDocument("x.txt", "txt", "收入增長６％。")
    >>> doc = Document(raw, "收入增长6%。", list(range(8)))
    >>> f = Figure(text="6%", value=6, kind="percent", unit="%", start=4, end=6, sentence="收入增长6%。")
    >>> as_written(doc, f); (f.text, f.sentence)
    ('６％', '收入增长６％。')
    """
    widths = widths if widths is not None else source_widths(doc)
    if not widths[0]:
        return
    f.text = _restore(f.text, f.start, widths)
    s = f.sentence
    if not s:
        return
    a = doc.text.find(s, max(0, f.end - len(s)), f.start + len(s))
    if 0 <= a <= f.start:
        f.sentence = _restore(s, a, widths)


#: the full-width forms of ASCII (U+FF01..FF5E): what ``as_written`` gives back
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")


def source_widths(doc: Document) -> tuple[list[int], list[str]]:
    """(positions in the clean text, the source's characters there) of every character the
    cleaner only narrowed (％ -> %, ６ -> 6): one pass over the source's full-width characters."""
    src, off, text = doc.raw.text, doc.offsets, doc.text
    n = len(text)
    pos: list[int] = []
    chars: list[str] = []
    for m in _FULL_WIDTH.finditer(src):
        r, w = m.start(), m.group()
        i = bisect_left(off, r, 0, n)
        if i < n and off[i] == r and text[i] != w and unicodedata.normalize("NFKC", w) == text[i]:
            pos.append(i)
            chars.append(w)
    return pos, chars


def _restore(s: str, start: int, widths: tuple[list[int], list[str]]) -> str:
    """``s`` (the clean text from ``start``) with the source's characters of ``widths`` put back."""
    pos, chars = widths
    lo, hi = bisect_left(pos, start), bisect_left(pos, start + len(s))
    if lo == hi:
        return s
    out = list(s)
    for k in range(lo, hi):
        out[pos[k] - start] = chars[k]
    return "".join(out)


def extract(doc: Document) -> list[Figure]:
    """Figures of a cleaned document, with raw offsets, status and period."""
    figures = extract_text(doc.text)
    widths = source_widths(doc)  # most sources have nothing to give back
    for f in figures:
        f.raw_start, f.raw_end = doc.raw_span(f.start, f.end)
        if widths[0]:
            as_written(doc, f, widths)
        f.extractor = "rules"
    try:
        from extractors.reference import annotate_reference
    except ImportError:  # built in a later step of the pipeline
        pass
    else:
        annotate_reference(doc, figures)
    return figures
