"""pipeline.metadata: gold metadata, expected values for the real reports, synthetic cases."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.metadata import document_metadata, find_title, parse_place
from pipeline.types import Document, RawDocument


def _doc(text: str, path: str = "report.txt", raw: str | None = None) -> Document:
    raw_doc = RawDocument(path, "txt", raw if raw is not None else text)
    return Document(raw_doc, text, list(range(len(text) + 1)))


def _load(path) -> Document:
    """The cleaned document; an identity document of the text file while load/clean are absent."""
    try:
        from pipeline.clean import clean
        from pipeline.load import load
    except ImportError:
        if path.suffix != ".txt":
            pytest.skip(f"pipeline.load/clean not in this checkout: cannot read {path.name}")
        return _doc(path.read_text(encoding="utf-8"), str(path))
    return clean(load(str(path)))


# ---------------------------------------------------------------- gold

# Gold says 中国 for the national report, ANNOTATION.md and SOURCES.md say 全国: one national region.
NATIONAL = {"中国": "全国"}

# (doc, field): why the gold value cannot be read from the document's own text.
GOLD_XFAIL = {
    ("004_4d995946c369d224.txt", "title"): "gold corrects the source's typo (童儿 -> 儿童)",
    ("gov_county_hailar_2017_mid.txt", "org"): "a mid-report excerpt: no line names the issuer",
    ("gov_province_2025_jilin_from_docx_mid.txt", "org"): "a mid-report excerpt: no line names the issuer",
    ("gov_province_2025_jilin_from_docx_mid.txt", "region"):
        "the excerpt names 吉林 once (G331吉林段) and 上海 once: not enough to tell the province",
}


def _gold_cases():
    from tests.conftest import SHARED

    out = []
    for name in ("seeds", "dev"):
        path = SHARED / "gold" / f"{name}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            for field in ("title", "org", "year", "region", "published"):
                if field in d:
                    marks = ()
                    if (d["doc"], field) in GOLD_XFAIL:
                        marks = pytest.mark.xfail(strict=True, reason=GOLD_XFAIL[d["doc"], field])
                    out.append(pytest.param(name, d["doc"], field, d[field], marks=marks,
                                            id=f"{d['doc']}-{field}"))
    return out or [pytest.param(None, None, None, None, marks=pytest.mark.skip(reason="../shared/gold absent"))]


@pytest.mark.parametrize("corpus,doc_name,field,expected", _gold_cases())
def test_gold_metadata(shared, corpus, doc_name, field, expected):
    doc = _load(shared("corpus", corpus, doc_name))
    got = document_metadata(doc)[field]
    if field == "region":
        expected = NATIONAL.get(expected, expected)
    assert got == expected


# ---------------------------------------------------------------- whole reports (SOURCES.md + own lines)

REPORTS = [
    # file, title, org, level, region, year, reviews
    ("gov_county_hailar_2013.txt", "政府工作报告", "海拉尔区人民政府", "区", "内蒙古自治区呼伦贝尔市海拉尔区", 2013, 2012),
    ("gov_county_hailar_2017.txt", None, "海拉尔区人民政府", "区", "内蒙古自治区呼伦贝尔市海拉尔区", 2017, 2016),
    ("gov_national_2019_wikisource.txt", None, "国务院", "全国", "全国", 2019, 2018),
    ("gov_province_2025_guizhou.docx", "2025年贵州省政府工作报告", "贵州省人民政府", "省", "贵州省", 2025, 2024),
    ("gov_province_2025_henan.docx", "2025年河南省政府工作报告", "河南省人民政府", "省", "河南省", 2025, 2024),
    ("gov_province_2025_jilin_from_docx.txt", "2025年吉林省政府工作报告", "吉林省人民政府", "省", "吉林省", 2025, 2024),
    ("gov_province_2025_xizang_from_docx.txt", "2025年西藏政府工作报告", "西藏自治区人民政府", "省", "西藏自治区", 2025, 2024),
    ("gov_province_2025_yunnan.docx", "2025年云南省政府工作报告", "云南省人民政府", "省", "云南省", 2025, 2024),
    ("gov_province_2026_beijing_webscrape.txt", "2026年北京市政府工作报告", "北京市人民政府", "省", "北京市", 2026, 2025),
    ("gov_province_2026_guizhou_webscrape.txt", "政府工作报告", "贵州省人民政府", "省", "贵州省", 2026, 2025),
    ("gov_province_2026_hebei_webscrape.txt", "2026年河北省政府工作报告", "河北省人民政府", "省", "河北省", 2026, 2025),
    ("gov_province_2026_shaanxi_webscrape.txt", "陕西省2026年政府工作报告", "陕西省人民政府", "省", "陕西省", 2026, 2025),
    # a company's quarterly report: a place (福建厦门 in SOURCES.md) but no administrative level
    ("other_company_xiamen_itg_2020q1_report.pdf", "2020年第一季度报告", "厦门国贸集团股份有限公司", None,
     "福建省厦门市", 2020, None),
    pytest.param("summary_dev_notes_wps.doc", None, None, None, None, 2019, None, marks=pytest.mark.xfail(
        strict=True, reason="2019 (SOURCES.md) is only the file's saved date; the loader does not expose it")),
]


@pytest.mark.parametrize("name,title,org,level,region,year,reviews", REPORTS)
def test_report_metadata(shared, name, title, org, level, region, year, reviews):
    m = document_metadata(_load(shared("corpus", "reports", name)))
    got = (m["title"], m["org"], m["level"], m["region"], m["year"], m["reviews"])
    assert got == (title, org, level, region, year, reviews)


def test_delivered_and_published_dates(shared):
    m = document_metadata(_load(shared("corpus", "reports", "gov_province_2026_shaanxi_webscrape.txt")))
    assert (m["delivered"], m["published"]) == ("2026-01-27", "2026-02-02")
    assert m["region_code"] == "610000" and m["province"] == "陕西省"


# ---------------------------------------------------------------- synthetic

SYNTH = [
    # text, field, expected
    ("2021年XX县妇联工作总结\n今年，XX县妇联开展活动12次。", "region", None),
    ("2021年XX县妇联工作总结\n今年，XX县妇联开展活动12次。", "org", "县妇联"),
    ("2021年XX县妇联工作总结\n今年，XX县妇联开展活动12次。", "level", "县"),
    ("2021年XX县妇联工作总结\n今年，XX县妇联开展活动12次。", "placeholders", 2),
    ("**乡妇联工作汇报\n本乡共有留守儿童*名。", "region", None),
    ("海拉尔区妇联2019年工作总结\n全年开展活动5次。", "region", "内蒙古自治区呼伦贝尔市海拉尔区"),
    ("海拉尔区妇联2019年工作总结\n全年开展活动5次。", "org", "海拉尔区妇联"),
    ("海拉尔区妇联2019年工作总结\n全年开展活动5次。", "reviews", 2019),
    ("襄樊市妇联2009年工作总结\n全年开展活动5次。", "region", "湖北省襄阳市"),
    ("政府工作报告\n——2016年2月19日在朝阳区第十五届人民代表大会第五次会议上\n各位代表：\n现在，我代表区政府向大会报告工作。",
     "region", None),  # a bare 朝阳区: Beijing or Changchun
    ("政府工作报告\n——2016年2月19日在朝阳区第十五届人民代表大会第五次会议上\n各位代表：\n现在，我代表区政府向大会报告工作。",
     "level", "区"),
    ("政府工作报告\n——2016年2月19日在朝阳区第十五届人民代表大会第五次会议上\n各位代表：\n", "year", 2016),
    ("政府工作报告\n——2016年2月19日在朝阳区第十五届人民代表大会第五次会议上\n各位代表：\n", "reviews", 2015),
    ("政府工作报告\n——2016年2月19日在北京市朝阳区第十五届人民代表大会第五次会议上\n各位代表：\n",
     "region", "北京市朝阳区"),
    ("2026年四川省政府工作报告\n各位代表：\n现在，我代表省人民政府向大会报告工作。", "org", "四川省人民政府"),
    ("2026年四川省政府工作报告\n各位代表：\n现在，我代表省人民政府向大会报告工作。", "region_code", "510000"),
    ("各位代表：\n现在，我代表国务院，向大会报告政府工作。\n一、2018年工作回顾\n", "year", 2019),
    ("各位代表：\n现在，我代表国务院，向大会报告政府工作。\n一、2018年工作回顾\n", "region", "全国"),
    ("关爱留守儿童工作汇报\n截至2023年6月，全县共有留守儿童300名。", "year", 2023),
    ("社区工作总结\n本社区开展活动。\n二〇二二年十二月三十日", "year", 2022),
    ("加强科技创新资源统筹。推进食品产业园建设。", "title", None),
    ("加强科技创新资源统筹。推进食品产业园建设。", "year", None),
]


@pytest.mark.parametrize("text,field,expected", SYNTH, ids=[f"{t[:12]}-{f}" for t, f, _ in SYNTH])
def test_synthetic(text, field, expected):
    assert document_metadata(_doc(text))[field] == expected


def test_dates_from_raw_text_the_cleaner_removed():
    raw = "某网站\n发布日期:2021-01-26 09:16:13\n区妇联2021年工作总结\n全年开展活动5次。\n本页面最后一次更新时间为2020-12-24"
    m = document_metadata(_doc("区妇联2021年工作总结\n全年开展活动5次。", raw=raw))
    assert (m["published"], m["updated"], m["year"]) == ("2021-01-26", "2020-12-24", 2021)


def test_year_from_file_name_only_when_the_text_has_none():
    m = document_metadata(_doc("推进食品产业园建设。", path="/x/gov_county_2017_mid.txt"))
    assert (m["year"], m["year_source"]) == (2017, "file_name")
    m = document_metadata(_doc("推进食品产业园建设。", path="/x/4d995946c369d224.txt"))
    assert m["year"] is None


def test_keeps_nothing_from_the_cleaner():
    # merging the result into doc.meta must not clobber the cleaner's truncation keys
    assert not {"truncated", "missing_chars"} & set(document_metadata(_doc("工作汇报\n正文。")))


def test_parse_place_renames_and_context():
    assert parse_place("朝阳区", context=parse_place("北京市")).path == "北京市朝阳区"
    assert parse_place("某县") is None
    assert find_title("标题:区妇联工作汇报 |\n正文") == "区妇联工作汇报"


def test_fast_enough_for_bulk_ingest():
    text = "2026年四川省政府工作报告\n各位代表：\n现在，我代表省人民政府向大会报告工作。\n" + "全省地区生产总值增长5%。" * 2000
    document_metadata(_doc(text))  # builds the division index once
    t = time.perf_counter()
    for _ in range(20):
        document_metadata(_doc(text))
    assert (time.perf_counter() - t) / 20 < 0.05


def test_a_district_named_once_inside_a_word_is_not_the_place():
    from pipeline.metadata import _body_place

    assert _body_place("新增城区绿地面积144亩。广州市推进绿化，广州市公园增加。").name == "广州市"


def test_autonomous_prefecture_federation_is_the_issuer():
    from pipeline.types import Document, RawDocument

    t = "2019年恩施土家族苗族自治州妇联工作总结\n一年来，州妇联坚持党建带妇建，全州建成儿童之家967所。"
    m = document_metadata(Document(RawDocument("x.txt", "txt", t), t, list(range(len(t) + 1)), meta={}))
    assert (m["org"], m["region"], m["level"]) == ("恩施土家族苗族自治州妇联", "湖北省恩施土家族苗族自治州", "市")


@pytest.fixture(scope="module")
def body_names_reference():
    """The division names of the body rule, and the regular expression they were once matched
    with: an alternation, longest names first (leftmost, then longest, never overlapping)."""
    import re

    from pipeline.metadata import _body_names

    names = sorted(_body_names()[0], key=len, reverse=True)
    return names, re.compile("|".join(map(re.escape, names)))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_body_names_are_found_as_an_alternation_finds_them(body_names_reference, data):
    """Text made of division names (whole, cut, or run together: 北京市朝阳区, 朝阳区县) and
    filler: the two-character lookup finds what the alternation finds."""
    from pipeline.metadata import _body_names_in

    names, alternation = body_names_reference
    pieces = data.draw(st.lists(st.one_of(
        st.sampled_from(names),
        st.sampled_from(names).map(lambda n: n[:-1]),  # a name cut short
        st.sampled_from(names).map(lambda n: n[1:]),
        st.text(alphabet="的和在市县区省州镇乡村北京南海东西新城123，。 ", max_size=4),
    ), max_size=12))
    text = "".join(pieces)
    assert list(_body_names_in(text)) == [(m.start(), m.group()) for m in alternation.finditer(text)]
