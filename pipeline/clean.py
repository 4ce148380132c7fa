"""Clean a ``RawDocument`` into a ``Document``: simplified body text with an offset map to the raw text.

Stages, in order (each keeps, for every character it keeps, the raw index it came from):

1. ``glosses``: drop pinyin glosses inserted after characters (區(qū) -> 區) and their garbled
   remnants where the host character was lost (``?cái)``).
2. ``script``: detect traditional script with OpenCC t2s and convert (``meta["script"]``).
3. ``width``: full-width digits, Latin letters and number symbols to half-width (1:1).
4. ``boilerplate``: paywall notices (-> truncation metadata), inline furniture, tails
   (related-article lists, comment boxes, licence boxes), whole furniture lines (some only in
   runs: lists of dated headlines), then, for web text only, page-level heuristics (short menu
   lines, repeated label lines, later copies of a line, teasers the next line repeats). Then the
   pieces of what a break cut join again: a document site's page marker or page break inside a
   word or number (web text), a PDF's margin wraps, and web text hard-wrapped at a fixed width.
   A text whose last line of prose stops mid-sentence is marked truncated. Patterns and
   thresholds live in ``pipeline/data/boilerplate.toml``; rules gate on ``requires`` strings,
   all found in one scan.
5. ``whitespace``: strip lines, collapse layout spaces, keep paragraph breaks.

Offsets: every stage either deletes characters (kept ones keep their raw index) or replaces
them 1:1, except OpenCC phrase conversions that change length. Conversion runs over each run
of Han characters separately (phrases never cross punctuation); a run whose length changed
maps its output characters proportionally onto its raw characters, so offsets stay inside
the run's raw span and non-decreasing (see ``_proportional``).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import opencc
import regex

from pipeline.settings import load_data
from pipeline.types import Document, HuibaoError, RawDocument

#: OpenCC's converter is costly to build (~10 ms) and stateless: one per process
_T2S = opencc.OpenCC("t2s")

# 1:1 full-width -> half-width for what figures are made of; Chinese punctuation (，。：；（）“”)
# stays as written because sentence splitting and subjects rely on it.
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_WIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDTH.update({ord(c): ord(c) - 0xFEE0 for c in "％．＊＋－／＆"})  # ＆: R＆D reads as one token

#: runs of the characters _WIDTH changes: most texts have none, while every Chinese text has
#: full-width punctuation, so only these runs are translated (0.23 -> ~0.01 ms a document);
#: ``re`` scans for this set of characters three times faster than ``regex`` (0.06 -> 0.02 ms)
_WIDTH_RUN = re.compile("[" + "".join(map(chr, sorted(_WIDTH))) + "]+")
_SENTENCE_PUNCT = regex.compile(r"[。！？!?；;，,]")
_HAN = regex.compile(r"\p{Han}")
_DIGIT = regex.compile(r"\d")
_LABEL_VALUE = regex.compile(r"[:：]\s*\S")
_MENU_SPLIT = regex.compile(r"[\s|｜/>»›·•]+")
_HSPACE = regex.compile(r"[^\S\n]+")
_LINE = regex.compile(r"[^\n]*\n?")
# what a line holds once inline removals took its content: bullets, list numbers, separators
_BULLET_ONLY = regex.compile(r"(?:[\s•·●▪◦▶►|｜>»›\-*…_]|\d{1,2}\s*[.、)）])*")
_CUT_END = regex.compile(r"[、，,：:；;（(“]$")
#: a line that ends on these cannot end a text, however short (据统计，); a colon may end a label
_OPEN_END = regex.compile(r"[、，,；;（(“]$")
#: a top-level section heading (二、存在的问题): a text does not end on one
_TOP_HEADING = regex.compile(r"^[一二三四五六七八九十]{1,3}[、．.]")
#: a last line ending on a digit that a complete text may end with: a date, a page number, a phone number
_DATE_OR_CODE = regex.compile(r"(?:\d{4}[-./年]\d{1,2}(?:[-./月]\d{1,2})?|第\s*\d+\s*页|\d{3,4}-\d{7,8}|[:：]\s*\d+)$")
_RUNS = regex.compile(r"\p{Han}+|[^\p{Han}]+")


class CleanError(HuibaoError):
    """A boilerplate data file that cannot be used: names the rule and the reason."""


@dataclass(frozen=True)
class Rule:
    name: str
    scope: str  # line | inline | tail | paywall
    pattern: regex.Pattern[str] | re.Pattern[str]
    max_len: int = 200
    also_next: bool = False
    requires: tuple[str, ...] = ()  # strings one of which every match holds; () runs always
    min_run: int = 1  # line rules: drop only runs of at least this many matching lines in a row

    def may_match(self, text: str, present: frozenset[str] | None = None) -> bool:
        """Whether the rule can match ``text``; ``present``: the ``requires`` strings it holds, when known."""
        if not self.requires:
            return True
        if present is not None:
            return not present.isdisjoint(self.requires)
        return any(r in text for r in self.requires)


class _Requires:
    """Which of the rules' ``requires`` strings a text holds, found in one scan.

    One ``re`` alternation (longest first) finds them faster than a substring test per string
    (93 strings: 0.08 against 0.2 ms a 3,000-character report). A string inside a found one is
    present too. A scan skips what a match covered, so a string that starts inside a match and
    runs past its end (with "AB" and "BC" required, "ABC" is one match "AB") may be missed: when
    a match that can hide it was found, that string is tested alone.
    """

    def __init__(self, strings: set[str]):
        self.strings = sorted(strings, key=lambda x: (-len(x), x))
        self.rx = re.compile("|".join(map(re.escape, self.strings))) if self.strings else None
        self.within = {m: frozenset(x for x in self.strings if x in m) for m in self.strings}
        # x -> the strings whose match can hide it: a proper suffix of theirs begins x
        self.hiders = {x: hiders for x in self.strings if (hiders := frozenset(
            t for t in self.strings if any(x.startswith(t[k:]) and len(x) > len(t) - k for k in range(1, len(t)))))}

    def present(self, text: str) -> frozenset[str]:
        if self.rx is None:
            return frozenset()
        matches = set(self.rx.findall(text))
        found: set[str] = set()
        for m in matches:
            found |= self.within[m]
        found.update(x for x, hiders in self.hiders.items()
                     if x not in found and not hiders.isdisjoint(matches) and x in text)
        return frozenset(found)


@dataclass
class Rules:
    """The compiled contents of ``boilerplate.toml``."""

    rules: list[Rule]
    gloss: regex.Pattern[str]
    gloss_remnant: regex.Pattern[str]
    gloss_toneless: regex.Pattern[str]
    toneless_min_glosses: int
    traditional_min_ratio: float
    traditional_min_changes: int
    h: dict[str, Any] = field(default_factory=dict)
    #: the [joins] patterns: page markers, number continuations, cut markers (see ``_page_breaks``)
    joins: dict[str, regex.Pattern[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.requires = _Requires({x for r in self.rules for x in r.requires})
        self._scoped = {scope: [r for r in self.rules if r.scope == scope] for scope in SCOPES}

    def scoped(self, scope: str) -> list[Rule]:
        return self._scoped[scope]


SCOPES = ("line", "inline", "tail", "paywall")
#: a rule's pattern engine: ``regex`` (default: \p{Han}, variable lookbehind, (?r)), or the standard
#: ``re``, 1.5-2.5x quicker on plain classes and anchored line patterns (and much slower on some
#: others: tests/test_clean_web.py checks that each "re" rule matches as under ``regex``)
ENGINES: dict[str, Callable[[str], regex.Pattern[str] | re.Pattern[str]]] = {
    "regex": lambda src: regex.compile(src, regex.V0), "re": re.compile}
#: characters looked at to decide the script: enough for a stable ratio, cheap on long reports
SCRIPT_SAMPLE = 6000


def compile_rules(data: dict[str, Any]) -> Rules:
    """Compile a boilerplate data dict (the TOML's shape) into ``Rules``; a bad entry raises ``CleanError``."""
    macros = data.get("macros", {})
    rules: list[Rule] = []
    seen: set[str] = set()
    for entry in data.get("rule", []):
        name = entry.get("name")
        if not name or name in seen:
            raise CleanError(f"boilerplate rule {name!r}: missing or duplicate name")
        seen.add(name)
        if entry.get("scope") not in SCOPES:
            raise CleanError(f"boilerplate rule {name!r}: scope must be one of {SCOPES}")
        src = entry.get("pattern")
        if not isinstance(src, str) or not src:
            raise CleanError(f"boilerplate rule {name!r}: no pattern")
        for key, val in macros.items():
            src = src.replace("{" + key + "}", val)
        engine = entry.get("engine", "regex")
        if engine not in ENGINES:
            raise CleanError(f"boilerplate rule {name!r}: engine must be one of {tuple(ENGINES)}")
        try:
            pat = ENGINES[engine](src)
        except (regex.error, re.error) as e:
            raise CleanError(f"boilerplate rule {name!r}: bad pattern: {e}") from None
        requires = entry.get("requires", [])
        if not isinstance(requires, list) or not all(isinstance(r, str) and r for r in requires):
            raise CleanError(f"boilerplate rule {name!r}: requires must be a list of non-empty strings")
        min_run = entry.get("min_run", 1)
        if not isinstance(min_run, int) or min_run < 1 or (min_run > 1 and entry["scope"] != "line"):
            raise CleanError(f"boilerplate rule {name!r}: min_run must be a positive integer, on a line rule")
        rules.append(Rule(name, entry["scope"], pat, int(entry.get("max_len", 200)),
                          bool(entry.get("also_next", False)), tuple(requires), min_run))
    g = data["gloss"]
    tones = g["tone_vowels"]
    letters = f"a-zü{tones}"
    # one or a few syllables, at least one tone-marked vowel (so "(PPP)", "(cid)" survive). The
    # look-ahead for that vowel goes no further than the longest body: a match's body ends at the
    # first bracket after it anyway, and an unbounded ``[^)）]*`` scanned from every "(" or "?" to
    # the next bracket, quadratic on a long text without one (6M characters: 17 of 22 s of clean)
    syllable, syllables = 6, 4
    longest = syllable * syllables + (syllables - 1)
    body = (rf"(?=[^)）]{{0,{longest - 1}}}[{tones}])"
            rf"[{letters}]{{1,{syllable}}}(?:[ ][{letters}]{{1,{syllable}}}){{0,{syllables - 1}}}")
    gloss = regex.compile(rf"(?<=\p{{Han}})[(（]{body}[)）]")
    # the host char was lost to mojibake: "?" or U+FFFD, the gloss without its "(", and maybe
    # one surviving GBK trail byte (0x40-0x7E) glued to the next Han char: "?yún)R報"
    remnant = regex.compile(rf"[?\ufffd]{body}[)）](?:[@-~](?=\p{{Han}}))?")
    toneless = regex.compile(rf"(?<=\p{{Han}})[(（](?:{g['syllable']})[)）]")
    joins: dict[str, regex.Pattern[str]] = {}
    for key, src in data.get("joins", {}).items():
        try:
            joins[key] = regex.compile(src, regex.V0)
        except regex.error as e:
            raise CleanError(f"boilerplate joins.{key}: bad pattern: {e}") from None
    s = data["script"]
    return Rules(rules, gloss, remnant, toneless, int(g["toneless_min_glosses"]),
                 float(s["traditional_min_ratio"]), int(s["traditional_min_changes"]),
                 dict(data.get("heuristics", {})), joins)


#: compiled once at import; pass ``rules=`` to ``clean`` to use others (tests, experiments)
RULES = compile_rules(load_data("pipeline", "boilerplate"))


#: texts at least this long keep their offset map in an ``array`` (see ``_Work``)
COMPACT_OFFSETS_FROM = 200_000


class _Work:
    """Text being cleaned plus, per character, its index in the raw text."""

    __slots__ = ("text", "offs", "removed")

    def __init__(self, text: str):
        self.text = text
        n = len(text)
        # 8 bytes an offset in an array, against a pointer and an int object (36 bytes) in a list;
        # a list is quicker to build and slice, so short texts keep one (6M characters: peak RSS of
        # `huibao clean` 529 -> 333 MB; a list made 1,000 reports clean 8% faster than an array)
        self.offs: list[int] | array[int] = array("q", range(n)) if n >= COMPACT_OFFSETS_FROM else list(range(n))
        self.removed: list[dict[str, Any]] = []

    def delete(self, spans: list[tuple[int, int, str]], record: bool = True) -> None:
        """Drop ``[start, end)`` spans of the current text; overlapping spans merge."""
        if not spans:
            return
        spans = sorted(spans)
        merged: list[list[Any]] = []
        for s, e, name in spans:
            if s >= e:
                continue
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e, name])
        if record:  # one entry per rule match, clipped where an earlier match already took it
            done = 0
            for s, e, name in spans:
                s = max(s, done)
                if s < e:
                    self.removed.append({"start": self.offs[s], "end": self.offs[e - 1] + 1, "rule": name})
                    done = e
        parts: list[str] = []
        offs = self.offs[:0]  # of the same type: a list, or for a long text an array
        pos = 0
        for s, e, _name in merged:
            parts.append(self.text[pos:s])
            offs.extend(self.offs[pos:s])
            pos = e
        parts.append(self.text[pos:])
        offs.extend(self.offs[pos:])
        self.text = "".join(parts)
        self.offs = offs


def _lines(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, end_with_newline)`` of every line."""
    out = []
    for m in _LINE.finditer(text):
        s, e = m.span()
        if s == e:
            break
        out.append((s, e - 1 if text[e - 1] == "\n" else e, e))
    return out


# ---------------------------------------------------------------- stage 1: glosses
def _strip_glosses(w: _Work, rules: Rules) -> int:
    spans = [(m.start(), m.end(), "pinyin_gloss") for m in rules.gloss.finditer(w.text)]
    spans += [(m.start(), m.end(), "pinyin_gloss_remnant") for m in rules.gloss_remnant.finditer(w.text)]
    if len(spans) >= rules.toneless_min_glosses:
        spans += [(m.start(), m.end(), "pinyin_gloss") for m in rules.gloss_toneless.finditer(w.text)]
    w.delete(spans)
    return len(spans)


def strip_glosses(text: str, rules: Rules | None = None) -> str:
    """Text without pinyin glosses (a convenience over the gloss stage).

    >>> strip_glosses("區(qū)婦聯(lián)開展(PPP)項目, GDP(國內)")
    '區婦聯開展(PPP)項目, GDP(國內)'
    >>> strip_glosses("思想?yún)R報")
    '思想報'
    """
    w = _Work(text)
    _strip_glosses(w, rules or RULES)
    return w.text


# ---------------------------------------------------------------- stage 2: script
def _proportional(offs: list[int], n_out: int) -> list[int]:
    """Map ``n_out`` output characters onto the raw offsets of a segment whose length changed.

    Output char j takes the offset of input char ``j * n_in // n_out``: inside the segment's
    raw span and non-decreasing, which is all a length-changing phrase conversion allows.

    >>> _proportional([10, 11, 12], 2)
    [10, 11]
    >>> _proportional([10, 11], 3)
    [10, 10, 11]
    """
    n_in = len(offs)
    return [offs[j * n_in // n_out] for j in range(n_out)]


def _convert(w: _Work) -> None:
    """Replace the text by its t2s conversion, run of Han characters by run.

    Phrases never cross a non-Han character, so converting runs gives the same text as
    converting the whole; and a run whose length changed (or changed and changed back)
    keeps every offset inside that run's raw span.
    """
    texts: list[str] = []
    offs = w.offs[:0]
    for m in _RUNS.finditer(w.text):
        run = m.group()
        roffs = w.offs[m.start():m.end()]
        conv = _T2S.convert(run) if _HAN.match(run) else run
        texts.append(conv)
        offs.extend(roffs if len(conv) == len(run) else _proportional(roffs, len(conv)))
    w.text = "".join(texts)
    w.offs = offs


def _traditional_chars() -> frozenset[str]:
    """Han characters that OpenCC t2s changes on their own: a cheap first test of the script."""
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    converted = _T2S.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # cannot pair them up: no shortcut, always convert
        return frozenset(chars)
    return frozenset(a for a, b in zip(chars, converted) if a != b)


_TRADITIONAL = _traditional_chars()
#: the same test as one character class: ``re`` scans a 6,000-character sample for it in ~10 µs,
#: ``frozenset.isdisjoint`` took ~100 (and ``regex``, slow on a class this size, ~3,600)
_TRADITIONAL_RE = re.compile("[" + re.escape("".join(sorted(_TRADITIONAL))) + "]")


def _script(w: _Work, rules: Rules) -> str:
    """Convert to simplified when a sample reads as traditional; return the script found."""
    sample = w.text[:SCRIPT_SAMPLE]
    # most reports are simplified: skip the phrase conversion when no character could change
    if _TRADITIONAL_RE.search(sample) is None:
        return "simplified"
    conv = _T2S.convert(sample)
    han = len(_HAN.findall(sample))
    # position-wise count; a rare length-changing phrase shifts the rest, so count that
    # sample's changes from its first line only (enough for a script decision)
    if len(conv) != len(sample):
        sample = sample.split("\n", 1)[0]
        conv = _T2S.convert(sample)
    changed = sum(map(str.__ne__, sample, conv))
    if han and changed >= rules.traditional_min_changes and changed / han >= rules.traditional_min_ratio:
        _convert(w)
        return "traditional"
    return "simplified"


def to_halfwidth(text: str) -> str:
    """Full-width digits, Latin letters and number symbols to half-width; Chinese punctuation stays.

    >>> to_halfwidth("增长１０％，Ｒ＆Ｄ投入３．５亿元（同比）")
    '增长10%，R&D投入3.5亿元（同比）'
    """
    return _WIDTH_RUN.sub(lambda m: m.group().translate(_WIDTH), text)


# ---------------------------------------------------------------- stage 4: boilerplate
def _int(m: regex.Match[str], group: str) -> int | None:
    try:
        v = m.group(group)
    except IndexError:
        return None
    return int(v) if v else None


def _paywall(w: _Work, rules: Rules, meta: dict[str, Any], present: frozenset[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    missing = 0
    for rule in rules.scoped("paywall"):
        if not rule.may_match(w.text, present):
            continue
        for m in rule.pattern.finditer(w.text):
            if any(s < m.end() and m.start() < e for s, e, _ in spans):
                continue  # the same notice, already read by an earlier (longer) rule
            spans.append((m.start(), m.end(), rule.name))
            meta["truncated"] = True
            meta.setdefault("truncated_by", "notice")
            total, shown, miss = _int(m, "total"), _int(m, "shown"), _int(m, "missing")
            if total is not None:
                meta["total_chars"] = total
            if shown is not None:
                meta["shown_chars"] = shown
            # Missing characters ADD UP over notices: a page can hide a middle passage
            # ("省略643字") and also cut its end ("全文共3011字，当前只显示1673字"). Whether the
            # site's 1673 already excludes the 643 cannot be told from the page (on the seed
            # page the visible text is ~1230 characters, matching neither reading), so we
            # take the sum: an upper bound that never under-reports what an auditor misses.
            if miss is not None:
                missing += miss
            elif total is not None and shown is not None and total >= shown:
                missing += total - shown
    if missing:
        meta["missing_chars"] = missing
    return spans


def _inline_and_tail(w: _Work, rules: Rules, present: frozenset[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for rule in rules.scoped("inline"):
        if rule.may_match(w.text, present):
            spans += [(m.start(), m.end(), rule.name) for m in rule.pattern.finditer(w.text) if m.end() > m.start()]
    n = len(w.text)
    min_pos = rules.h.get("tail_min_fraction", 0.3) * n
    for rule in rules.scoped("tail"):
        if not rule.may_match(w.text, present):
            continue
        for m in rule.pattern.finditer(w.text):
            if m.start() >= min_pos:
                spans.append((m.start(), n, rule.name))
                break
            # early in the page (a nav bar above the article): only the rest of that line
            eol = w.text.find("\n", m.start())
            spans.append((m.start(), n if eol < 0 else eol, rule.name))
    return spans


def _is_menu_line(line: str, h: dict[str, Any]) -> bool:
    """Short tokens only, no digits, no sentence punctuation: a nav menu (not a spaced heading)."""
    if len(line) > h.get("menu_max_len", 60) or _SENTENCE_PUNCT.search(line) or _DIGIT.search(line):
        return False
    tokens = [t for t in _MENU_SPLIT.split(line) if t]
    if len(tokens) < h.get("menu_min_tokens", 4):
        return False
    if all(len(t) == 1 for t in tokens):  # "政 府 工 作 报 告": a spaced-out heading
        return False
    if len({len(t) for t in tokens}) == 1 and len(tokens[0]) in h.get("slogan_token_lens", ()):
        return False  # "巾帼建新功 家庭添和美 乡村更振兴 妇女更出彩": a headline of parallel phrases
    return all(len(t) <= h.get("menu_max_token_len", 6) for t in tokens)


def _is_repeat_candidate(line: str, h: dict[str, Any]) -> bool:
    # two characters at least: single-character lines are PDF table cells split apart
    return (2 <= len(line) <= h.get("repeat_max_len", 20) and bool(_HAN.search(line))
            and not _SENTENCE_PUNCT.search(line) and not _DIGIT.search(line)
            and not _LABEL_VALUE.search(line))


def _line_rules(w: _Work, rules: Rules, fmt: str) -> list[tuple[int, int, str]]:
    h = rules.h
    page = fmt in h.get("page_formats", ("txt", "html"))
    # tested on this text (the deletions before may have joined a required string): a few rules
    line_rules = [r for r in rules.scoped("line") if r.min_run == 1 and r.may_match(w.text)]
    lines = _lines(w.text)
    stripped = [w.text[s:e].strip() for s, e, _ in lines]
    drop: dict[int, str] = {}
    for i, line in enumerate(stripped):
        if not line:
            continue
        for rule in line_rules:
            if len(line) <= rule.max_len and rule.pattern.search(line):
                drop[i] = rule.name
                if rule.also_next:
                    j = i + 1
                    while j < len(lines) and not stripped[j]:
                        j += 1
                    if j < len(lines) and len(stripped[j]) <= h.get("label_value_max_len", 30):
                        drop[j] = rule.name
                break
        else:
            nxt = _next_line(stripped, i, 1)
            subtitled = nxt < len(stripped) and bool(_SUBTITLE.match(stripped[nxt]))  # a headline above its ——subtitle
            # a table's header row above the |---|---| rule of the HTML loader's table rows
            subtitled = subtitled or (nxt < len(stripped) and bool(_TABLE_RULE.match(stripped[nxt])))
            if page and not subtitled and _is_menu_line(line, h):
                drop[i] = "menu_line"
    _runs(rules, stripped, drop, w.text)
    _breadcrumb_neighbours(stripped, drop, h)
    if not page:
        return [(lines[i][0], lines[i][2], name) for i, name in drop.items()]
    counts = Counter(line for line in stripped if _is_repeat_candidate(line, h))
    seen: set[str] = set()
    for i, line in enumerate(stripped):
        if i in drop:
            continue
        if counts.get(line, 0) >= h.get("repeat_min_count", 3):
            drop[i] = "repeated_line"
        elif len(line) >= h.get("dup_min_len", 8) and not _LABEL_VALUE.search(line):
            # "单位：元 币种：人民币" above every table is context for its figures, not a copy
            if line in seen:
                drop[i] = "duplicate_line"
            seen.add(line)
    _teasers(stripped, drop, h)
    return [(lines[i][0], lines[i][2], name) for i, name in drop.items()]


def _next_line(stripped: list[str], i: int, step: int) -> int:
    """The index of the next non-blank line from ``i`` in direction ``step``; -1 or len() past the edge."""
    j = i + step
    while 0 <= j < len(stripped) and not stripped[j]:
        j += step
    return j


def _runs(rules: Rules, stripped: list[str], drop: dict[int, str], text: str) -> None:
    """Line rules with ``min_run``: lines that match go only in runs of that many in a row (blank
    lines between do not break a run): a list of dated headlines, not one dated line of a report."""
    for rule in rules.scoped("line"):
        if rule.min_run == 1 or not rule.may_match(text):
            continue
        run: list[int] = []
        for i, line in enumerate(stripped + ["\0"]):  # a sentinel closes the last run
            if not line:
                continue
            if i < len(stripped) and i not in drop and len(line) <= rule.max_len and rule.pattern.search(line):
                run.append(i)
                continue
            if len(run) >= rule.min_run:
                drop.update(dict.fromkeys(run, rule.name))
            run = []


_SEPARATOR = regex.compile(r"[>»›→]")
_SUBTITLE = regex.compile(r"^(?:——|—|--)")
#: the rule under a table's header row as trafilatura writes HTML tables: |---|---|---|
_TABLE_RULE = regex.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")


def _breadcrumb_neighbours(stripped: list[str], drop: dict[int, str], h: dict[str, Any]) -> None:
    """A breadcrumb split over lines: "您所在的位置:" / "某某新闻> 基层互动" / "> 正文", or "首页" / ">" /
    "信息公开". From each breadcrumb line, a neighbour goes too when it is short, has no sentence
    punctuation, and holds a separator (or the breadcrumb line is a lone separator), line after line."""
    todo = [i for i, name in drop.items() if name == "breadcrumb"]
    while todo:
        i = todo.pop()
        lone = bool(regex.fullmatch(r"[>»›→]+", stripped[i]))
        for step in (-1, 1):
            j = _next_line(stripped, i, step)
            if not 0 <= j < len(stripped) or j in drop or _SENTENCE_PUNCT.search(stripped[j]):
                continue
            if ((lone and len(stripped[j]) <= h.get("breadcrumb_max_len", 15))
                    or (_SEPARATOR.search(stripped[j]) and len(stripped[j]) <= h.get("breadcrumb_part_max_len", 30))):
                drop[j] = "breadcrumb"
                todo.append(j)


def _nows(s: str) -> str:
    return "".join(s.split())


def _teasers(stripped: list[str], drop: dict[int, str], h: dict[str, Any]) -> None:
    """A teaser: a long line that the next line repeats and goes on from (document libraries show the
    opening of the text, cut mid-sentence, above the text itself); its figures would count twice."""
    min_len = h.get("teaser_min_len", 30)
    for i, line in enumerate(stripped):
        if len(line) < min_len or i in drop:
            continue
        j = _next_line(stripped, i, 1)
        if (j < len(stripped) and len(stripped[j]) > len(line) and j not in drop and stripped[j][0] == line[0]
                and _nows(stripped[j]).startswith(_nows(line))):
            drop[i] = "teaser_line"


def _leftover_lines(w: _Work) -> list[tuple[int, int, str]]:
    """Lines that inline removals left holding only bullets and separators."""
    return [(s, e2, "leftover") for s, e, e2 in _lines(w.text)
            if e > s and not w.text[s:e].isspace() and _BULLET_ONLY.fullmatch(w.text, s, e)]


# ---------------------------------------------------------------- stage 5: whitespace
def _whitespace(w: _Work) -> None:
    """Strip every line, collapse layout runs to one space, keep at most one blank line in a row."""
    texts: list[str] = []
    offs = w.offs[:0]
    blank = 0
    for s, e, e2 in _lines(w.text):
        line = w.text[s:e]
        lstrip = len(line) - len(line.lstrip())
        rstrip = len(line.rstrip())
        if rstrip <= lstrip:  # blank line
            if texts and e2 > e:
                blank += 1
                if blank == 1:
                    texts.append("\n")
                    offs.append(w.offs[e])
            continue
        blank = 0
        pos = s + lstrip
        for m in _HSPACE.finditer(w.text, pos, s + rstrip):
            texts.append(w.text[pos:m.start()])
            offs.extend(w.offs[pos:m.start()])
            texts.append(" ")
            offs.append(w.offs[m.start()])
            pos = m.end()
        texts.append(w.text[pos:s + rstrip])
        offs.extend(w.offs[pos:s + rstrip])
        if e2 > e:
            texts.append("\n")
            offs.append(w.offs[e])
    text = "".join(texts)
    # the first paragraph break after a line already ends it: "x\n" + "\n" is the one blank line
    while text.endswith("\n"):
        text, offs = text[:-1], offs[:-1]
    w.text, w.offs = text, offs


def _ends_mid_sentence(w: _Work, rules: Rules) -> bool:
    """The kept text stops mid-sentence: a preview or a capture cut off.

    Its last line ends on a comma, colon or opening bracket just before removed furniture; or,
    furniture or not, it is a line of prose (``cut_min_line_len`` characters at least, with
    sentence punctuation inside) that ends on a character, a digit, such a mark, or a cut marker
    (``joins.cut_marker``: 智慧...). Short last lines (a signature, a date, a photo caption
    without punctuation) end a complete report that way; but none ends on a comma, an enumeration
    mark or an opening bracket (据统计，), on a quote or bracket left open (开展“巾帼建), on a figure's
    digits with Chinese before them (共发放救助金12), nor on a top-level section heading (二、存在的问题).
    """
    body = w.text.rstrip()
    if not body:
        return False
    last = body.rsplit("\n", 1)[-1].strip()
    prose = len(last) >= rules.h.get("cut_min_line_len", 40) and bool(_SENTENCE_PUNCT.search(last, 0, len(last) - 1))
    cut = rules.joins.get("cut_marker")
    if prose and (last[-1].isalnum() or _CUT_END.search(last) or (cut is not None and cut.search(last))):
        return True  # isalnum: a Han character, a digit or a letter
    if _OPEN_END.search(last) or (_TOP_HEADING.match(last) and not _SENTENCE_PUNCT.search(last)
                                  and last[-1] not in _LINE_END and "\n" in body):
        return True
    open_quote = last.count("“") > sum(map(last.count, '”"〞」'))  # closers as OCR and scrapes write them
    open_bracket = last.count("（") > last.count("）") + last.count(")")
    cut_figure = (last[-1].isdigit() and bool(_HAN.search(last)) and not _DATE_OR_CODE.search(last)
                  and "\t" not in last and not _TABLE_ROW.search(last))  # a table's last row ends a report
    if "\n" in body and (open_quote or open_bracket or cut_figure):
        return True  # 开展“巾帼建, 共发放救助金12
    if not _CUT_END.search(last):
        return False
    last_raw = w.offs[len(body) - 1]
    return any(r["start"] > last_raw and not r["rule"].startswith("pinyin") for r in w.removed)


#: a PDF line at least this share of a full line's length that stops without closing
#: punctuation was wrapped at the margin (full = the 75th percentile of line lengths)
WRAP_MIN_SHARE = 0.8
_LINE_END = "。！？!?；;：:”」』）)"
_NEW_PARAGRAPH = regex.compile(r"^(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十\d]+[章节条部分])")


def _hard_wrapped(w: _Work, h: dict[str, Any]) -> bool:
    """Web text with hard line breaks at a fixed width (yearbooks, chronicles and other scanned books
    put online): most full-width lines stop without closing punctuation, mid-word or mid-number."""
    lines = [ln for ln in (x.strip() for x in w.text.split("\n")) if ln]
    if len(lines) < h.get("wrap_min_lines", 6):
        return False
    full = sorted(map(len, lines))[int(len(lines) * 0.75)]
    if full > h.get("wrap_max_width", 120):
        return False
    wide = [ln for ln in lines if len(ln) >= WRAP_MIN_SHARE * full]
    open_ = sum(ln[-1] not in _LINE_END for ln in wide)
    return open_ >= h.get("wrap_min_lines", 6) and open_ >= h.get("wrap_min_share", 0.6) * len(wide)


def _page_breaks(w: _Work, rules: Rules) -> list[tuple[int, int, str]]:
    r"""Where a document site's page break cut a sentence, the pieces join again.

    A page marker (``joins.page_marker``: the "2、" that 文库 sites put at each page's start) after
    a long line that stops mid-sentence goes, with the line break before it (巾帼\n2、科技 ->
    巾帼科技); a number cut by a bare page break joins without the break (补贴3\n\n3.8万元 ->
    补贴33.8万元, when the next line starts as ``joins.number_continues`` says). A list item "2、"
    after a finished sentence is left alone.

    >>> page = "开展巾帼科技示范基地创建活动，把创建活动作为带动农村妇女致富的民心工程，" * 3
    >>> w = _Work(page + "培树了一个自治区级巾帼\n2、科技示范基地。\n")
    >>> w.delete(_page_breaks(w, RULES)); w.text[len(page):]
    '培树了一个自治区级巾帼科技示范基地。\n'
    """
    marker, number = rules.joins.get("page_marker"), rules.joins.get("number_continues")
    min_len = rules.h.get("page_min_line", 100)
    spans: list[tuple[int, int, str]] = []
    prev = ""
    prev_end = 0
    for s, e, _e2 in _lines(w.text):
        line = w.text[s:e]
        stripped = line.strip()
        if not stripped:
            continue
        if len(prev) >= min_len and prev[-1].isalnum() and _SENTENCE_PUNCT.search(prev):
            lead = s + len(line) - len(line.lstrip())
            if marker is not None and (m := marker.match(w.text, lead, e)) and m.end() < e:
                spans.append((prev_end, m.end(), "page_marker"))
            elif prev[-1].isdigit() and number is not None and number.match(w.text, lead, e):
                spans.append((prev_end, lead, "page_break"))
        prev = stripped
        prev_end = s + len(line.rstrip())
    return spans


#: a PDF table row: three cells at least, apart by spaces, the last a number (指标 单位 8.6 -3.2)
_TABLE_ROW = regex.compile(r"^\S+(?:[ \t\u3000]+\S+)+[ \t\u3000]+[-+]?\d[\d.,]*%?$")
_EDGE_DIGITS = regex.compile(r"\d+")
_EDGE_SPACE = regex.compile(r"\s+")


def _edge_key(line: str) -> str:
    """What a running line's copies share: its text without spaces, its digits as # (第3页 共12页)."""
    return _EDGE_DIGITS.sub("#", _EDGE_SPACE.sub("", line))


def _running_lines(w: _Work, starts: list[int], h: dict[str, Any]) -> list[tuple[int, int, str]]:
    r"""A PDF's running headers and footers: a short line among the first or last
    ``running_edge_lines`` lines of at least two pages and of half the pages (its digits aside:
    第3页 共12页, 某某统计公报 — 3 —). They go from every page, so a sentence or a number cut by a
    page break meets its rest again; but page 1 keeps its first top copy when it has no copy
    of it below its edge lines (the report's title, printed again as the header of the pages after it).

    >>> pages = ["统计公报\n全年地区生产总值3521.6亿元，其中税收收入18", "统计公报\n7.9亿元。"]
    >>> raw = RawDocument("a.pdf", "pdf", "\n".join(pages), pages=[0, len(pages[0]) + 1])
    >>> w = _Work(raw.text); w.delete(_running_lines(w, raw.pages, {})); w.text
    '统计公报\n全年地区生产总值3521.6亿元，其中税收收入18\n7.9亿元。'
    """
    n = len(starts)
    if n < 2:
        return []
    edge, max_len = h.get("running_edge_lines", 2), h.get("running_max_len", 40)
    bounds = [*starts, len(w.text) + 1]
    zones: list[list[tuple[str, int, int, bool]]] = []  # per page: (key, start, end, top)
    for p in range(n):
        lines = [(s, e2) for s, e, e2 in _lines(w.text[bounds[p]:bounds[p + 1] - 1])
                 if w.text[bounds[p] + s:bounds[p] + e].strip()]
        picked = {i: i < edge for i in [*range(min(edge, len(lines))), *range(max(0, len(lines) - edge), len(lines))]}
        zone = []
        for i, top in picked.items():
            s, e2 = lines[i]
            line = w.text[bounds[p] + s:bounds[p] + e2].strip()
            if len(line) <= max_len:
                key = _edge_key(line)
                end = bounds[p] + e2
                end += end < len(w.text) and w.text[end] == "\n"  # a page's last line: the break after it
                zone.append((key, bounds[p] + s, end, top))
        zones.append(zone)
    pages_of = Counter(k for zone in zones for k in {z[0] for z in zone})
    numbers: dict[str, set[tuple[int, str]]] = {}  # the digit runs of a key's lines, by position
    for zone in zones:
        for key, s, e, _top in zone:
            numbers.setdefault(key, set()).update(enumerate(_EDGE_DIGITS.findall(w.text, s, e)))
    # the page counter varies from page to page, the rest does not: a table's 合计 row at the
    # foot of several pages, with other figures on each, is no footer
    running = {k for k, c in pages_of.items() if c >= 2 and c >= n / 2
               and sum(v > 1 for v in Counter(i for i, _ in numbers[k]).values()) <= 1}
    first = Counter(_edge_key(ln) for ln in w.text[:bounds[1] - 1].split("\n"))
    first.subtract(z[0] for z in zones[0])  # copies on page 1 outside its edge lines
    spans: list[tuple[int, int, str]] = []
    for p, zone in enumerate(zones):
        for key, s, e, top in sorted(zone, key=lambda z: z[1]):
            if key not in running:
                continue
            if p == 0 and top and first[key] < 1:  # page 1 keeps one top copy when it has no other
                first[key] = 1
                continue
            spans.append((s, e, "running_header_footer"))
    return spans


def _counter_pages(text: str, rules: Rules) -> list[int]:
    r"""Where the pages of a text without page breaks start: after each page counter line
    (``page_number_line``: 第 3 页 共 12 页, — 3 —), when it has two at least.

    >>> _counter_pages("标题\n甲\n— 1 —\n标题\n乙\n— 2 —\n标题\n丙\n", RULES)
    [0, 11, 22]
    """
    counter = next((r for r in rules.scoped("line") if r.name == "page_number_line"), None)
    if counter is None:
        return []
    ends = [e2 for s, e, e2 in _lines(text) if counter.pattern.search(text[s:e].strip())]
    starts = [0, *(e for e in ends if e < len(text.rstrip()))]
    return starts if len(starts) >= 3 else []


def _wrapped_lines(w: _Work, across_blank: bool = True) -> list[tuple[int, int, str]]:
    r"""Line breaks a PDF text layer put at the page margin, mid-sentence and even mid-number
    (继\n续实施, 7\n0多万元): the newline goes, so sentences and figures are whole again.

    >>> w = _Work("全县共建成儿童之家一百六十五个，覆盖全\n部行政村。\n二、主要做法\n")
    >>> w.delete(_wrapped_lines(w), record=False); w.text
    '全县共建成儿童之家一百六十五个，覆盖全部行政村。\n二、主要做法\n'
    """
    lines = w.text.split("\n")
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    if not lengths:
        return []
    full = lengths[int(len(lengths) * 0.75)]
    spans: list[tuple[int, int, str]] = []
    # (start, text) of each line with text: in a PDF a blank line between two (a page break whose
    # footer went) is no paragraph break when the line before stops mid-sentence; in web text it is
    kept = []
    pos = 0
    for line in lines:
        if line.strip() or not across_blank:
            kept.append((pos, line))
        pos += len(line) + 1
    last = max((k for k, (_p, line) in enumerate(kept) if line.strip()), default=0)
    for k, ((pos, line), (npos, nxt)) in enumerate(zip(kept, kept[1:]), 1):
        s, n = line.rstrip(), nxt.lstrip()
        if not s or not n:
            continue
        # digits on both sides join only inside prose: table rows end and start with numbers
        table_like = s[-1:].isdigit() and n[:1].isdigit() and len(_HAN.findall(s)) < len(s) / 2
        table_like = table_like or bool(_TABLE_ROW.search(s))
        # a short line that stops without closing punctuation stands alone: the issuer under a
        # title, a table row; a wrapped sentence goes on full width or to its end (or to the
        # end of a text cut short)
        alone = (k < last and len(n.rstrip()) < WRAP_MIN_SHARE * full
                 and n.rstrip()[-1] not in _LINE_END)
        if (s[-1] not in _LINE_END and len(s) >= WRAP_MIN_SHARE * full
                and not _NEW_PARAGRAPH.match(n) and not table_like and not alone):
            spans.append((pos + len(s), npos + len(nxt) - len(n), "pdf_line_wrap"))
    return spans


def clean(raw: RawDocument, rules: Rules | None = None) -> Document:
    """The cleaned, simplified text of ``raw`` with its offset map and cleaning metadata.

    ``meta``: ``script`` (traditional/simplified), ``truncated`` (a paywall or preview notice,
    or the text stops mid-sentence: ``truncated_by`` says which), ``missing_chars``, ``total_chars``,
    ``shown_chars`` (when a notice gives them), ``glosses`` (pinyin glosses removed) and
    ``removed`` (``{"start", "end", "rule"}`` raw spans).

    >>> doc = clean(RawDocument("a.txt", "txt", "下载\\n打印\\n區(qū)婦聯共有兒童之家１２５個。\\n"))
    >>> doc.text, doc.meta["script"], doc.meta["glosses"]
    ('区妇联共有儿童之家125个。', 'traditional', 1)
    >>> doc.raw.text[doc.offsets[0]], len(doc.offsets) == len(doc.text) + 1
    ('區', True)
    """
    rules = rules or RULES
    w = _Work(raw.text.replace("\r", " ") if "\r" in raw.text else raw.text)
    meta: dict[str, Any] = {"truncated": False}
    if raw.format == "pdf":
        w.delete(_running_lines(w, raw.pages, rules.h))
    converted = False  # a PDF turned into Word: its page counters, running heads and lines as text
    if raw.format in ("docx", "doc") and (starts := _counter_pages(w.text, rules)):
        converted = True
        w.delete(_running_lines(w, starts, rules.h))
    meta["glosses"] = _strip_glosses(w, rules)
    meta["script"] = _script(w, rules)
    w.text = _WIDTH_RUN.sub(lambda m: m.group().translate(_WIDTH), w.text)
    present = rules.requires.present(w.text)
    spans = _paywall(w, rules, meta, present)
    spans += _inline_and_tail(w, rules, present)
    w.delete(spans)
    w.delete(_line_rules(w, rules, raw.format))
    w.delete(_leftover_lines(w))
    page = raw.format in rules.h.get("page_formats", ("txt", "html"))
    if page:
        w.delete(_page_breaks(w, rules))
    if raw.format == "pdf" or ((page or converted) and _hard_wrapped(w, rules.h)):
        w.delete(_wrapped_lines(w, across_blank=raw.format == "pdf"), record=False)
    if not meta["truncated"] and _ends_mid_sentence(w, rules):
        meta["truncated"] = True
        meta["truncated_by"] = "ends_mid_sentence"
    _whitespace(w)
    meta["removed"] = sorted(w.removed, key=lambda r: (r["start"], r["end"]))
    w.offs.append(len(raw.text))
    return Document(raw=raw, text=w.text, offsets=w.offs, meta=meta)
