"""compare / export over a corpus the test writes through the store (no extraction involved)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from pipeline import compare as cmp
from pipeline import store
from pipeline.types import Document, Figure, HuibaoError, RawDocument

#: (path, region, province, report year, figures as (subject, indicator, value, unit, status, period))
REPORTS = [
    ("a/2025.txt", "甲省", "甲省", 2025, [("地区生产总值", None, 5.3, "%", "actual", 2024),
                                       ("地区生产总值", None, 5.5, "%", "target", 2025),
                                       ("儿童之家", "children_home.count", 120, "个", "actual", 2024)]),
    ("a/2026.txt", "甲省", "甲省", 2026, [("地区生产总值", None, 4.9, "%", "actual", 2025),
                                       ("地区生产总值", None, 5, "%", "target", 2026),
                                       ("地区生产总值", None, 21000e8, "元", "actual", 2025),
                                       ("儿童之家", "children_home.count", 131, "个", "actual", 2025),
                                       ("儿童之家", "children_home.count", 9, "个", "actual", 2025)]),
    ("b/2026.txt", "乙市", "甲省", 2026, [("地区生产总值", None, 6.1, "%", "actual", 2025),
                                       ("儿童之家", "children_home.count", 40, "个", "target", 2026),
                                       ("过去五年儿童之家", "children_home.count", 200, "个", "actual", [2021, 2025])]),
]


#: kind of a figure by its unit, as the extractor gives it
KINDS = {"%": "percent", "‰": "percent", "/10万": "other", "元": "money"}


def build_corpus(db_path: Path, reports=REPORTS, codes: dict[str, str] | None = None) -> Path:
    db = store.open_db(db_path)
    for path, region, province, year, figs in reports:
        text = f"{region}{year}年政府工作报告。" + "。".join(f"{s}{v}{u}" for s, _, v, u, _, _ in figs)
        doc = Document(RawDocument(path, "txt", text, "utf-8"), text, list(range(len(text) + 1)),
                       meta={"region": region, "province": province, "year": year, "placeholders": 0,
                             "region_code": (codes or {}).get(region)})
        doc_id = store.content_id(text.encode())
        figures = [Figure(f"{s}{v:g}{u}", v, KINDS.get(u, "count"), u, 0, 1, subject=s,
                          indicator=ind, status=st, period=p, sentence=f"{s}{v:g}{u}。")
                   for s, ind, v, u, st, p in figs]
        rows = [store.figure_row(f, doc_id, i) for i, f in enumerate(figures)]
        with db.atomic():
            store.write_record(db, store.Record(store.document_row(
                doc, doc_id=doc_id, n_figures=len(rows), version=store.pipeline_version()), text, rows))
    db.close()
    return db_path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("compare") / "corpus.sqlite")


def table(c: cmp.Comparison) -> list[tuple]:
    return [tuple(r[col] for col in c.columns if col not in ("n", "documents")) for r in c.rows]


def test_indicator_by_region_and_year(corpus):
    c = cmp.compare(corpus, indicator="children_home.count", by=["region", "year"])
    assert c.columns == ["region", "year", "status", "unit", "value", "n", "documents"]
    assert table(c) == [
        ("乙市", 2026, "target", "个", [40]),
        ("乙市", "2021–2025", "actual", "个", [200]),  # a five-year span stays a span
        ("甲省", 2024, "actual", "个", [120]),
        ("甲省", 2025, "actual", "个", [9, 131]),
    ]


def test_status_filter_accepts_achieved_and_keeps_units_apart(corpus):
    c = cmp.compare(corpus, subject="生产总值", status="achieved", by=["region", "year"])
    assert table(c) == [("乙市", 2025, "%", [6.1]), ("甲省", 2024, "%", [5.3]),
                        ("甲省", 2025, "%", [4.9]), ("甲省", 2025, "元", [2100000000000])]


def test_targets_beside_outcomes_by_report_year(corpus):
    c = cmp.compare(corpus, subject="地区生产总值", unit="%", by=["province", "report-year"], agg="max")
    assert table(c) == [("甲省", 2025, "actual", "%", 5.3), ("甲省", 2025, "target", "%", 5.5),
                        ("甲省", 2026, "actual", "%", 6.1), ("甲省", 2026, "target", "%", 5)]


@pytest.mark.parametrize("agg, expected", [("list", [9, 131]), ("sum", 140), ("mean", 70), ("min", 9),
                                           ("first", 131)])
def test_aggregates(corpus, agg, expected):
    c = cmp.compare(corpus, indicator="children_home.count", status="actual", region="甲省", by=["year"],
                    agg=agg)
    assert {r["year"]: r["value"] for r in c.rows}[2025] == expected


@pytest.mark.parametrize("kwargs, message", [
    ({}, "say what to compare"),
    ({"indicator": "x", "by": ["colour"]}, "unknown --by 'colour'"),
    ({"indicator": "x", "status": "maybe"}, "unknown status"),
])
def test_bad_requests(corpus, kwargs, message):
    with pytest.raises(HuibaoError, match=message):
        cmp.compare(corpus, **kwargs)


def test_missing_database(tmp_path):
    with pytest.raises(HuibaoError, match="no such corpus database"):
        cmp.compare(tmp_path / "none.sqlite", indicator="x")


def test_cli_compare_formats(corpus):
    base = ["compare", "--db", str(corpus), "--indicator", "children_home.count", "--by", "region", "--by", "year"]
    r = CliRunner().invoke(main, [*base, "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert rows[3] == {"region": "甲省", "year": "2025", "status": "actual", "unit": "个", "value": "9; 131",
                       "n": "2", "documents": "1"}
    r = CliRunner().invoke(main, [*base, "--format", "json"])
    assert json.loads(r.output)["rows"][0]["value"] == [40]
    r = CliRunner().invoke(main, [*base, "--status", "actual"])
    assert r.exit_code == 0 and "131" in r.output and "target" not in r.output


def test_plot_line_chart_with_chinese_labels(corpus, tmp_path):
    out = tmp_path / "gdp.png"
    c = cmp.compare(corpus, subject="地区生产总值", unit="%", by=["region", "year"])
    warning = cmp.plot(c, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 5000
    if cmp.cjk_font() is None:
        assert warning and "fonts-noto-cjk" in warning
    else:
        assert warning is None


def test_cli_plot_bar_chart(corpus, tmp_path):
    out = tmp_path / "bar.png"
    r = CliRunner().invoke(main, ["compare", "--db", str(corpus), "--indicator", "children_home.count",
                                  "--by", "region", "--plot", str(out), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert out.exists() and out.stat().st_size > 5000


PLOT_PLACES = [  # (where --plot draws, what happens): a missing folder is made, as audit --out makes its
    ("charts/2024/bar.png", None),
    ("blocker/bar.png", "cannot write the chart to {out}: a part of its path is a file, not a folder"),
    ("bar.xyz", "cannot write the chart to {out}: Format 'xyz' is not supported"),
]


@pytest.mark.parametrize(("place", "error"), PLOT_PLACES, ids=[p for p, _ in PLOT_PLACES])
def test_cli_plot_into_a_missing_folder_makes_it_and_other_places_are_one_line(corpus, tmp_path, place, error):
    """``--plot charts/2024/bar.png`` raised a FileNotFoundError traceback when charts/2024 did not exist."""
    (tmp_path / "blocker").write_text("a file where a folder should be")
    out = tmp_path / place
    r = CliRunner().invoke(main, ["compare", "--db", str(corpus), "--indicator", "children_home.count",
                                  "--by", "region", "--plot", str(out), "--format", "csv"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    if error is None:
        assert r.exit_code == 0, r.output
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert r.exit_code == 1 and r.output.splitlines()[-1].startswith(f"Error: {error.format(out=out)}")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("table_name", ["figures", "figures_by_indicator"])
def test_export(corpus, tmp_path, fmt, table_name):
    out = tmp_path / f"out.{fmt}"
    r = CliRunner().invoke(main, ["export", "--db", str(corpus), "--format", fmt, "--out", str(out),
                                  "--table", table_name])
    assert r.exit_code == 0, r.output
    n = sum(len(figs) for *_, figs in REPORTS)
    assert f"wrote {n} rows" in r.output
    df = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
    assert len(df) == n and {"value", "subject", "sentence"} <= set(df.columns)
    assert sorted(df["value"].tolist())[-1] == 21000e8


def test_export_unknown_table_is_one_line(corpus, tmp_path):
    r = CliRunner().invoke(main, ["export", "--db", str(corpus), "--out", str(tmp_path / "x.csv"), "--table", "nope"])
    assert r.exit_code == 1 and "no table or view 'nope'" in r.output and "Traceback" not in r.output


# ---------------------------------------------------------------- unknown ids


def test_an_unknown_indicator_names_the_close_ones(corpus):
    with pytest.raises(HuibaoError, match=r"unknown indicator 'children_homes\.count'; close ones: children_home"):
        cmp.compare(corpus, indicator="children_homes.count")


@pytest.mark.parametrize("indicator, close", [("gdp.level", "gdp.cny"), ("儿童之家", "children_home.count")])
def test_cli_unknown_indicator_is_one_line_and_fails(corpus, indicator, close):
    r = CliRunner().invoke(main, ["compare", "--db", str(corpus), "--indicator", indicator])
    assert r.exit_code == 1, r.output
    assert f"unknown indicator '{indicator}'" in r.output and close in r.output
    assert "Traceback" not in r.output and isinstance(r.exception, SystemExit)


# ---------------------------------------------------------------- one indicator, one unit

UNITS = [
    ("u/a.txt", "甲县", "甲省", 2025, [("儿童之家", "children_home.count", 121, "所", "actual", 2024),
                                     ("婴儿死亡率", "infant_mortality.permille", 4.5, "‰", "actual", 2024),
                                     ("孕产妇死亡率", "maternal_mortality.per100k", 14.2, "/10万", "actual", 2024)]),
    ("u/b.txt", "乙县", "甲省", 2025, [("儿童之家", "children_home.count", 30, "处", "actual", 2024),
                                     ("婴儿死亡率", "infant_mortality.permille", 3.9, "‰", "actual", 2024)]),
    ("u/c.txt", "丙县", "甲省", 2025, [("儿童之家", "children_home.count", 88, "个", "actual", 2024),
                                     ("孕产妇死亡率", "maternal_mortality.per100k", 12, "/10万", "actual", 2024),
                                     ("婴儿死亡", "infant_mortality.permille", 5, "人", "actual", 2024)]),
]


@pytest.fixture(scope="module")
def units_corpus(tmp_path_factory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("units") / "units.sqlite", UNITS)


@pytest.mark.parametrize("indicator, expected", [
    # 个, 所 and 处 of 儿童之家 are one series, in the canonical 个
    ("children_home.count", [("丙县", "个", [88]), ("乙县", "个", [30]), ("甲县", "个", [121])]),
    # rates stay the rates they are, never made counts
    ("infant_mortality.permille", [("丙县", "人", [5]), ("乙县", "‰", [3.9]), ("甲县", "‰", [4.5])]),
    ("maternal_mortality.per100k", [("丙县", "/10万", [12]), ("甲县", "/10万", [14.2])]),
])
def test_one_indicator_one_canonical_unit(units_corpus, indicator, expected):
    c = cmp.compare(units_corpus, indicator=indicator, by=["region"])
    assert [(r["region"], r["unit"], r["value"]) for r in c.rows] == expected


def test_the_sum_of_a_count_spans_its_measure_words(units_corpus):
    c = cmp.compare(units_corpus, indicator="children_home.count", by=["province"], agg="sum")
    assert [(r["province"], r["unit"], r["value"], r["n"]) for r in c.rows] == [("甲省", "个", 239, 3)]
    c = cmp.compare(units_corpus, indicator="infant_mortality.permille", by=["province"], agg="sum")
    assert sorted((r["unit"], r["value"]) for r in c.rows) == [("‰", 8.4), ("人", 5)]  # a count is never added to a rate


def test_the_unit_filter_takes_the_canonical_unit(units_corpus):
    c = cmp.compare(units_corpus, indicator="children_home.count", unit="个", by=["region"])
    assert len(c.rows) == 3
    assert cmp.compare(units_corpus, indicator="children_home.count", unit="所", by=["region"]).rows == []


# ---------------------------------------------------------------- levels of region

#: (path, region, province, report year, figures); the regions' GB/T 2260 codes in CODES
LEVELS = [
    ("l/xh.txt", "浙江省杭州市西湖区", "浙江省", 2025, [("地区生产总值", "gdp.cny", 100, "元", "actual", 2024)]),
    ("l/hz.txt", "浙江省杭州市", "浙江省", 2025, [("地区生产总值", "gdp.cny", 1000, "元", "actual", 2024)]),
    ("l/yz.txt", "浙江省宁波市鄞州区", "浙江省", 2025, [("地区生产总值", "gdp.cny", 200, "元", "actual", 2024)]),
    ("l/dc.txt", "北京市东城区", "北京市", 2025, [("地区生产总值", "gdp.cny", 300, "元", "actual", 2024)]),
    ("l/cn.txt", "全国", None, 2025, [("国内生产总值", "gdp.cny", 9000, "元", "actual", 2024)]),
]
CODES = {"浙江省杭州市西湖区": "330106", "浙江省杭州市": "330100", "浙江省宁波市鄞州区": "330212",
         "北京市东城区": "110101"}


@pytest.fixture(scope="module")
def levels_corpus(tmp_path_factory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("levels") / "levels.sqlite", LEVELS, CODES)


@pytest.mark.parametrize("level, expected", [
    ("region", {"浙江省杭州市西湖区": [100], "浙江省杭州市": [1000], "浙江省宁波市鄞州区": [200],
                "北京市东城区": [300], "全国": [9000]}),
    ("city", {"浙江省杭州市": [100, 1000], "浙江省宁波市": [200], "北京市": [300], "全国": [9000]}),
    ("province", {"浙江省": [100, 200, 1000], "北京市": [300], "全国": [9000]}),
])
def test_regions_lifted_to_a_level(levels_corpus, level, expected):
    c = cmp.compare(levels_corpus, indicator="gdp.cny", by=["region"], level=level)
    assert {r["region"]: r["value"] for r in c.rows} == expected


@pytest.mark.parametrize("code, region, level, lifted", [
    ("330106", "浙江省杭州市西湖区", "city", "浙江省杭州市"),
    ("330100", "浙江省杭州市", "city", "浙江省杭州市"),
    ("330000", "浙江省", "city", "浙江省"),          # above the level: as it is
    ("110101", "北京市东城区", "city", "北京市"),     # a municipality's county: the municipality
    ("429004", "湖北省仙桃市", "city", "湖北省仙桃市"),  # a county-level city under its province
    ("429004", "湖北省仙桃市", "province", "湖北省"),
    (None, "全国", "province", "全国"),
    ("12ab", "某地", "province", "某地"),
])
def test_region_at(code, region, level, lifted):
    assert cmp.region_at(code, region, level) == lifted


def test_cli_compare_by_province_level(levels_corpus):
    r = CliRunner().invoke(main, ["compare", "--db", str(levels_corpus), "--indicator", "gdp.cny",
                                  "--by", "region", "--level", "province", "--agg", "sum", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {row["region"]: row["value"] for row in json.loads(r.output)["rows"]}
    assert rows == {"浙江省": 1300, "北京市": 300, "全国": 9000}


# ---------------------------------------------------------------- periods of several years


def test_a_span_of_years_stays_a_span_in_every_format(corpus):
    base = ["compare", "--db", str(corpus), "--indicator", "children_home.count", "--region", "乙市",
            "--status", "actual", "--by", "year"]
    r = CliRunner().invoke(main, [*base, "--format", "json"])
    assert [row["year"] for row in json.loads(r.output)["rows"]] == ["2021–2025"]
    r = CliRunner().invoke(main, [*base, "--format", "csv"])
    assert next(csv.DictReader(io.StringIO(r.output)))["year"] == "2021–2025"


# ---------------------------------------------------------------- export types


def _read(fmt: str, out: Path) -> list[dict]:
    if fmt == "csv":
        return pd.read_csv(out).to_dict("records")
    if fmt == "parquet":
        return pd.read_parquet(out).to_dict("records")
    text = out.read_text(encoding="utf-8")
    return json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "parquet"])
def test_figures_export_has_where_and_when_and_keeps_types(corpus, tmp_path, fmt):
    out = tmp_path / f"figures.{fmt}"
    r = CliRunner().invoke(main, ["export", "--db", str(corpus), "--format", fmt, "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = _read(fmt, out)
    assert len(rows) == sum(len(figs) for *_, figs in REPORTS)
    span = next(row for row in rows if row["value"] == 200)
    assert (span["path"], span["region"], span["province"], span["report_year"]) == ("b/2026.txt", "乙市", "甲省", 2026)
    assert (span["period_start"], span["period_end"]) == (2021, 2025)
    for row in rows:
        assert str(row["redacted"]) == "False"  # a boolean (numpy's in parquet), not 0 or "0"
        assert type(row["idx"]).__name__ in ("int", "int64") and type(row["report_year"]).__name__ in ("int", "int64")
    if fmt in ("json", "jsonl"):  # exact JSON types: integers stay integers, yes/no are booleans
        assert span["value"] == 200 and isinstance(span["value"], int) and span["redacted"] is False
        assert next(row for row in rows if row["value"] == 5.3)["value"] == 5.3


def test_csv_export_writes_integers_and_booleans_as_such(corpus, tmp_path):
    out = tmp_path / "f.csv"
    CliRunner().invoke(main, ["export", "--db", str(corpus), "--out", str(out)])
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    span = next(row for row in rows if row["value"] == "200")
    assert span["redacted"] == "false" and span["period_start"] == "2021" and span["idx"] == "2"
    assert {row["value"] for row in rows} >= {"2100000000000", "5.3", "131"}


def test_parquet_column_types(corpus, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "f.parquet"
    CliRunner().invoke(main, ["export", "--db", str(corpus), "--format", "parquet", "--out", str(out)])
    schema = pq.read_schema(out)
    types = {name: str(schema.field(name).type) for name in schema.names}
    assert types["redacted"] == "bool" and types["idx"] == "int64" and types["report_year"] == "int64"
    assert types["period_start"] == "int64" and types["value"] == "double" and types["path"] == "string"


def test_parquet_column_without_values_keeps_its_declared_type(corpus, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "d.parquet"
    CliRunner().invoke(main, ["export", "--db", str(corpus), "--format", "parquet", "--out", str(out),
                              "--table", "documents"])
    types = {f.name: str(f.type) for f in pq.read_schema(out)}
    # no document has missing_chars, truncated or an error: still integer, boolean and text columns
    assert (types["missing_chars"], types["truncated"], types["error"]) == ("int64", "bool", "string")
