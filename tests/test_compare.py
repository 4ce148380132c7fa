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


def build_corpus(db_path: Path) -> Path:
    db = store.open_db(db_path)
    for path, region, province, year, figs in REPORTS:
        text = f"{region}{year}年政府工作报告。" + "。".join(f"{s}{v}{u}" for s, _, v, u, _, _ in figs)
        doc = Document(RawDocument(path, "txt", text, "utf-8"), text, list(range(len(text) + 1)),
                       meta={"region": region, "province": province, "year": year, "placeholders": 0})
        doc_id = store.content_id(text.encode())
        figures = [Figure(f"{s}{v:g}{u}", v, "percent" if u == "%" else "count", u, 0, 1, subject=s,
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
        ("乙市", "2021-2025", "actual", "个", [200]),
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
