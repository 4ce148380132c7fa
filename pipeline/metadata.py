"""Stage 3: what a report says about itself (title, issuing body, place, year, dates).

``document_metadata(doc)`` reads the clean text, the raw text and the furniture the cleaner removed
(``doc.meta["removed"]``: bylines, mastheads, breadcrumbs, upload file names). Stages, in order:

1. **title**: the first of the leading lines that ends with a genre word (报告, 总结, 汇报 ...),
   also where a site glued the body to it (…工作要点一、…); else the upload file name a document
   site printed (removed as furniture); else the page's own title (HTML); else, outside government
   reports, the news headline: the first leading line before the prose that reads as one.
2. **dates**: ``delivered`` (——2026年1月25日在…会议上), ``published`` (发布日期/时间 labels, a
   byline's clock-time stamp 2016-11-21 13:03 / 22.02.2018 16:11, a dateline's month and day
   completed by a full date of the page), ``updated`` (更新时间为…).
3. **genre**: ``gov_report`` | ``summary`` | None; a page is **news** when the cleaner removed a
   reporter's credit, stamp or masthead, or its lead opens with a dateline (某某报讯, 4月14日，).
4. **org** and **region**: from the government opening (我代表…人民政府, speaker line); else the
   first federation or bureau (妇联, 妇女联合会, 妇儿工委, 民政局 ...) *acting* in the title and
   headline lines, then in a news item's lead or another text's head, then (not news) one named
   with its place anywhere; one only mentioned (记者从市妇联获悉, 听取了, 以下简称, 省妇联副主席) or
   collective (全市妇联, 各级妇联) is no issuer. Then a title or a line that is just a body's name.
   Without the issuer's place: the place of the title's parts, the dateline and the removed
   masthead/byline/breadcrumb (weight 2) and of names counted in the body (weight 1), at its most
   specific (siblings named alike give their parent; a text speaking only of 全市 is about the
   city); a bare 市妇联 then takes that place's name. A redacted place (*区, XX县) stays unknown.
5. **level** from the division's rank or the issuer's place word.
6. **year** (title, delivery date, review/plan headings, date line, a head sentence opening with a
   year and the issuer (not news), a news item's publication date, as-of date, file name; the source
   is kept in ``year_source``) and **reviews**, the year a report's review part is about.
7. **placeholders**: how many redacted placeholders (*名, X个, XX县) the clean text holds.

Divisions are GB/T 2260 (codes and names from cpca's bundled table, see ``data/regions.toml``).
Cue words and patterns are in ``data/metadata.toml``.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pipeline.settings import load_data
from pipeline.types import Document, HuibaoError

# Years a report may name: the PRC's statistics start in 1949; later years are plan horizons.
MIN_YEAR, MAX_YEAR = 1949, 2100

_CJK = "\\u4e00-\\u9fff"
_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d\d)\s*年")
_FILE_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d\d)(?![0-9A-Za-z])")
_REVIEW_HEADING = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]\s*((?:19|20)\d\d)\s*年[^\n]{0,12}?(?:工作)?回顾", re.M)
_PLAN_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,2}\s*[、.．]\s*)?((?:19|20)\d\d)\s*年[^\n]{0,16}?"
    r"(?:工作安排|重点工作|主要工作|工作任务|政府工作任务|总体要求)", re.M)
_SPACED_CJK = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=[{_CJK}])")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_CN_YEAR = re.compile(r"([一二][〇零○一二三四五六七八九]{3})\s*年")  # 二〇一九年


# ---------------------------------------------------------------- divisions


@dataclass(frozen=True)
class Division:
    """One GB/T 2260 division: code, name, rank (0 province, 1 prefecture, 2 county) and full path."""

    code: str
    name: str
    rank: int
    path: str  # 内蒙古自治区呼伦贝尔市海拉尔区

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    def within(self, other: Division) -> bool:
        return self.code.startswith(other.code[: 2 * (other.rank + 1)])


@dataclass
class _Index:
    by_code: dict[str, Division]
    names: dict[str, list[Division]]  # full and short names -> divisions
    short_only: set[str]  # names that are short forms (not the official name)
    max_len: int
    aliases: frozenset[str] = frozenset()  # later names read as the table's (宁乡市, 湘西州): anchored only


def short_name(name: str, suffixes: list[str]) -> str | None:
    """The short form a report uses for a division, or None when stripping leaves under 2 characters.

    >>> sf = ["自治区", "自治州", "省", "市", "区", "县"]
    >>> short_name("海拉尔区", sf), short_name("内蒙古自治区", sf), short_name("恩施土家族苗族自治州", sf)
    ('海拉尔', '内蒙古', '恩施')
    >>> short_name("城区", sf) is None
    True
    """
    for suf in suffixes:
        if name.endswith(suf) and len(name) > len(suf):
            stem = name[: -len(suf)]
            if suf.startswith("自治") or suf.endswith("自治区"):
                if m := re.match(rf"^([{_CJK}]{{2,}}?)(?:[{_CJK}]{{1,3}}族)+$", stem):
                    stem = m.group(1)
            return stem if len(stem) >= 2 else None
    return None


@cache
def _index() -> _Index:
    cfg = load_data("pipeline", "regions")
    try:
        from importlib import resources

        raw = resources.files("cpca").joinpath("resources", "adcodes.csv").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as e:
        raise HuibaoError(f"region lookup needs the division table of the cpca package "
                          f"(pip install cpca): {e}") from None
    rows = [(r["adcode"][:6], r["name"]) for r in csv.DictReader(io.StringIO(raw))]
    skip = set(cfg["skip_names"])
    names_by_code = {code: name for code, name in rows if name not in skip}
    by_code: dict[str, Division] = {}
    for code, name in names_by_code.items():
        rank = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
        parts = [names_by_code.get(code[:2] + "0000", "")]
        if rank >= 1:
            parts.append(names_by_code.get(code[:4] + "00", "") if rank == 2 else name)
        if rank == 2:
            parts.append(name)
        path = "".join(dict.fromkeys(p for p in parts if p))
        by_code[code] = Division(code, name, rank, path)
    for new, old in cfg["renamed_since_table"].items():  # 郫县 -> 郫都区: the division under its new name
        for code, d in list(by_code.items()):
            if d.name == old and d.rank == 2:
                by_code[code] = Division(code, new, d.rank, d.path[: len(d.path) - len(old)] + new)
    names: dict[str, list[Division]] = {}
    short_only: set[str] = set()
    for d in by_code.values():
        names.setdefault(d.name, []).append(d)
    for d in by_code.values():
        s = short_name(d.name, cfg["suffixes"])
        if s and s not in names:
            short_only.add(s)
        if s and d not in names.get(s, []):
            names.setdefault(s, []).append(d)
    for old, new in cfg["renames"].items():
        names[old] = list(names.get(new, []))
    for new, old in cfg["renamed_since_table"].items():
        names.setdefault(old, list(names.get(new, [])))
    # a county become a city or district under the same stem (宁乡县 -> 宁乡市, 临安市 -> 临安区): the
    # new name reads as the county, where no division has it already
    aliases: dict[str, list[Division]] = {}
    common = set(cfg["common_word_short_names"])  # 大城县 -> 大城市, 新兴县 -> 新兴市(场): words, not places
    for d in by_code.values():
        if d.rank == 2 and d.name[-1:] in cfg["county_alias_from"] and len(d.name) >= 3:
            for suffix in cfg["county_alias_to"]:
                alias = d.name[:-1] + suffix
                if alias not in names and d.name[:-1] not in common:
                    aliases.setdefault(alias, []).append(d)
        for long, word in cfg["autonomous_alias"].items():  # 湘西土家族苗族自治州 -> 湘西州
            if d.name.endswith(long) and (s := short_name(d.name, cfg["suffixes"])) and s + word not in names:
                aliases.setdefault(s + word, []).append(d)
    names.update(aliases)
    return _Index(by_code, names, short_only, max(map(len, names)), frozenset(aliases))


@cache
def _town_after() -> re.Pattern[str]:
    """A town's level word (镇, 乡, 街道) right after a name."""
    return re.compile("|".join(map(re.escape, load_data("pipeline", "regions")["town_suffixes"])))


@cache
def _town_re() -> re.Pattern[str]:
    """A town's name as a whole word: its stem and level word (石门镇, 周庄镇, 城关街道)."""
    reg = load_data("pipeline", "regions")
    suffixes = "|".join(map(re.escape, reg["town_suffixes"]))
    not_stem = re.escape(reg["town_stem_exclude"])
    return re.compile(rf"(?:(?![{not_stem}])[{_CJK}]){{{reg['town_stem_min']},{reg['town_stem_max']}}}(?:{suffixes})")


def parse_town(s: str) -> tuple[Division | None, str] | None:
    """(the county or city named before it, the town) when ``s`` is a town's name, maybe after its
    county's (昆山市周庄镇); None otherwise. GB/T 2260 stops at counties: a town has no division.

    >>> d, town = parse_town("昆山市周庄镇"); d.name, town
    ('昆山市', '周庄镇')
    >>> parse_town("石门镇"), parse_town("各乡镇"), parse_town("石门县")
    ((None, '石门镇'), None, None)
    """
    d, n = _parse_place(s)
    if _town_re().fullmatch(s, n):
        return d, s[n:]
    return None


def _placeholder_re() -> re.Pattern[str]:
    chars = re.escape(load_data("pipeline", "regions")["placeholder_chars"])
    return re.compile(rf"[{chars}]")


def is_redacted_place(s: str) -> bool:
    """True when a place word is a placeholder (*区, XX县, **乡, xx区).

    >>> is_redacted_place("*区"), is_redacted_place("XX县"), is_redacted_place("海拉尔区")
    (True, True, False)
    """
    return bool(_placeholder_re().match(s.strip()))


def parse_place(s: str, context: Division | None = None) -> Division | None:
    """The most specific division named at the start of ``s`` (contiguous names, each inside the last).

    A name shared by several divisions (朝阳区) is resolved by ``context`` (a division named
    elsewhere in the report) or left unknown. Renamed divisions map to the current one.

    >>> parse_place("内蒙古呼伦贝尔市海拉尔区").path
    '内蒙古自治区呼伦贝尔市海拉尔区'
    >>> parse_place("北京市第十六届人民代表大会").code
    '110000'
    >>> parse_place("朝阳区") is None, parse_place("北京市朝阳区").path
    (True, '北京市朝阳区')
    >>> parse_place("襄樊市").path, parse_place("XX县") is None
    ('湖北省襄阳市', True)
    """
    return _parse_place(s, context)[0]


def _parse_place(s: str, context: Division | None = None) -> tuple[Division | None, int]:
    """``parse_place`` and how many characters of ``s`` the names it read take."""
    if not s or is_redacted_place(s):
        return None, 0
    idx = _index()
    found: Division | None = None
    i = 0
    while i < len(s):
        best: tuple[int, list[Division]] | None = None
        for n in range(min(idx.max_len, len(s) - i), 1, -1):
            cands = idx.names.get(s[i: i + n])
            if cands:
                if found is not None:
                    cands = [c for c in cands if c.within(found) and c.rank > found.rank]
                if cands:
                    best = (n, cands)
                    break
        if best is None:
            break
        n, cands = best
        if s[i: i + n] in idx.short_only and _town_after().match(s, i + n):
            break  # 石门镇 is a town named like 石门县, not the county
        if len(cands) > 1 and context is not None:
            narrowed = [c for c in cands if c.within(context) or context.within(c)]
            cands = narrowed or cands
        if len(cands) > 1:
            # several places share the name: keep the unique broadest if there is one
            top = min(c.rank for c in cands)
            tops = [c for c in cands if c.rank == top]
            if len(tops) != 1 or found is None and context is None and s[i: i + n] not in idx.short_only:
                return found, i
            cands = tops
        found = cands[0]
        i += n
    return found, i


# ---------------------------------------------------------------- helpers


@cache
def _cfg() -> dict[str, Any]:
    return load_data("pipeline", "metadata")


@cache
def _re(section: str, key: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(_cfg()[section][key], flags)


def _iso(y: str, m: str, d: str) -> str | None:
    """ISO date from parts, None when out of range.

    >>> _iso("2026", "1", "25"), _iso("2026", "13", "1")
    ('2026-01-25', None)
    """
    yi, mi, di = int(y), int(m), int(d)
    if not (MIN_YEAR <= yi <= MAX_YEAR and 1 <= mi <= 12 and 1 <= di <= 31):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def _lines(text: str, n: int) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            out.append(line)
            if len(out) >= n:
                break
    return out


def normalise_title(line: str) -> str:
    """A title line without its label, file extension, trailing bars, or spaces between characters.

    >>> normalise_title("政 府 工 作 报 告"), normalise_title("标题:区妇联工作汇报 |")
    ('政府工作报告', '区妇联工作汇报')
    >>> normalise_title("关爱留守妇女工作.doc")
    '关爱留守妇女工作'
    """
    t = line.strip().rstrip("|｜ ").strip()
    t = _re("title", "label_prefix").sub("", t)
    t = _re("title", "file_extension").sub("", t).strip()
    if _letter_spaced(t):
        t = _SPACED_CJK.sub("", t)
    return t


def _letter_spaced(t: str) -> bool:
    """Is every other character of ``t`` a space (政 府 工 作 报 告), not a headline's one gap?

    >>> _letter_spaced("政 府 工 作 报 告"), _letter_spaced("为高质量发展 贡献巾帼力量")
    (True, False)
    """
    gaps = len(_SPACED_CJK.findall(t))
    return gaps >= 2 and gaps * 2 >= len(re.findall(f"[{_CJK}]", t)) - 1


@cache
def _genre_end() -> re.Pattern[str]:
    """A title's end: a genre word, maybe with what 范文 sites append (范文（精选3篇）)."""
    cfg = _cfg()["title"]
    return re.compile(cfg["genre_suffix"] + "(?:" + cfg["genre_decoration"] + ")$")


_SECTION_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、．.]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}\s*[、.．](?!\d))")


def find_title(text: str) -> str | None:
    """The first leading line (or the head of a long first line) that ends with a genre word.

    >>> find_title("下载\\n打印\\n2026年北京市政府工作报告\\n——2026年1月25日在北京市…会议上")
    '2026年北京市政府工作报告'
    >>> find_title("各位代表：\\n现在，我代表国务院，向大会报告政府工作。") is None
    True
    >>> find_title("区妇联关爱留守儿童工作汇报 近年来,*区妇联常态化开展留守儿童关爱服务活动,现将工作情况汇报如下:")
    '区妇联关爱留守儿童工作汇报'
    """
    cfg = _cfg()["title"]
    genre = _genre_end()
    glued = _re("title", "glued_body")
    prev = ""
    for line in _lines(text, cfg["max_lines"]):
        cands = [line, re.split(r"[ \u3000]{1,}(?![ \u3000])", line, maxsplit=1)[0]]
        if (m := glued.search(line, 4)) is not None:
            cands.append(line[: m.start()])  # 工作总结和2023年工作要点一、2022年工作完成情况…
        for cand in cands:
            t = normalise_title(cand)
            if _SECTION_HEADING.match(t):  # "一、基本情况" heads a section, not the report
                continue
            if 4 <= len(t) <= cfg["max_chars"] and genre.search(t) and not re.search(r"[。，,；;！？]", t):
                if cand == line and _federation_line(prev) and not _federation_re().search(t):
                    return prev + t  # a title over two lines: 县妇联 / 2020年工作总结
                return t
        prev = normalise_title(line)
    return None


def _federation_line(line: str) -> bool:
    """Is ``line`` only a federation's or bureau's name (县妇联, 某县民政局), with its place word?"""
    m = _federation_re().search(line)
    found = _place_before(line, m.start()) if m is not None and m.end() == len(line) else None
    return found is not None and found[0] == 0


@cache
def _org_name_re() -> re.Pattern[str]:
    """A line that is only a body's name, its place word before it (岳阳县妇女联合会, 县妇联, 妇女联合会,
    某某县人民政府): use ``fullmatch``."""
    org = _cfg()["org"]
    names = sorted(set(org["federations"]) | set(org["bodies"]), key=len, reverse=True)
    return re.compile(rf"[{_CJK}*＊XxＸｘ×]{{0,16}}(?:{'|'.join(map(re.escape, names))})$")


def _is_prose(line: str) -> bool:
    return bool(re.search(r"[。，,；;！？!?]", line)) and not _comma_headline(line)


def _comma_headline(line: str) -> bool:
    """A short line of parallel phrases that commas or a closing ！ part, no sentence in it: a
    headline (巾帼心向党，奋进新征程！), not a lead."""
    cfg = _cfg()["title"]
    return (len(line) <= cfg["comma_headline_max_chars"] and re.fullmatch(cfg["comma_headline"], line) is not None)


def headline_lines(text: str) -> list[str]:
    """The leading lines before the first line of prose (a sentence mark in it): headline,
    subtitle, date and channel lines of a news page.

    >>> headline_lines("温州\\n某地召开现场推进会\\n\\n4月14日，现场推进会在我县举行。")
    ['温州', '某地召开现场推进会']
    """
    out = []
    for line in _lines(text, _cfg()["title"]["headline_max_lines"]):
        if _is_prose(normalise_title(line)):
            break
        out.append(line)
    return out


def find_headline(text: str) -> str | None:
    """A news headline: the first leading line before the prose that reads as one (enough Chinese
    characters, no sentence mark, not a date, section heading, delivery or speaker line).

    >>> find_headline("EN\\n\\n某市建成68个“儿童家园”\\n\\n今年以来，某市各级妇联扎实推进项目建设。")
    '某市建成68个“儿童家园”'
    >>> find_headline("2021年03月08日\\n\\n为发展 贡献巾帼力量\\n\\n本报讯 3月5日，会议召开。")
    '为发展 贡献巾帼力量'
    >>> find_headline("1月8日至19日，区关工委组织慰问组。") is None
    True
    """
    cfg = _cfg()["title"]
    not_headline = _re("title", "not_headline")
    found = []
    for line in headline_lines(text):
        t = normalise_title(line)
        if ((len(re.findall(f"[{_CJK}]", t)) >= cfg["headline_min_chars"] or _org_name_re().fullmatch(t))
                and len(t) <= cfg["max_chars"]
                and not t.endswith((":", "：")) and not _SECTION_HEADING.match(t) and not not_headline.search(t)
                and not re.match(_cfg()["org"]["speaker"], t)):
            found.append(t)
    # a body's name above the headline is the account or site's banner (岳阳县妇女联合会 / 岳阳县妇联开展…);
    # alone it is the headline (a yearbook entry's: 妇女联合会, however short)
    if len(found) >= 2 and _org_name_re().fullmatch(found[0]):
        return found[1]
    return found[0] if found else None


def _simplified(s: str) -> str:
    """Text of raw furniture as the clean text has it: no pinyin glosses, simplified script."""
    from pipeline.clean import _T2S, strip_glosses

    return str(_T2S.convert(strip_glosses(s)))


def _furniture(doc: Document, rules: list[str]) -> list[str]:
    """The raw spans the cleaner removed under ``rules`` (doc.meta["removed"]), simplified."""
    keep = set(rules)
    raw = doc.raw.text
    return [_simplified(raw[r["start"]:r["end"]]) for r in doc.meta.get("removed") or ()
            if r.get("rule") in keep]


def _file_title(doc: Document) -> str | None:
    """The uploaded file's name a document site printed above the text (removed as furniture)."""
    cfg = _cfg()["title"]
    for span in _furniture(doc, cfg["file_name_rules"]):
        t = normalise_title(span)
        if len(re.findall(f"[{_CJK}]", t)) >= 4 and len(t) <= cfg["max_chars"] and not _is_prose(t):
            return t
    return None


# ---------------------------------------------------------------- stages


def _stamp(s: str) -> str | None:
    """The date of a publication stamp with a clock time (2016-11-21 13:03, 22.02.2018 16:11).

    >>> _stamp("某某日报 2019-04-22 01:01 大字"), _stamp("22.02.2018  16:11"), _stamp("2019-04-22")
    ('2019-04-22', '2018-02-22', None)
    """
    for pattern in _cfg()["dates"]["stamps"]:
        if m := re.search(pattern, s):
            return _iso(m.group("y"), m.group("m"), m.group("d"))
    return None


def _dateline_date(clean: str, raw: str) -> str | None:
    """A news dateline's month and day (某某网11月13日讯) completed by the one full date of the page
    with that month and day (its related-article list, its stamp); None when there is none or
    several years."""
    m = _re("dates", "dateline").search(clean[: _cfg()["dates"]["dateline_head_chars"]])
    if not m:
        return None
    month, day = int(m.group(1)), int(m.group(2))
    found = {d for y, mo, da in _re("dates", "full_date").findall(raw)
             if int(mo) == month and int(da) == day and (d := _iso(y, mo, da))}
    return found.pop() if len(found) == 1 else None


def _dates(doc: Document) -> dict[str, str | None]:
    cfg = _cfg()["dates"]
    clean, raw = doc.text, doc.raw.text
    out: dict[str, str | None] = {"delivered": None, "published": None, "updated": None}
    for text in (clean, raw):
        head = text[: cfg["delivered_head_chars"]]
        if out["delivered"] is None and (m := _re("dates", "delivered").search(head)):
            out["delivered"] = _iso(*m.groups())
        if out["published"] is None and (m := _re("dates", "published").search(text)):
            out["published"] = _iso(*m.groups())
        if out["updated"] is None and (m := _re("dates", "updated").search(text)):
            out["updated"] = _iso(*m.groups())
    if out["published"] is None:  # a stamp in the byline the cleaner removed
        out["published"] = next((d for s in _furniture(doc, cfg["stamp_rules"]) if (d := _stamp(s))), None)
    if out["published"] is None:
        out["published"] = _dateline_date(clean, raw)
    return out


def _genre(title: str | None, head: str) -> str | None:
    cfg = _cfg()["genre"]
    if re.search(cfg["gov_report"], (title or "") + "\n" + head) or _REVIEW_HEADING.search(head):
        return "gov_report"
    if title and re.search(cfg["summary"], title):
        return "summary"
    return None


def _level_of_word(word: str) -> str | None:
    """Level from the end of a place word.

    >>> _level_of_word("*区"), _level_of_word("县"), _level_of_word("自治区"), _level_of_word("国务院")
    ('区', '县', '省', None)
    """
    table = _cfg()["level"]["suffix"]
    for suf in sorted(table, key=len, reverse=True):
        if word.endswith(suf):
            return table[suf]
    return None


def _level_of_division(d: Division) -> str:
    if d.rank == 0:
        return "省"
    if d.rank == 1:
        return "市"
    return "区" if d.name.endswith("区") else "县"


@cache
def _place_suffixes() -> str:
    """The place-word endings of metadata.toml [level.suffix], longest first (自治州 before 州)."""
    words = sorted(_cfg()["level"]["suffix"], key=len, reverse=True)
    return "|".join(map(re.escape, words))


def _body_org(text: str, body: str, head_chars: int) -> tuple[str, str] | None:
    """(place word, suffix) of the first named non-government body: 区妇联 -> ("区", "妇联")."""
    m = re.search(rf"([{_CJK}*＊XxＸｘ×]{{0,16}}?)({re.escape(body)})", text[:head_chars])
    if not m:
        return None
    before = m.group(1)
    if body in ("妇联", "妇女联合会"):
        # only the place word right before 妇联: "*区妇联", "自治区妇联", "我县妇联"
        p = re.search(rf"(?:[*＊XxＸｘ×]+|[{_CJK}]{{0,10}}?)(?:{_place_suffixes()})$", before)
        if not p:
            return None
        word = re.sub(r"^(?:我|本|全|各级|上级|各)", "", p.group(0))
        return word, body
    return before, body


@dataclass
class _Issuer:
    org: str | None = None
    place: Division | None = None
    redacted: bool = False
    level_word: str | None = None
    national: bool = False
    town: str | None = None  # the issuer's town (below the divisions: place is its county, if known)
    ambiguous: str | None = None  # a name several divisions share (鼓楼区), not resolved yet


def _issuer(text: str, title: str | None, genre: str | None, heads: Sequence[str] = (), lead: str = "",
            news: bool = False, bylines: Sequence[str] = ()) -> _Issuer:
    cfg = _cfg()["org"]
    reg = load_data("pipeline", "regions")
    head = text[:2000]
    iss = _Issuer()
    # 1. government openings and the speaker line
    speaker_place: Division | None = None
    speaker_word = None
    for line in _lines(head, 20):
        if m := re.match(cfg["speaker"], line):
            speaker_word = m.group(1)
            speaker_place = parse_place(speaker_word)
            break
    if m := re.search(cfg["represent"], head):
        word, kind = m.group(1), m.group(2)
        if kind in reg["national_orgs"]:
            iss.org, iss.national = kind, True
            return iss
        iss.level_word = word or None
        iss.place = parse_place(word) if word else None
        if is_redacted_place(word or ""):
            iss.redacted = True
    if iss.place is None and speaker_place is not None:
        iss.place = speaker_place
    if genre == "gov_report" and iss.place is None:
        # title or delivery line: "2026年北京市政府工作报告", "在北京市第十六届人民代表大会"
        for src in (re.sub(r"(?:19|20)\d\d\s*年", "", title or ""),):
            iss.place = parse_place(src)
        if iss.place is None and (m := re.search(r"日\s*在([^。\n]{2,30}?)第", head)):
            iss.place = parse_place(m.group(1))
    if iss.place is None and not iss.redacted:
        # a town's government: 2021年石门镇政府工作报告, ——…在石门镇第十八届人民代表大会…
        for src in (re.sub(r"(?:19|20)\d\d\s*年度?", "", title or ""),
                    m.group(1) if (m := re.search(r"日\s*在([^。\n]{2,30}?)第", head)) else ""):
            m = _town_re().search(src)
            if (genre == "gov_report" or iss.level_word) and m and (town := parse_town(src[: m.end()])):
                iss.place, iss.town = town
                iss.org = src[: m.end()] + "人民政府"
                return iss
    if genre == "gov_report" or iss.level_word is not None:
        if iss.place is not None:
            iss.org = iss.place.name + "人民政府"
        elif speaker_word and is_redacted_place(speaker_word):
            iss.redacted = True
        return iss
    # 2. federations and bureaus with their place word (惠安县妇联, 市妇女联合会, 全国妇联, 县民政局):
    # the first one acting (not only mentioned) in the title and the headline lines, then in the
    # lead of a news item or the head of other texts, then (not news) one named with its place
    hit = _pick_org(text, title, heads, lead, news) or _byline_org(bylines)
    if hit is not None:
        return _issuer_of(hit, text)
    # 3. other bodies: in the title, or a line of the head that is just a body's name
    # ("厦门国贸集团股份有限公司"); a suffix inside running text is not trusted (局 in 布局,
    # 委员会 in 居民委员会).
    # joint issuers side by side on one line ("某某市统计局  国家统计局某某调查队") are a line each
    name_lines = "\n".join(part for ln in _lines(head, _cfg()["title"]["max_lines"]) if len(ln) <= 30
                           for part in ln.split())
    # a year before the body's name is not part of it: "2022年金寨县妇联…总结" -> 金寨县妇联
    bare_title = re.sub(r"(?:19|20)\d\d\s*年度?", "", title or "")
    for src, limit in ((bare_title, 200), (name_lines, 2000)):
        for body in cfg["bodies"]:
            found = _body_org(src, body, limit)
            if src is name_lines and found and (body in cfg["title_only_bodies"]
                                                or not re.search(re.escape(found[0] + body) + "$", src, re.M)):
                found = None
            if found is None or body in ("妇联", "妇女联合会"):
                continue  # a 妇联 without its place word (妇联工作总结) names no issuer
            word, suffix = found
            if is_redacted_place(word):
                iss.redacted = True
                word = _placeholder_re().sub("", word)
            iss.place = None if iss.redacted else parse_place(word)
            if iss.place is None and not iss.redacted and (town := parse_town(word)):
                iss.place, iss.town = town  # 周庄镇人民政府
            iss.org = word + suffix
            return iss
    return iss


@dataclass
class _OrgHit:
    """A federation or bureau named in a text, with the place word before it."""

    start: int  # of the place word
    word: str  # as written: 泸州市合江县, 区, XX县, 金湖, 全国
    suffix: str  # 妇联, 妇女联合会, 民政局 ...
    place: Division | None = None
    redacted: bool = False
    national: bool = False
    mention: bool = False  # 记者从市妇联获悉, 以下简称市妇联, 省妇联副主席
    collective: bool = False  # 全市妇联, 各级妇联
    town: str | None = None  # 桃川镇妇联: the town (place is its county, when named before it)
    ambiguous: bool = False  # 鼓楼区妇联: a name several divisions share

    @property
    def acting(self) -> bool:
        return not self.mention and not self.collective

    @property
    def bare(self) -> bool:
        return self.place is None and not self.redacted and not self.national


@cache
def _federation_re() -> re.Pattern[str]:
    names = sorted(_cfg()["org"]["federations"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _place_before(text: str, i: int) -> tuple[int, str, Division | None, str] | None:
    """(start, word, division, kind) of the place word ending at ``i``, the longest of: a national
    name, a redacted place (XX县), a chain of division names (泸州市合江县, 金湖), a bare level
    word (市), or a town's name filling the run of characters before ``i`` (桃川镇, 昆山市周庄镇: a
    town inside a longer run, 组织桃川镇, is not told from the words before it); kind is "national",
    "redacted", "place", "town" or "bare"."""
    reg = load_data("pipeline", "regions")
    ph = reg["placeholder_chars"]
    idx = _index()
    j = i
    while j > 0 and i - j < 20 and (_is_cjk(text[j - 1]) or text[j - 1] in ph):
        j -= 1
    if (j == 0 or not (_is_cjk(text[j - 1]) or text[j - 1] in ph)) and (town := parse_town(text[j:i])):
        return j, text[j:i], town[0], "town"
    suffixes = _place_suffixes()
    for k in range(j, i):
        w = text[k:i]
        if w in reg["national_names"]:
            return k, w, None, "national"
        if re.fullmatch(rf"[{re.escape(ph)}]+(?:{suffixes})", w):
            return k, w, None, "redacted"
        if any(c in ph for c in w):
            continue
        if len(w) >= 2:
            d, n = _parse_place(w)
            if d is not None and n == len(w):
                if w in idx.short_only and (w in reg["common_word_short_names"] or k > 0 and _inside_word(text, k)):
                    continue
                return k, w, d, "place"
            if d is None and w not in idx.short_only and len(idx.names.get(w, ())) > 1:
                return k, w, None, "ambiguous"  # 鼓楼区: four divisions have the name
        if re.fullmatch(suffixes, w):
            return k, w, None, "bare"
    return None


def _org_hits(text: str) -> list[_OrgHit]:
    """Federations and bureaus named with a place word in ``text``, in order.

    >>> [(h.word, h.suffix, h.acting) for h in _org_hits("记者从市妇联获悉，县妇联开展活动，全市妇联参加。")]
    [('市', '妇联', False), ('县', '妇联', True), ('市', '妇联', False)]
    """
    cfg = _cfg()["org"]
    out = []
    breaks = cfg["clause_breaks"]
    for m in _federation_re().finditer(text):
        found = _place_before(text, m.start())
        if found is None:
            continue
        k, word, place, kind = found
        hit = _OrgHit(k, word, m.group(), place, kind == "redacted", kind == "national")
        if kind == "town" and (town := parse_town(word)) is not None:
            hit.town = town[1]
        hit.ambiguous = kind == "ambiguous"
        run = k
        while run > 0 and _is_cjk(text[run - 1]):
            run -= 1
        prefix = text[run:k]
        clause_start = max(text.rfind(c, 0, k) for c in breaks) + 1
        ends = [e for c in breaks if (e := text.find(c, m.end())) >= 0]
        clause = text[clause_start: min(ends) if ends else len(text)]
        hit.collective = bool(re.search(cfg["collective_before"], prefix))
        hit.mention = bool(re.search(cfg["mention_before"], text[clause_start:k])
                           or re.match(cfg["mention_after"], text[m.end(): m.end() + cfg["mention_after_chars"]])
                           or re.search(cfg["mention_clause"], clause))
        out.append(hit)
    return out


def _pick_org(text: str, title: str | None, heads: Sequence[str], lead: str, news: bool) -> _OrgHit | None:
    """The issuing federation or bureau: the first acting one in the title and headline lines,
    then in the lead of a news item (later paragraphs of news report on others) or the head of
    other texts, then (not news) the first one anywhere named with its place."""
    cfg = _cfg()["org"]
    sources = [re.sub(r"(?:19|20)\d\d\s*年度?", "", title or ""), "\n".join(heads)]
    sources.append(lead if news else text[: cfg["body_head_chars"]])
    for src in sources:
        for hit in _org_hits(src):
            if hit.acting:
                return hit
    if not news:
        for hit in _org_hits(text):
            if hit.acting and (hit.place is not None or hit.national):
                return hit
    return None


def _byline_org(bylines: Sequence[str]) -> _OrgHit | None:
    """The federation or bureau a removed byline gives as the page's source (信息来源：某市民政局,
    发布机构：…), named with its place: a portal's page whose text says only 我局 / 我会."""
    for value in _byline_sources(bylines):
        for hit in _org_hits(value):
            if hit.start == 0 and (hit.place is not None or hit.national):
                return hit
    return None


def _byline_source_is_body(bylines: Sequence[str]) -> bool:
    """Does a removed byline give a body as the page's source (信息来源：县妇联, 来源：某县人民政府)?"""
    body = _re("org", "source_body")
    return any(any(hit.start == 0 for hit in _org_hits(value)) or body.search(value)
               for value in _byline_sources(bylines))


def _byline_sources(bylines: Sequence[str]) -> Iterator[str]:
    """What removed bylines give after a source label (信息来源：某市民政局 | 发布时间… -> 某市民政局)."""
    label = _re("org", "source_label")
    for line in bylines:
        for m in label.finditer(line):
            yield re.split(r"[\s|｜丨]", line[m.end():].strip(), maxsplit=1)[0]


def _resolve(name: str, context: Sequence[Division]) -> Division | None:
    """The one division called ``name`` inside a division of ``context``; None when none or several."""
    cands = {c for c in _index().names.get(name, ()) if any(c.within(d) and c != d for d in context)}
    return cands.pop() if len(cands) == 1 else None


def _short_suffix(suffix: str) -> str:
    return _cfg()["org"]["short_forms"].get(suffix, suffix)


def _issuer_of(hit: _OrgHit, text: str) -> _Issuer:
    """The issuer a federation or bureau names; a bare one (区妇联) takes the place or redaction
    that the head of the text gives the same word (*区妇联, 海拉尔区妇联)."""
    iss = _Issuer(level_word=hit.word)
    if hit.town:
        level = next(s for s in load_data("pipeline", "regions")["town_suffixes"] if hit.town.endswith(s))
        return _Issuer(org=hit.word + hit.suffix, place=hit.place, town=hit.town, level_word=level)
    if hit.national:
        return _Issuer(org=hit.word + hit.suffix, national=True)
    if hit.ambiguous:  # resolved by the places the text names (福州市…鼓楼区妇联), or left as written
        return _Issuer(org=hit.word + hit.suffix, place=_resolve(hit.word, _body_mentions(text)),
                       level_word=hit.word[-1], ambiguous=hit.word)
    if hit.redacted:
        return _Issuer(org=_placeholder_re().sub("", hit.word) + _short_suffix(hit.suffix), redacted=True,
                       level_word=_placeholder_re().sub("", hit.word))
    if hit.place is not None:
        iss.place = hit.place
        # as written (泸州市合江县妇联), a short name by the division's name (金湖妇联 -> 金湖县妇联)
        iss.org = (hit.place.name if hit.word in _index().short_only else hit.word) + hit.suffix
        return iss
    iss.org = hit.word + _short_suffix(hit.suffix)
    for later in _org_hits(text[: _cfg()["org"]["body_head_chars"]]):
        if not later.acting or _short_suffix(later.suffix) != _short_suffix(hit.suffix):
            continue
        if later.redacted and later.word.endswith(hit.word):
            iss.redacted = True
            break
        if later.place is not None and later.place.name.endswith(hit.word):
            iss.place, iss.org = later.place, later.place.name + hit.suffix
            break
    return iss


#: a two-character word this frequent in jieba's dictionary is a word of its own, so a place name
#: whose first character ends it starts inside a word (新增 + 城区 in 新增城区绿地面积)
WORD_FREQ_MIN = 1000


def _inside_word(text: str, start: int) -> bool:
    """Does the character before ``start`` form a common word with the one at ``start``?

    >>> _inside_word("新增城区绿地", 1), _inside_word("广州市增城区", 3)
    (True, False)
    """
    import jieba  # loaded lazily: only documents without a named issuer get here

    if not jieba.dt.initialized:
        jieba.dt.initialize()
    return jieba.dt.FREQ.get(text[start - 1: start + 1], 0) >= WORD_FREQ_MIN


def _body_mentions(text: str) -> list[Division]:
    """The divisions named in the body, one entry a mention (names in one province only; none
    right after a placeholder, none starting inside a common word)."""
    idx = _index()
    out = []
    for start, name in _body_names_in(text):
        if start > 0 and _placeholder_re().match(text[start - 1]):
            continue
        if start > 0 and _inside_word(text, start):
            continue  # 新增城区 holds 增城区, 新城区 holds 城区
        cands = idx.names[name]
        if len({c.province_code for c in cands}) != 1:
            continue
        out.append(min(cands, key=lambda c: c.rank) if len(cands) > 1 else cands[0])
    return out


def _ancestor(d: Division, rank: int) -> Division:
    """``d`` or the division above it at ``rank`` (a province's municipality districts and its
    directly administered counties have no prefecture: their province)."""
    if d.rank <= rank:
        return d
    by_code = _index().by_code
    if rank == 1 and (p := by_code.get(d.code[:4] + "00")) is not None:
        return p
    return by_code.get(d.province_code, d)


def _place_of(anchors: list[Division], body: list[Division]) -> Division | None:
    """The place a text is about, from anchored names (title, dateline, masthead: weight 2) and
    names counted in the body (weight 1): the province named most (weight 2 at least, twice any
    other's), at the most specific division consistent with the anchors. A county or district
    counted once only may sit inside a word (新增城区 holds 增城区): it needs weight 2. Sibling
    divisions named alike give the division above them."""
    weight: Counter[Division] = Counter()
    for d in anchors:
        weight[d] += 2
    for d in body:
        weight[d] += 1
    per_province: Counter[str] = Counter()
    for d, w in weight.items():
        per_province[d.province_code] += w
    if not per_province:
        return None
    ranked = per_province.most_common()
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if n < 2 or n < 2 * second:
        return None
    anchored = [d for d in anchors if d.province_code == top]
    cands = [d for d in weight if d.province_code == top and (d.rank < 2 or weight[d] >= 2)
             and all(d.within(a) or a.within(d) for a in anchored)]
    best = None
    for rank in (2, 1, 0):
        at = sorted((d for d in cands if d.rank == rank), key=lambda d: -weight[d])
        if not at:
            continue
        if len(at) == 1 or weight[at[0]] >= 2 * weight[at[1]]:
            best = at[0]
        else:  # siblings named alike: the division above them
            ups = {_ancestor(d, rank - 1) for d in at}
            best = ups.pop() if len(ups) == 1 else _ancestor(at[0], 0)
        break
    return best


def _only_division_of_level(text: str, word: str) -> Division | None:
    """For a bare 区妇联: the one district the text names (天心区各级妇联…), unless it names another
    district, or names that one only as somewhere else (赴某区学习, 与某区结对)."""
    idx = _index()
    other = _re("region", "elsewhere_before")
    same: set[Division] = set()
    for start, name in _body_names_in(text):
        cands = [d for d in idx.names[name] if d.rank >= 1 and d.name.endswith(word)
                 and _level_of_division(d) == _level_of_word(word)]
        if len(cands) != 1 or (start > 0 and _placeholder_re().match(text[start - 1])):
            continue
        if other.search(text, max(0, start - 6), start):
            return None
        same.add(cands[0])
    return same.pop() if len(same) == 1 else None


def _capped(d: Division | None, scope: tuple[int, set[str]] | None) -> Division | None:
    """``d`` raised to the lowest level the text speaks for, unless the scope word is its own
    (全市 in a county-level city's page: 广水市 stays)."""
    if d is None or scope is None:
        return d
    rank, words = scope
    if d.rank > rank and not any(d.name.endswith(w) for w in words):
        return _ancestor(d, rank)
    return d


def _in_longer_word(s: str, n: int) -> bool:
    """Is the short place name ``s[:n]`` the start of a longer word (大同小异, 中山大学, 延安精神)?

    >>> _in_longer_word("中山大学召开会议", 2), _in_longer_word("梧州建成68个", 2)
    (True, False)
    """
    import jieba  # loaded lazily, as in _inside_word

    first = next(iter(jieba.cut(s[: n + 6])), "")
    return len(first) > n


def _body_place(text: str) -> Division | None:
    """The place a report without a named issuer is about, from the body's names alone."""
    return _place_of([], _body_mentions(text))


def _scope(text: str) -> tuple[int, set[str]] | None:
    """The lowest level the text speaks for (全县/我区 -> 2, 全市/我市 -> 1) and the scope words
    of that level; None when it never says. A text that speaks of 全市/我市 and never of a county
    (全县, 我区) is not about one of the counties it names.

    >>> _scope("全市共有29名。我省将开展检查。"), _scope("全市推进会在我县举行。"), _scope("开展活动。")
    ((1, {'市'}), (2, {'县'}), None)
    """
    table = _cfg()["level"]["scope"]["rank"]
    words = {w for w in re.findall(_cfg()["level"]["scope"]["pattern"], text) if w in table}
    if not words:
        return None
    rank = max(table[w] for w in words)
    return rank, {w for w in words if table[w] == rank}


def _anchor_places(doc: Document, title: str | None, heads: Sequence[str], lead: str) -> list[Division]:
    """Divisions a page names where its place is stated: the start of each part of the title and
    headline lines (梧州建成68个…), the dateline of the lead (某某日报讯, 发自某地, 某地1月25日电)
    and the masthead, byline and breadcrumb furniture the cleaner removed (某某日报社出版, 某某网)."""
    cfg = _cfg()["region"]
    out: list[Division] = []
    common = set(load_data("pipeline", "regions")["common_word_short_names"])
    for line in dict.fromkeys([title or ""] + [normalise_title(h) for h in heads]):
        for seg in re.split(cfg["segment_split"], line):
            seg = re.sub(r"^(?:19|20)\d\d\s*年度?", "", seg)
            d, n = _parse_place(seg)
            if d is not None and not (seg[:n] in _index().short_only and (seg[:n] in common or _in_longer_word(seg, n))):
                out.append(d)
    for text in [lead[: cfg["dateline_chars"]]] + _furniture(doc, cfg["furniture_rules"]):
        for pattern in cfg["place_before"]:
            for m in re.finditer(pattern, text):
                found = _place_before(text, m.start())
                if found is not None and found[2] is not None and found[1] not in common:
                    out.append(found[2])
        for pattern in cfg["place_after"]:
            for m in re.finditer(pattern, text):
                d, n = _parse_place(text[m.end():])
                if d is not None and text[m.end(): m.end() + n] not in common:
                    out.append(d)
    raw = doc.raw.text
    words = cfg["portal_owner_requires"]  # speed only: simplify just the spans that may hold an owner
    owners = [_simplified(span) for r in doc.meta.get("removed") or ()
              if any(w in (span := raw[r["start"]:r["end"]]) for w in words)]
    for text in owners:  # 主办：某某县人民政府, in whatever furniture went
        for m in re.finditer(cfg["portal_owner"], text):
            found = _place_before(text, m.end())
            if found is not None and found[2] is not None and found[1] not in common:
                out.append(found[2])
    # the subject of the lead's first clause, after its date (3月5日，攸县启动…; 近日，在醴陵市妇联的组织下…)
    if m := _re("region", "lead_subject").match(lead):
        rest = lead[m.end():]
        d, n = _parse_place(rest)
        if d is not None and not (rest[:n] in _index().short_only and (rest[:n] in common or _in_longer_word(rest, n))):
            out.append(d)
    return out


@cache
def _body_names() -> tuple[frozenset[str], dict[str, list[int]]]:
    """The division names ``_body_place`` looks for, and their lengths (longest first) by
    their first two characters (every name has two at least)."""
    idx = _index()
    reg = load_data("pipeline", "regions")
    names = frozenset(n for n in idx.names if n not in idx.aliases
                      and (n not in idx.short_only or len(n) >= reg["min_body_short_name"])
                      or any(d.rank == 0 for d in idx.names[n]))
    lengths: dict[str, set[int]] = {}
    for n in names:
        if len(n) < 2:
            raise ValueError(f"division name {n!r}: one character, which _body_names_in cannot find")
        lengths.setdefault(n[:2], set()).add(len(n))
    return names, {k: sorted(v, reverse=True) for k, v in lengths.items()}


def _body_names_in(text: str) -> Iterator[tuple[int, str]]:
    """(start, name) of the division names in ``text``, left to right, each the longest one
    at its place, none overlapping: the matches of an alternation of the names, longest first.

    Looked up by their first two characters: a regular expression of the 3,500 names cost
    1.4 ms a thousand characters (27 ms for a 20,000-character report), this 0.09.

    >>> [name for _, name in _body_names_in("北京市朝阳区和海淀区")]
    ['北京市', '朝阳区', '海淀区']
    """
    names, lengths = _body_names()
    get = lengths.get
    i, last = 0, len(text) - 1
    while i < last:
        for n in get(text[i:i + 2], ()):
            if text[i:i + n] in names:
                yield i, text[i:i + n]
                i += n
                break
        else:
            i += 1


def _placeholders(text: str) -> int:
    chars = re.escape(load_data("pipeline", "regions")["placeholder_chars"])
    return len(re.findall(rf"(?<![A-Za-z0-9])[{chars}]{{1,6}}(?=[{_CJK}])", text))


def _opening_year(text: str) -> int | None:
    """The year a text's head opens a sentence with, the issuer (or 在/我们) its subject:
    "2021年，在县委的领导下…", "2011年,市妇联紧紧围绕…" (not 2012年,西固区共培养…: a place)."""
    cfg = _cfg()["year"]
    head = text[: cfg["opening_head_chars"]]
    for m in _re("year", "opening").finditer(head):
        after = head[m.end(): m.end() + 24]
        hits = _org_hits(after)
        own = hits and hits[0].acting and re.fullmatch(cfg["opening_self"], after[: hits[0].start])
        if re.match(cfg["opening_subject"], after) or own:
            y = int(m.group(1))
            if MIN_YEAR <= y <= MAX_YEAR:
                return y
    return None


def _title_year(title: str) -> re.Match | None:
    """The title's year: its first one outside a span of years (a plan's or 纲要's term), else
    the first (a span's last year, when the title has no other)."""
    unspanned = _re("year", "title_span").sub(lambda m: " " * len(m.group(0)), title)
    return _YEAR.search(unspanned) or _YEAR.search(title)


def _year(title: str | None, dates: dict[str, str | None], text: str, path: str, news: bool = False,
          genre: str | None = None, own: bool = False) -> tuple[int | None, str | None, int | None]:
    """(year, where it came from, the year a review heading names); ``own``: the page is its
    issuer's own publication (a portal's, its byline's source a body), dated by its publication."""
    reviewed = None
    if m := _REVIEW_HEADING.search(text):
        reviewed = int(m.group(1))
    if title and (m := _title_year(title)):
        return int(m.group(1)), "title", reviewed
    if title and (m := _CN_YEAR.search(title)) and MIN_YEAR <= (y := int(m.group(1).translate(_CN_DIGITS))) <= MAX_YEAR:
        return y, "title", reviewed  # 二〇一九年县民政局工作总结
    if dates["delivered"]:
        return int(dates["delivered"][:4]), "delivered", reviewed
    if reviewed is not None:
        return reviewed + 1, "review_heading", reviewed
    if m := _PLAN_HEADING.search(text):
        return int(m.group(1)), "plan_heading", reviewed
    lines = [ln for ln in text.split("\n") if ln.strip()]
    for line in lines[:5] + lines[-8:]:
        if m := _re("dates", "date_line").match(line):
            y = int(m.group(1).translate(_CN_DIGITS))
            if MIN_YEAR <= y <= MAX_YEAR:
                return y, "date_line", reviewed
    if not news and genre != "gov_report" and (y := _opening_year(text)) is not None:
        return y, "opening", reviewed
    if (news or own) and dates["published"]:  # a news item is of the year it was published
        return int(dates["published"][:4]), "published", reviewed
    if m := _re("dates", "as_of").search(text):
        return int(m.group(1)), "as_of", reviewed
    stem = os.path.splitext(os.path.basename(path))[0]
    years = {int(y) for y in _FILE_YEAR.findall(stem) if MIN_YEAR <= int(y) <= MAX_YEAR}
    if len(years) == 1:
        return years.pop(), "file_name", reviewed
    return None, None, reviewed


def _lead(text: str) -> str:
    """The first line of prose (a news item's lead paragraph), at most ``lead_chars`` long."""
    cfg = _cfg()["title"]
    for line in _lines(text, cfg["headline_max_lines"] + 1):
        if _is_prose(line):
            return line[: _cfg()["news"]["lead_chars"]]
    return ""


def _is_news(doc: Document, lead: str) -> bool:
    """A news item: the cleaner removed a reporter's credit, a dateline stamp or a masthead, or
    the lead opens with a dateline (某某日报讯, 新华社…电, 4月14日，)."""
    cfg = _cfg()["news"]
    rules = set(cfg["furniture_rules"])
    if any(r.get("rule") in rules for r in doc.meta.get("removed") or ()):
        return True
    return bool(_re("news", "lead_cue").search(lead[: cfg["lead_cue_chars"]]))


def _past_year_reviews(text: str, lead: str, year: int, year_source: str | None,
                       dates: dict[str, str | None]) -> int | None:
    """The year a text whose first prose opens with 过去的一年 reviews, from its date: the year
    before when dated in the first half of the next year, its own year when dated at its end;
    None otherwise."""
    cfg = _cfg()["year"]
    if not re.match(cfg["past_year_opening"], lead):
        return None
    month = None
    if year_source == "published" and dates["published"]:
        month = int(dates["published"][5:7])
    elif year_source == "date_line":
        lines = [ln for ln in text.split("\n") if ln.strip()]
        for line in lines[:5] + lines[-8:]:
            if (m := _re("dates", "date_line").match(line)) and m.group(2):
                month = _cn_number(m.group(2))
                break
    if month is None:
        return None
    if month <= cfg["past_year_last_month"]:
        return year - 1
    return year if month >= cfg["same_year_first_month"] else None


def _cn_number(s: str) -> int | None:
    """A month or day written in digits or Chinese numerals (12, 十二, 一〇).

    >>> _cn_number("12"), _cn_number("十二"), _cn_number("十"), _cn_number("三")
    (12, 12, 10, 3)
    """
    s = s.strip()
    if s.isdigit():
        return int(s)
    digits = "〇一二三四五六七八九"
    if s.startswith("十"):
        return 10 + (digits.index(s[1]) if len(s) > 1 and s[1] in digits else 0)
    if len(s) == 1 and s in digits:
        return digits.index(s)
    return None


def _page_title(title: str) -> str:
    """An HTML <title> without its site name, glosses and traditional script.

    >>> _page_title("儀隴縣(xiàn)婦(fù)聯(lián)工作總結_总结汇报网")
    '仪陇县妇联工作总结'
    >>> _page_title("政府工作报告——2016年2月19日在绥化市第十六届人民代表大会第一次会议上_工作文档网")
    '政府工作报告'
    """
    from pipeline.clean import _T2S, strip_glosses

    head = re.split(r"\s*[_|｜]\s*|\s+[-—–]\s+|\s*——", title.strip(), maxsplit=1)[0]
    return str(_T2S.convert(strip_glosses(head)))


def document_metadata(doc: Document) -> dict[str, Any]:
    """Title, org, level, region (+ region_code, province), genre, year (+ year_source), reviews,
    delivered/published/updated dates and placeholder count of one cleaned document.

    Keys the cleaner set (``truncated``, ``missing_chars``) are not touched; the furniture it
    removed (``removed``: bylines, mastheads, file names) is read for dates, titles and places.
    """
    text = doc.text
    reg = load_data("pipeline", "regions")
    cfg = _cfg()
    head = text[:2000]
    title = find_title(text) or _file_title(doc)
    if title is None and isinstance(doc.raw.meta.get("title"), str):
        # a Word file's name as a converter left it: Microsoft Word - 2023年工作总结.docx
        named = _re("title", "converter_prefix").sub("", doc.raw.meta["title"])
        if named != doc.raw.meta["title"]:
            named = _re("title", "file_extension", re.I).sub("", named.strip())
        t = normalise_title(_page_title(named))
        title = t if _genre_end().search(t) else None
    heads = headline_lines(text)
    if title is None and _genre(None, head) != "gov_report":
        title = find_headline(text)
    dates = _dates(doc)
    genre = _genre(title, head)
    lead = _lead(text)
    news = genre is None and _is_news(doc, lead)
    iss = _issuer(text, title, genre, heads, lead, news, _furniture(doc, cfg["org"]["source_rules"]))
    if genre is None and iss.org and not iss.org.endswith(("人民政府", "国务院")) and iss.level_word and \
            not (news and _re("news", "plan_cue").search(lead)):
        # a 妇联 (or other body with a place word) reporting on its own work, or a news item on
        # what it did (not on what it will do: 确定了今年将办好11件实事)
        genre = "summary"
    place = iss.place
    if place is None and not iss.redacted and not iss.national:
        mentions = _body_mentions(text)
        place = _capped(_place_of(_anchor_places(doc, title, heads, lead), mentions), _scope(text))
        word = iss.level_word or ""
        if place is None and iss.org and word and iss.org.startswith(word) and not iss.town:
            place = _only_division_of_level(text, word)
        if place is not None and iss.org and word and iss.org.startswith(word) and \
                _level_of_word(word) == _level_of_division(place) and not iss.org.endswith("人民政府"):
            # a bare 市妇女联合会 of a page about 张家界市: 张家界市妇联
            iss.org = place.name + _short_suffix(iss.org[len(word):])
    if iss.national:
        region: str | None = reg["national_region"]
        level: str | None = "全国"
    else:
        region = place.path if place else None
        level = _level_of_division(place) if place else (_level_of_word(iss.level_word or "") or None)
        if iss.town:  # below the divisions: the county's path (when known) and the town
            region, level = (region or "") + iss.town, "乡镇"
        elif iss.ambiguous and (place is None or iss.ambiguous not in place.path):
            # 鼓楼区 of a page about 福州市 is 福州市鼓楼区; unresolved, the name as written (no code)
            resolved = _resolve(iss.ambiguous, [place]) if place is not None else None
            place = resolved
            region = resolved.path if resolved else iss.ambiguous
            level = _level_of_word(iss.ambiguous)
        if level is None and iss.org is None:
            scope_cfg = cfg["level"]["scope"]
            counts: dict[str, int] = {}
            for w in re.findall(scope_cfg["pattern"], text):
                counts[w] = counts.get(w, 0) + 1
            if counts and max(counts.values()) >= scope_cfg["min_count"]:
                level = _level_of_word(max(counts, key=lambda k: counts[k]))
        if iss.org and not iss.org.endswith(("人民政府", *cfg["org"]["leveled"])):
            level = None  # companies and offices have a place but no administrative level
    own = _byline_source_is_body(_furniture(doc, cfg["org"]["source_rules"]))
    year, year_source, reviewed = _year(title, dates, text, doc.path, news, genre, own)
    reviews = None
    if year is not None:
        if genre == "gov_report":
            reviews = reviewed if reviewed is not None else year - 1
        elif (past := _past_year_reviews(text, lead, year, year_source, dates)) is not None:
            reviews = past
        elif genre == "summary" and year_source in ("title", "date_line", "opening"):
            # the year the review opens with, where an upload's title gives another
            # (××区妇联2022年工作总结 whose text opens "2017年,区妇联在…"), else its own
            opening = _opening_year(text)
            reviews = opening if opening is not None and opening <= year else year
    province = None
    if place is not None and not iss.national:
        province = _index().by_code[place.province_code].name
    return {
        "title": title,
        "org": iss.org,
        "level": level,
        "region": region,
        "region_code": place.code if place is not None and not iss.national else None,
        "province": province,
        "genre": genre,
        "year": year,
        "year_source": year_source,
        "reviews": reviews,
        "delivered": dates["delivered"],
        "published": dates["published"],
        "updated": dates["updated"],
        "placeholders": _placeholders(text),
    }
