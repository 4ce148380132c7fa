"""Compare one indicator (or free-text subject) across regions and years; export tables.

``compare`` reads the ``figures_by_indicator`` view (figures of the newest version of each
document) and groups the matching figures by the requested keys. Figures are only ever
compared like with like: the unit is always a key, and so is the status (actual or target)
unless a single status is asked for. A figure with an indicator is counted in the indicator's
canonical unit (``pipeline.indicators.canonical``: 儿童之家 in 个, 所 or 处 is one series; ‰
and /10万 stay the rates they are). ``year`` is the period a figure is about (a 2026
report's 全年地区生产总值 is 2025's; a five-year span stays a span, 2021–2025); ``report-year``
the year of the report itself. ``level`` lifts each region to its province or city (GB/T 2260
code prefixes) before grouping.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import store
from pipeline.types import HuibaoError

#: --by key -> column of figures_by_indicator
BY_COLUMNS: dict[str, str] = {
    "region": "region",
    "province": "province",
    "year": "period",
    "report-year": "report_year",
    "indicator": "indicator",
    "subject": "subject",
    "status": "status",
    "org": "org",
    "level": "level",
    "document": "path",
}

#: --status value -> stored status (ANNOTATION.md calls achieved figures "actual")
STATUS_ALIASES = {"actual": "actual", "achieved": "actual", "target": "target"}

AGGREGATES = ("list", "first", "min", "max", "mean", "sum")

#: --level value -> characters of the GB/T 2260 code kept (the rest become zeros)
LEVELS = {"region": 6, "city": 4, "province": 2}

_YEAR_KEYS = ("year", "report-year")


@dataclass
class Comparison:
    columns: list[str]
    rows: list[dict[str, Any]]
    by: list[str]
    agg: str
    title: str


def _num(v: Any) -> Any:
    """Integral floats as ints, so that counts print as counts.

    >>> _num(125.0), _num(5.5), _num(None)
    (125, 5.5, None)
    """
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return int(v)
    return v


def _aggregate(values: list[Any], agg: str) -> Any:
    """Combine the values of one group.

    >>> _aggregate([3, 1, 3], "list"), _aggregate([3, 1], "mean"), _aggregate([], "max")
    ([1, 3], 2, None)
    """
    if not values:
        return None
    if agg == "list":
        return sorted({_num(v) for v in values})
    if agg == "first":
        return _num(values[0])
    if agg == "min":
        return _num(min(values))
    if agg == "max":
        return _num(max(values))
    if agg == "sum":
        return _num(sum(values))
    if agg == "mean":
        return _num(sum(values) / len(values))
    raise HuibaoError(f"unknown aggregate {agg!r} (known: {', '.join(AGGREGATES)})")


def _sort_key(v: Any) -> tuple[int, Any]:
    # None last; numbers before text so 2025 precedes "2021-2025"
    if v is None:
        return (2, "")
    if isinstance(v, int | float):
        return (0, v)
    return (1, str(v))


def period_label(start: int | None, end: int | None) -> int | str | None:
    """The period a figure is about: a year, or a span of years kept as a span.

    >>> period_label(2025, 2025), period_label(2021, 2025), period_label(None, None)
    (2025, '2021–2025', None)
    """
    if start is None:
        return None
    if end is None or end == start:
        return int(start)
    return f"{start}–{end}"


def region_at(code: str | None, region: str | None, level: str) -> str | None:
    """``region`` lifted to ``level`` (province or city) by its GB/T 2260 code's prefix: the
    division of that prefix (zeros after it), named by its full path as stored regions are. A
    region above the level, or without a code (全国), stays as it is; a county of a municipality
    (北京市东城区) lifts to the municipality, whose city code is a grouping row.

    >>> region_at("150702", "内蒙古自治区呼伦贝尔市海拉尔区", "city")
    '内蒙古自治区呼伦贝尔市'
    >>> region_at("150702", "内蒙古自治区呼伦贝尔市海拉尔区", "province")
    '内蒙古自治区'
    >>> region_at("110101", "北京市东城区", "city"), region_at(None, "全国", "province")
    ('北京市', '全国')
    """
    keep = LEVELS[level]
    if not code or len(code) != 6 or not code.isdigit() or keep >= 6:
        return region
    from pipeline.metadata import _index

    by_code = _index().by_code
    target = code[:keep].ljust(6, "0")
    if code == target:
        return region
    division = by_code.get(target)
    if division is None and keep == 4:  # no prefecture row: a municipality's county, or a
        province = by_code.get(code[:2] + "0000")  # county-level city under its province
        if province is not None and province.name.endswith("市"):
            return province.path
        return region
    return division.path if division else region


def compare(db_path: str | Path, *, indicator: str | None = None, subject: str | None = None,
            status: str | None = None, by: list[str] | tuple[str, ...] = ("region", "year"),
            region: str | None = None, unit: str | None = None, agg: str = "list",
            level: str = "region") -> Comparison:
    """Figures matching the filters, grouped by ``by`` (keys of ``BY_COLUMNS``).

    ``indicator`` is an indicator id (children_home.count): one the taxonomy and the corpus do
    not know is a ``HuibaoError`` naming the close ones. ``subject`` and ``region`` match as
    substrings; ``unit`` is the canonical unit for a figure with an indicator. ``level``
    (region, city, province) is what the ``region`` key names. Redacted figures (placeholders
    instead of numbers) are left out.
    """
    from pipeline import indicators as ind

    if not indicator and not subject:
        raise HuibaoError("say what to compare: --indicator ID or --subject TEXT")
    if level not in LEVELS:
        raise HuibaoError(f"unknown level {level!r} (known: {', '.join(LEVELS)})")
    unknown = [b for b in by if b not in BY_COLUMNS]
    if unknown:
        raise HuibaoError(f"unknown --by {unknown[0]!r} (known: {', '.join(BY_COLUMNS)})")
    if agg not in AGGREGATES:
        raise HuibaoError(f"unknown aggregate {agg!r} (known: {', '.join(AGGREGATES)})")
    wanted_status = None
    if status:
        wanted_status = STATUS_ALIASES.get(status)
        if wanted_status is None:
            raise HuibaoError(f"unknown status {status!r} (known: {', '.join(STATUS_ALIASES)})")
    where = ["redacted = 0", "value IS NOT NULL"]
    params: list[Any] = []
    if indicator:
        where.append("indicator = ?")
        params.append(indicator)
    if subject:
        where.append("instr(subject, ?) > 0")
        params.append(subject)
    if wanted_status:
        where.append("status = ?")
        params.append(wanted_status)
    if region:
        where.append("(instr(region, ?) > 0 OR instr(province, ?) > 0)")
        params += [region, region]
    keys = list(dict.fromkeys(by))
    if "status" not in keys and not wanted_status:
        keys.append("status")  # never mix outcomes with targets
    tax = ind.taxonomy()
    db = store.open_db(db_path, readonly=True)
    try:
        if indicator:  # an id neither the taxonomy nor the corpus knows: name the close ones
            ind.check_indicator(indicator, db_path)
        rows = db.query(f"SELECT * FROM figures_by_indicator WHERE {' AND '.join(where)} "
                        "ORDER BY report_year, path, idx", params)
        groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for r in rows:
            r = dict(r)
            if r["indicator"]:  # one indicator, one unit: its canonical one
                r["value"], r["unit"] = ind.canonical(r["indicator"], r["value"], r["unit"], tax=tax)
            if unit and r["unit"] != unit:
                continue
            r["period"] = period_label(r["period_start"], r["period_end"])
            if level != "region":
                r["region"] = region_at(r["region_code"], r["region"], level)
            k = tuple(r[BY_COLUMNS[b]] for b in keys) + (r["unit"],)
            groups.setdefault(k, []).append(r)
    except sqlite3.Error as e:
        raise store._db_error(db_path, e) from None
    finally:
        db.close()
    columns = [*keys, "unit", "value", "n", "documents"]
    out = []
    for k in sorted(groups, key=lambda t: tuple(_sort_key(v) for v in t)):
        members = groups[k]
        out.append({**dict(zip(keys, k)), "unit": k[-1],
                    "value": _aggregate([m["value"] for m in members], agg),
                    "n": len(members), "documents": len({m["document_id"] for m in members})})
    what = indicator or f"subject contains {subject}"
    title = f"{what}" + (f" ({wanted_status})" if wanted_status else "") + (
        f" by {level}" if level != "region" else "")
    return Comparison(columns, out, keys, agg, title)


# ---------------------------------------------------------------- output

def _cell(v: Any) -> str:
    """A value as table/CSV text.

    >>> _cell([1, 2.5]), _cell(None), _cell(23520000000)
    ('1; 2.5', '', '23520000000')
    """
    if v is None:
        return ""
    if isinstance(v, list):
        return "; ".join(_cell(x) for x in v)
    if isinstance(v, float):
        return format(v, ".10g")
    return str(v)


def to_csv(c: Comparison) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(c.columns)
    for r in c.rows:
        w.writerow([_cell(r[col]) for col in c.columns])
    return buf.getvalue()


def to_json(c: Comparison) -> str:
    return json.dumps({"title": c.title, "by": c.by, "agg": c.agg, "rows": c.rows}, ensure_ascii=False,
                      indent=1)


def print_table(c: Comparison) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=c.title)
    for col in c.columns:
        table.add_column(col, justify="right" if col in ("value", "n", "documents") else "left")
    for r in c.rows:
        table.add_row(*(_cell(r[col]) for col in c.columns))
    Console().print(table)
    if not c.rows:
        Console(stderr=True).print("no matching figures")


# ---------------------------------------------------------------- plot

#: fonts with Chinese glyphs, in order of preference (Debian: apt install fonts-noto-cjk)
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


def cjk_font() -> str | None:
    """The first installed font of ``CJK_FONTS``, or None (Chinese labels would be boxes)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FONTS if f in installed), None)


def plot(c: Comparison, out: str | Path) -> str | None:
    """Draw the comparison to ``out`` (PNG, SVG, PDF by extension); returns a warning or None.

    With a year among the keys: one line per combination of the other keys, the year on x.
    Otherwise a bar per group. Groups with several values are drawn at their maximum when
    ``agg`` is ``list``; periods spanning several years are left out of line charts.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    warning = None
    font = cjk_font()
    if font:
        plt.rcParams["font.sans-serif"] = [font, *plt.rcParams["font.sans-serif"]]
        plt.rcParams["font.family"] = "sans-serif"
        plt.rcParams["axes.unicode_minus"] = False
    else:
        warning = "no CJK font installed (apt install fonts-noto-cjk): Chinese labels will not render"

    def number(v: Any) -> float | None:
        if isinstance(v, list):
            return max(v) if v else None
        return v

    year_key = next((k for k in c.by if k in _YEAR_KEYS), None)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    if year_key:
        others = [k for k in c.columns if k not in (year_key, "value", "n", "documents")]
        series: dict[str, list[tuple[int, float]]] = {}
        for r in c.rows:
            x, y = r[year_key], number(r["value"])
            if not isinstance(x, int) or y is None:
                continue
            label = " · ".join(_cell(r[k]) for k in others if r[k] is not None) or c.title
            series.setdefault(label, []).append((x, y))
        for label, pts in sorted(series.items()):
            pts.sort()
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
        ax.set_xlabel("report year" if year_key == "report-year" else "year (period of the figure)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if series:
            ax.legend(fontsize="small")
    else:
        labels, values = [], []
        for r in c.rows:
            y = number(r["value"])
            if y is None:
                continue
            labels.append(" · ".join(_cell(r[k]) for k in c.by if r[k] is not None) or "?")
            values.append(y)
        ax.bar(range(len(values)), values)
        ax.set_xticks(range(len(values)), labels, rotation=30, ha="right", fontsize="small")
    units = sorted({r["unit"] for r in c.rows if r["unit"]})
    ax.set_ylabel(", ".join(units) + (" (max of the group)" if c.agg == "list" else f" ({c.agg})"))
    ax.set_title(c.title)
    fig.tight_layout()
    try:
        Path(out).parent.mkdir(parents=True, exist_ok=True)  # --plot charts/2024/gdp.png: make the folder
        fig.savefig(out)
    except FileExistsError:  # mkdir: a file where a folder of the path should be
        raise HuibaoError(f"cannot write the chart to {out}: a part of its path is a file, not a folder") from None
    except OSError as e:  # no permission, a full disk
        raise HuibaoError(f"cannot write the chart to {out}: {e.strerror or e}") from None
    except ValueError as e:  # an extension matplotlib draws no format for (.xyz)
        raise HuibaoError(f"cannot write the chart to {out}: {e}") from None
    finally:
        plt.close(fig)
    return warning


# ---------------------------------------------------------------- export

EXPORT_FORMATS = ("csv", "json", "jsonl", "parquet")

#: 0/1 columns of the schema that are yes/no (exported as booleans)
BOOLEAN_COLUMNS = frozenset({"redacted", "truncated"})

#: the default ``figures`` export: every figure column, then where and when its document is from
FIGURES_EXPORT = ("SELECT f.*, d.path, d.region, d.province, d.region_code, d.year AS report_year "
                  "FROM figures f LEFT JOIN documents d ON d.id = f.document_id ORDER BY f.id")


def _typed(name: str, v: Any) -> Any:
    """An exported value: yes/no columns as booleans, integral numbers of NUMERIC columns as
    they were stored (SQLite keeps 125 an integer and 5.3 a real), the rest as it is.

    >>> _typed("redacted", 0), _typed("redacted", None), _typed("value", 125), _typed("value", 5.3)
    (False, None, 125, 5.3)
    """
    if name in BOOLEAN_COLUMNS and v in (0, 1):
        return bool(v)
    return v


def _csv_cell(v: Any) -> Any:
    """CSV text of a typed value: booleans as true/false, numbers as numbers, NULL empty.

    >>> [_csv_cell(v) for v in (True, 125, 0.5, None, "个")]
    ['true', 125, 0.5, '', '个']
    """
    if isinstance(v, bool):
        return "true" if v else "false"
    return "" if v is None else v


#: Arrow type of a column with no value, by its declared SQLite type (else text)
_EMPTY_TYPES = {"INTEGER": "int64", "REAL": "float64", "NUMERIC": "float64"}


def _arrow_table(columns: list[str], rows: list[tuple[Any, ...]], declared: dict[str, str] | None = None) -> Any:
    """The rows as an Arrow table with a type per column that Parquet keeps: integers as int64,
    yes/no columns as booleans, mixed integers and reals as float64, and a column mixing numbers
    and text (period "2021-2025" beside 2025) as text. A column without any value takes its
    ``declared`` SQLite type."""
    import pyarrow as pa

    arrays = []
    for k, name in enumerate(columns):
        values = [_typed(name, r[k]) for r in rows]
        types = {type(v) for v in values if v is not None}
        if not types:
            kind = "bool" if name in BOOLEAN_COLUMNS else _EMPTY_TYPES.get((declared or {}).get(name, ""), "string")
            arrays.append(pa.array(values, type=getattr(pa, "bool_" if kind == "bool" else kind)()))
        elif types == {bool}:
            arrays.append(pa.array(values, type=pa.bool_()))
        elif types == {int}:
            arrays.append(pa.array(values, type=pa.int64()))
        elif types <= {int, float}:
            arrays.append(pa.array([None if v is None else float(v) for v in values], type=pa.float64()))
        elif types == {str}:
            arrays.append(pa.array(values, type=pa.string()))
        else:  # mixed, or bytes
            arrays.append(pa.array([None if v is None else str(v) for v in values], type=pa.string()))
    return pa.Table.from_arrays(arrays, names=columns)


def export(db_path: str | Path, fmt: str, out: str | Path, table: str = "figures") -> int:
    """Write a table or view of the corpus to CSV (UTF-8), JSON (an array of objects), JSON
    Lines or Parquet; returns the row count.

    Values keep their types: integers stay integers, yes/no columns (redacted, truncated) are
    booleans (true/false in CSV and JSON). ``figures`` comes with the path, region, province,
    region code and year of each figure's document.
    """
    if fmt not in EXPORT_FORMATS:
        raise HuibaoError(f"unknown export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
    db = store.open_db(db_path, readonly=True)
    try:
        names = [t for t in db.table_names() if not t.startswith(("texts_fts", "_"))] + db.view_names()
        if table not in names:
            raise HuibaoError(f"{db_path}: no table or view {table!r} (known: {', '.join(names)})")
        declared = {"report_year": "INTEGER"}  # the columns' SQLite types (a view's are its tables')
        for t in (["documents"] if table == "figures" else []) + [table]:
            declared.update((r[1], (r[2] or "").upper()) for r in db.conn.execute(f"PRAGMA table_info([{t}])"))
        cur = db.conn.execute(FIGURES_EXPORT if table == "figures" else f"SELECT * FROM [{table}]")
        columns = [d[0] for d in cur.description]
        try:
            return _write(cur, columns, fmt, out, declared)
        except OSError as e:
            raise HuibaoError(f"{out}: cannot write ({e.strerror or e})") from None
    except sqlite3.Error as e:
        raise store._db_error(db_path, e) from None
    finally:
        db.close()


def _write(cur: sqlite3.Cursor, columns: list[str], fmt: str, out: str | Path, declared: dict[str, str]) -> int:
    n = 0
    if fmt == "parquet":
        import pyarrow.parquet as pq

        rows = cur.fetchall()
        pq.write_table(_arrow_table(columns, rows, declared), out)
        return len(rows)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n") if fmt == "csv" else None
        if w:
            w.writerow(columns)
        elif fmt == "json":
            f.write("[")
        for row in cur:
            typed = [_typed(c, v) for c, v in zip(columns, row)]
            if w:
                w.writerow([_csv_cell(v) for v in typed])
            else:
                line = json.dumps(dict(zip(columns, typed)), ensure_ascii=False, default=str)
                f.write(line + "\n" if fmt == "jsonl" else ("," if n else "") + "\n" + line)
            n += 1
        if fmt == "json":
            f.write("\n]\n")
    return n
