"""The real government reports beside the project, ingested and compared (issue: the corpus).

Expected values were read off the source sentences of each report (../shared/corpus/reports),
e.g. 北京 2026: "全市地区生产总值5.2万亿元、增长5.4%" in the review and "地区生产总值增长5%左右"
among the year's targets.
"""

from __future__ import annotations

import pytest

from pipeline.compare import compare
from pipeline.ingest import ingest
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def reports_db(tmp_path_factory):
    folder = shared_path("corpus", "reports")
    db = tmp_path_factory.mktemp("reports") / "reports.sqlite"
    summary = ingest([str(folder)], str(db))
    assert summary.failed == 1  # the DLP-encrypted "docx", recorded with its reason
    return db


def _rows(db, indicator):
    """(province, year, status) -> the values reported for it."""
    c = compare(db, indicator=indicator, by=["province", "year"])
    return {(r["province"], r["year"], r["status"]): [float(v) for v in (
        r["value"] if isinstance(r["value"], list) else [r["value"]])] for r in c.rows}


GROWTH = [
    # (province, period, status, value as the report states it)
    ("北京市", 2025, "actual", 5.4),
    ("北京市", 2026, "target", 5),
    ("陕西省", 2025, "actual", 5.1),
    ("陕西省", 2026, "target", 5),
    ("河北省", 2026, "target", 5),
    ("西藏自治区", 2024, "actual", 6.3),
    ("西藏自治区", 2025, "target", 7),
    ("河南省", 2024, "actual", 5.1),
    ("贵州省", 2026, "target", 5),
    ("贵州省", 2024, "actual", 5.3),    # 2025 report (docx): 全年地区生产总值增长5.3%
    ("贵州省", 2025, "target", 5.5),    # 主要预期目标是：全省地区生产总值增长5.5%左右
    ("云南省", 2024, "actual", 3.3),    # 全省完成地区生产总值31534亿元、增长3.3%
    ("云南省", 2025, "target", 5),      # 主要预期目标建议为：地区生产总值增长5%左右
]

LEVEL = [
    ("北京市", 2025, "actual", 5_200_000_000_000),
    ("河南省", 2024, "actual", 6_360_000_000_000),
    ("云南省", 2024, "actual", 3_153_400_000_000),
]


@pytest.mark.parametrize("province, year, status, value", GROWTH)
def test_gdp_growth_outcomes_and_targets_side_by_side(reports_db, province, year, status, value):
    rows = _rows(reports_db, "gdp.growth_pct")
    assert (province, year, status) in rows, sorted(k for k in rows if k[0] == province)
    assert value in rows[(province, year, status)]


@pytest.mark.parametrize("province, year, status, value", LEVEL)
def test_gdp_level(reports_db, province, year, status, value):
    rows = _rows(reports_db, "gdp.cny")
    assert value in rows[(province, year, status)]


def test_targets_are_never_mixed_with_outcomes(reports_db):
    rows = _rows(reports_db, "gdp.growth_pct")
    assert {status for (_p, _y, status) in rows} <= {"actual", "target"}
    assert ("北京市", 2026, "actual") not in rows  # a 2026 report's 2026 figures are targets
