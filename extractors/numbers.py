"""One numeral parser for every way a Chinese report writes a number.

``parse_number`` takes one numeral expression *without* its measure word or
unit (``%`` excepted) and returns its value with multipliers folded in, the
upper bound of a range, the approximate qualifier as written, and whether the
number is a redacted placeholder. cn2an's ``transform`` is never applied to
running text (it rewrites 统一 to 统1); this parser only sees spans the rules
have already matched.

>>> parse_number("10.95万")
Number(value=109500, high=None, approx=None, redacted=False, percent=False)
>>> parse_number("近百")
Number(value=100, high=None, approx='近', redacted=False, percent=False)
>>> parse_number("两三")
Number(value=2, high=3, approx=None, redacted=False, percent=False)
>>> parse_number("*余")
Number(value=None, high=None, approx='余', redacted=True, percent=False)
>>> parse_number("百分之九十")
Number(value=90, high=None, approx=None, redacted=False, percent=True)
>>> parse_number("统一") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

from pipeline.settings import load_data

_LEX = load_data("extractors", "units")

#: full-width digits, letters and number symbols -> ASCII (1:1, keeps offsets)
FULLWIDTH = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " ", "．": ".", "，": "，"}
)
#: runs of the characters FULLWIDTH changes (not ，, which it keeps)
_FULLWIDTH_RUN = regex.compile("[\uff01-\uff0b\uff0d-\uff5e\u3000]+")


def fold_fullwidth(text: str) -> str:
    """``text.translate(FULLWIDTH)``, translating only the runs it changes.

    Chinese text is full of full-width punctuation (；：（）), so a whole-text translate
    ran on every document; a few dozen short runs cost a quarter of it (measured on
    synthetic reports: 0.20 -> 0.05 ms a document).

    >>> fold_fullwidth("增长１０％（同比），共３．５亿元")
    '增长10%(同比)，共3.5亿元'
    """
    return _FULLWIDTH_RUN.sub(lambda m: m.group().translate(FULLWIDTH), text)


CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
             "陆": 6, "柒": 7, "捌": 8, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

_CN_DIGIT_CHARS = "".join(CN_DIGITS)
_CN_UNIT_CHARS = "".join(SMALL_UNITS) + "".join(BIG_UNITS)

#: qualifiers written before the number, longest first (units.toml [approx])
PREFIX_APPROX: list[str] = sorted(_LEX["approx"]["prefix"], key=len, reverse=True)
#: qualifiers between the number and its multiplier or measure word: 70多万, 80余所
INNER_APPROX = "".join(_LEX["approx"]["inner"])
#: 上/数/几 qualify only a bare power of ten: 上千, 数百, 几十
POWER_PREFIX = "".join(_LEX["approx"]["power_prefix"])
REDACT_CHARS = _LEX["redacted"]["chars"]
RANGE_SEPS = "".join(_LEX["ranges"]["separators"])

#: 1,300 and 1 300 (a space as the thousands separator, as some sites and PDF extractors write
#: it: 服务群众1 300余人) are one number; a group after the space has exactly three digits
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:\x20\d{3})+(?!\d)|\d+)(?:\.\d+)?"
# 千 and 百 start units of their own in 千瓦/千米/千克/百分点: never read them as multipliers there
_CN_CHUNK = rf"(?:[{_CN_DIGIT_CHARS}十拾万萬亿億]|[千仟](?![瓦米克伏卡帕焦升])|[百佰](?!分))"

#: one numeral: Arabic and Chinese digits and multipliers, mixed (3万4000, 一千二百, 25万6千),
#: a Chinese decimal point (三点五), and an approximate qualifier before a multiplier (70多万)
CORE = rf"""(?:
    (?:{_ARABIC}|{_CN_CHUNK})
    (?:{_ARABIC}|{_CN_CHUNK}|点(?=[{_CN_DIGIT_CHARS}])|(?<=\d)\x20(?=[万萬亿億]))*   # 56.8 万元: a space before 万
    (?:[{INNER_APPROX}](?:[万萬亿億]|[千仟](?![瓦米克伏卡帕焦升])|[百佰](?!分))+)?
)"""

_FULLWIDTH_CHARS = regex.compile("[\uff01-\uff5e\u3000]")
_SPACE_MULT_RE = regex.compile(r"(?<=\d)\x20(?=[万萬亿億])")
_INNER_RE = regex.compile(f"[{INNER_APPROX}]")
_PREFIX_RE = regex.compile("|".join(map(regex.escape, PREFIX_APPROX)))
_RANGE_RE = regex.compile(rf"^(.+?)[{regex.escape(RANGE_SEPS)}](.+)$")
_RED_CLASS = f"[{regex.escape(REDACT_CHARS)}]"
#: a placeholder, maybe with a decimal part or a range (X.X万, X.20万, 9596.X万, X-X倍), and qualifiers
REDACTED = (rf"(?:\d+\.)?{_RED_CLASS}{{1,3}}(?:\.(?:{_RED_CLASS}{{1,3}}|\d+))?"
            rf"(?:[{regex.escape(RANGE_SEPS)}]{_RED_CLASS}{{1,3}}(?:\.{_RED_CLASS}{{1,3}})?)?")
_REDACTED_RE = regex.compile(rf"^{REDACTED}([{INNER_APPROX}])?[万亿千百]*([{INNER_APPROX}])?$")


@dataclass(frozen=True)
class Number:
    value: int | float | None
    high: int | float | None = None
    approx: str | None = None
    redacted: bool = False
    percent: bool = False


def _plain(d: Decimal) -> int | float:
    """An exact Decimal as int when integral, else float.

    >>> _plain(Decimal("109500.00")), _plain(Decimal("3.25"))
    (109500, 3.25)
    """
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _arabic(s: str) -> Decimal | None:
    try:
        return Decimal(s.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


#: Arabic digits with at most a 万/亿 and a %: the same value as the general parse, faster
_SIMPLE_RE = regex.compile(r"([0-9]+(?:\.[0-9]+)?)([万亿])?(%)?")
_TOKEN_RE = regex.compile(rf"{_ARABIC}|.", regex.S)


def parse_core(s: str) -> tuple[Decimal, Decimal | None] | None:
    """Value (and upper bound for 两三 / 三四十) of a numeral with no qualifiers.

    >>> [str(parse_core(x)[0]) for x in ["一万二千", "3万4000", "25万6千", "一千二百万", "二〇二四"]]
    ['12000', '34000', '256000', '12000000', '2024']
    >>> [_plain(parse_core(x)[0]) for x in ["1.2万亿", "一万二", "十五", "三点五", "1,100.9"]]
    [1200000000000, 12000, 15, 3.5, 1100.9]
    >>> parse_core("三四十")
    (Decimal('30'), Decimal('40'))
    >>> parse_core("一一") is None
    True
    """
    tokens = _TOKEN_RE.findall(s)
    if not tokens:
        return None
    # adjacent Chinese digits as a range: 两三, 五六, 三四十 (a ~ a+1, or a ~ b for 三五)
    if len(tokens) >= 2 and tokens[0] in CN_DIGITS and tokens[1] in CN_DIGITS and "〇" not in s and "零" not in s:
        a, b = CN_DIGITS[tokens[0]], CN_DIGITS[tokens[1]]
        if not (0 < a < b <= 9 and b - a <= 2):
            return None
        rest = "".join(tokens[2:])
        mult = Decimal(1)
        if rest:
            m = parse_core("一" + rest)
            if m is None:
                return None
            mult = m[0]
        return Decimal(a) * mult, Decimal(b) * mult
    total = Decimal(0)  # complete 亿 blocks
    wan = Decimal(0)  # complete 万 blocks inside the current 亿 block
    section = Decimal(0)  # below 万
    num: Decimal | None = None
    last_unit = 0
    decimal_digits: list[int] | None = None
    seen = False  # any digit or unit before: 0.0万 is zero, a bare 万 is ten thousand
    for tok in tokens:
        if tok in CN_DIGITS:
            d = CN_DIGITS[tok]
            if decimal_digits is not None:
                decimal_digits.append(d)
            elif tok in "〇零" and last_unit > 0 and num is None:
                continue  # 一千零五: 零 only marks an empty place
            elif num is not None:
                if last_unit == 0 and ("〇" in s or "零" in s):  # 二〇二四: digit by digit
                    num = num * 10 + d
                else:
                    return None
            else:
                num = Decimal(d)
        elif tok == "点":
            if num is None:
                return None
            decimal_digits = []
        elif tok in SMALL_UNITS:
            if decimal_digits is not None:
                num = _with_decimals(num, decimal_digits)
                decimal_digits = None
            unit = SMALL_UNITS[tok]
            section += (num if num is not None else Decimal(1)) * unit
            num = None
            last_unit = unit
        elif tok in BIG_UNITS:
            if decimal_digits is not None:
                num = _with_decimals(num, decimal_digits)
                decimal_digits = None
            unit = BIG_UNITS[tok]
            block: Decimal = section + (num or 0)
            if not seen:
                block = Decimal(1)  # 万 alone, as in 万余名
            if unit == 10**4:
                wan = (wan + block) * unit
            else:
                total = (total + wan + block) * unit
                wan = Decimal(0)
            section = Decimal(0)
            num = None
            last_unit = unit
        else:
            arabic = _arabic(tok)
            if arabic is None or num is not None:
                return None
            num = arabic
        seen = True
    if decimal_digits is not None:
        num = _with_decimals(num, decimal_digits)
    # 一万二 means 一万二千: a trailing Chinese digit counts in the unit below the last one
    if num is not None and last_unit >= 100 and tokens[-1] in CN_DIGITS and tokens[-2] in (
        list(SMALL_UNITS) + list(BIG_UNITS)
    ):
        num *= Decimal(last_unit) / 10
    return total + wan + section + (num or 0), None


def _with_decimals(num: Decimal | None, digits: list[int]) -> Decimal:
    frac = "".join(map(str, digits)) or "0"
    return Decimal(f"{int(num or 0)}.{frac}")


#: characters of the longest numeral expression read as a number: the longest in words
#: (一千二百三十四万五千六百七十八) and ranges (34,581,737.98至45,000,000.00) are well under it. A longer
#: run of digits is a serial or account number, and from 4,300 digits on int() refuses it
#: (ValueError: a scraped page of 100,000 digits failed as an internal error)
MAX_NUMERAL = 40


@lru_cache(maxsize=8192)
def parse_number(text: str) -> Number | None:
    """Parse one numeral expression (no measure word; ``%`` allowed); None if it is not one.

    >>> parse_number("70多万")
    Number(value=700000, high=None, approx='多', redacted=False, percent=False)
    >>> parse_number("3至5万")
    Number(value=30000, high=50000, approx=None, redacted=False, percent=False)
    >>> parse_number("5%—6%")
    Number(value=5, high=6, approx=None, redacted=False, percent=True)
    >>> parse_number("一千二百余万").value
    12000000
    >>> parse_number("上千")
    Number(value=1000, high=None, approx='上', redacted=False, percent=False)
    >>> parse_number("超*")
    Number(value=None, high=None, approx='超', redacted=True, percent=False)
    >>> parse_number("１２５").value
    125
    >>> parse_number("二十多").approx
    '多'
    >>> parse_number("") is None, parse_number("abc") is None, parse_number("1" * 41) is None
    (True, True, True)

    Results are cached (``Number`` is immutable): reports repeat the same few hundred
    numerals, and a hit costs a fraction of a parse.
    """
    if len(text) > MAX_NUMERAL:
        return None
    s = (text.translate(FULLWIDTH) if not text.isascii() and _FULLWIDTH_CHARS.search(text) else text).strip()
    if not s:
        return None
    if " " in s:
        s = _SPACE_MULT_RE.sub("", s)  # 56.8 万 (PDF and web copies space the multiplier off)
    if s.isdigit() and s.isascii():  # 125: most numerals of all, one int() (1.8 -> 0.9 µs a parse; 25 of 47 a report)
        return Number(int(s), None, None, False, False)
    simple = _SIMPLE_RE.fullmatch(s)
    if simple:  # 125, 10.95万, 18.5%: most numerals, without the general parser's passes
        digits, mult, pct = simple.groups()
        value = Decimal(digits)
        if mult:
            value *= BIG_UNITS[mult]
        return Number(_plain(value), None, None, False, bool(pct))
    percent = False
    if s.startswith("百分之"):
        percent, s = True, s[3:]
    prefix = None
    m = _PREFIX_RE.match(s)
    if m and len(s) > m.end():
        prefix, s = m.group(), s[m.end():]
    elif s[0] in POWER_PREFIX and len(s) > 1 and s[1] in "十百千万亿拾佰仟萬億":
        prefix, s = s[0], s[1:]
    if s.startswith("百分之"):
        percent, s = True, s[3:]
    if "%" in s:
        percent = True
        s = s.replace("%", "")
    if not s:
        return None
    red = _REDACTED_RE.match(s)
    if red:
        return Number(None, None, prefix or red.group(1) or red.group(2), True, percent)
    rng = _RANGE_RE.match(s)
    if rng:
        lo = _value_with_inner(rng.group(1))
        hi = _value_with_inner(rng.group(2))
        if lo is None or hi is None:
            return None
        lo_v, lo_approx = lo
        hi_v, hi_approx = hi
        # 3至5万: the multiplier written once applies to both ends
        mult = _trailing_multiplier(rng.group(2))
        if mult > 1 and _trailing_multiplier(rng.group(1)) == 1 and lo_v * mult <= hi_v:
            lo_v *= mult
        if lo_v > hi_v:
            return None
        return Number(_plain(lo_v), _plain(hi_v), prefix or lo_approx or hi_approx, False, percent)
    one = _value_with_inner(s)
    if one is None:
        return None
    value, inner = one
    core = parse_core(_strip_inner(s))
    high = core[1] if core else None
    return Number(_plain(value), _plain(high) if high is not None else None, prefix or inner, False, percent)


def _strip_inner(s: str) -> str:
    return _INNER_RE.sub("", s)


def _value_with_inner(s: str) -> tuple[Decimal, str | None] | None:
    inner = None
    m = _INNER_RE.search(s)
    if m:
        if m.start() == 0:
            return None
        inner = m.group()
        s = s[: m.start()] + s[m.end():]
    if s and s[0] in POWER_PREFIX and len(s) > 1:
        return None
    core = parse_core(s)
    if core is None:
        return None
    return core[0], inner


def _trailing_multiplier(s: str) -> Decimal:
    """The product of the 万/亿 written at the end of ``s``.

    >>> _trailing_multiplier("5万"), _trailing_multiplier("1.2万亿"), _trailing_multiplier("5")
    (Decimal('10000'), Decimal('1000000000000'), Decimal('1'))
    """
    mult = Decimal(1)
    for ch in reversed(s):
        if ch in BIG_UNITS:
            mult *= BIG_UNITS[ch]
        else:
            break
    return mult
