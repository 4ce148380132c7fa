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
    # a span of years in a title is a plan's term: the year the report is on comes after it
    ("某省儿童发展规划（2021—2030年）2023年度统计监测报告\n全省婴儿死亡率为3.1‰。", "year", 2023),
    ("某市“十四五”规划（2021年-2025年）中期评估报告（2023年）\n全市开展活动5次。", "year", 2023),
    ("某县妇女发展规划（2021-2025年）\n一、主要目标\n", "year", 2025),
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


# ---------------------------------------------------------------- scraped web pages (issue 18)
# Short pages of the shapes of news apps, e-papers, 范文 and document sites; every line is made up.


def _page(*parts) -> Document:
    """A page from its lines: a str is a line the cleaner kept, (rule, line) one it removed as
    furniture (recorded in meta["removed"] with its raw span, as pipeline.clean does)."""
    raw, clean, removed = [], [], []
    pos = 0
    for part in parts:
        rule, line = part if isinstance(part, tuple) else (None, part)
        if rule:
            removed.append({"start": pos, "end": pos + len(line), "rule": rule})
        else:
            clean.append(line)
        raw.append(line)
        pos += len(line) + 1
    text = "\n".join(clean)
    return Document(RawDocument("page.txt", "txt", "\n".join(raw)), text, list(range(len(text) + 1)),
                    meta={"removed": removed})


NEWS_FEDERATION = ("常德市妇联举办家庭教育讲座 百余家庭受益",
                   "近日，常德市妇联在市图书馆举办家庭教育公益讲座，120户家庭参加。")

WEB_PAGES = [
    # (parts, field, expected), one behaviour a row
    # title: the headline line of a news page, its gap kept; a channel word and a date line before it
    pytest.param(("频道", "2022年05月10日", "巾帼心向党 建功新时代", "本报讯 5月9日，表彰会召开。"), "title",
                 "巾帼心向党 建功新时代", id="title-headline-after-date"),
    pytest.param(("2月3日，区妇联走访困难家庭30户，送去慰问金1.5万元。", "区妇联宣传部通讯员供稿"), "title", None,
                 id="title-none-when-prose-first"),
    pytest.param(("原标题：某县启动家庭教育宣传周活动", "记者某某 5月1日，宣传周启动。"), "title",
                 "某县启动家庭教育宣传周活动", id="title-repost-label"),
    pytest.param((("file_name", "××县妇联2021年工作总结及2022年工作打算.docx"), "1、县妇联2021年工作总结 2021年，县妇联开展活动。"),
                 "title", "××县妇联2021年工作总结及2022年工作打算", id="title-upload-file-name"),
    pytest.param(("X县民政局2021年工作总结一、2021年工作情况(一)社会救助。",), "title", "X县民政局2021年工作总结",
                 id="title-glued-section"),
    pytest.param(("县妇联工作汇报材料2021年,县妇联在县委的领导下开展活动。",), "title", "县妇联工作汇报材料",
                 id="title-glued-year"),
    pytest.param(("某县人民政府门户网站", "1月5日，县妇联开展活动。"), "title", None, id="title-not-a-site-name"),
    pytest.param(("各位领导，各位同事", "一年来，县妇联开展活动30场。"), "title", None, id="title-not-a-salutation"),
    # org: acting in the title, the lead of a news item, the head of a report; never only mentioned
    pytest.param(NEWS_FEDERATION, "org", "常德市妇联", id="org-headline"),
    pytest.param(("本网讯 3月2日，记者从市妇联获悉，全市建成儿童之家30个。", "据了解，儿童之家均已投入使用。"), "org", None,
                 id="org-reporter-source"),
    pytest.param(("本网讯 会议听取了市妇联工作报告，表彰先进集体10个。", "会议还部署了今年的工作。"), "org", None,
                 id="org-heard-report"),
    pytest.param(("本网讯 6月1日，县妇联主席某某出席儿童节活动。", "活动共慰问儿童50名。"), "org", None,
                 id="org-person-post"),
    pytest.param(("本网讯 5月2日，全市妇联干部培训班开班，各级妇联主席参加。", "培训为期三天。"), "org", None,
                 id="org-collective"),
    pytest.param(("本报讯 今年以来，市妇女联合会新建妇女微家20个。", "微家均配有专职人员。"), "org", "市妇联",
                 id="org-bare-short-form"),
    pytest.param(("某某日报讯 4月18日，全市妇女儿童工作会召开。副市长出席会议。",
                  "会后，市妇联发放慰问金5万元。"), "org", None, id="org-news-only-in-lead"),
    pytest.param(("一年来，我们开展宣讲活动20场。", "青田妇联视频号发布短片15部。"), "org", "青田县妇联",
                 id="org-short-place-name"),
    pytest.param(("该会(以下简称区妇联)现有干部8人。", "下设3个部室。"), "org", None, id="org-alias-is-a-mention"),
    pytest.param(("全国妇联：2023年推进家庭教育工作", "新华社北京2月3日电 全国妇联部署家庭教育工作。"), "region", "全国",
                 id="org-national"),
    pytest.param(("德清县妇女儿童工作委员会日前出台意见，新建儿童友好空间10个。",), "org", "德清县妇女儿童工作委员会",
                 id="org-committee"),
    # region: title parts, dateline, removed masthead/breadcrumb; siblings -> parent; 全市 scope
    pytest.param(("新建儿童之家30个 常德推进儿童友好城市建设", "5月6日，记者获悉，新建儿童之家30个。"), "region",
                 "湖南省常德市", id="region-title-part"),
    pytest.param(("延安精神进校园 宣讲活动举行", "4月18日，讲座举行，200人参加。"), "region", None,
                 id="region-not-inside-a-word"),
    pytest.param(("湖州日报讯 2月3日，妇女创业培训班在德清县开班。全市40名女能手参加。",
                  "学员来自德清县、长兴县、安吉县等地。"), "region", "浙江省湖州市",
                 id="region-city-scope-caps-county"),
    pytest.param(("1月16日，救助金发放仪式举行。", "长兴县救助10人，安吉县救助8人。长兴县、安吉县共18人。"),
                 "region", "浙江省湖州市", id="region-siblings-parent"),
    pytest.param((("breadcrumb", "当前位置：德清网 > 德清新闻 > 正文"), "全市家庭教育工作会议召开",
                  "6月2日，全市家庭教育工作会议在我县召开。"), "region", "浙江省湖州市德清县",
                 id="region-removed-breadcrumb"),
    pytest.param((("masthead", "常德日报社出版 国内统一刊号：CN43-0000"), "巾帼心向党 奋进新征程",
                  "本报讯 6月8日，市妇女联合会举办女性创业大赛。"), "org", "常德市妇联", id="region-masthead-composes-org"),
    # year: publication stamps and datelines of news; a head sentence opening with a year
    pytest.param((("datetime_line", "05.03.2019 09:30"), "某市妇联开展三八维权周活动 普法进社区",
                  "春节前，某市妇联走访慰问困难家庭100户。"), "year", 2019, id="year-news-stamp-day-first"),
    pytest.param((("dateline_byline", "某某晚报 2020-07-03 08:15"), "某县新建10个儿童之家",
                  "7月2日，记者获悉，某县新建儿童之家10个。"), "year", 2020, id="year-news-stamp"),
    pytest.param(("某某网9月8日讯 近日，全市完成妇女健康检查2000人。",
                  ("dated_headlines", "- 2023-09-08某地某事获奖"), ("dated_headlines", "- 2023-09-07某地某事启动")),
                 "year", 2023, id="year-dateline-completed"),
    pytest.param((("byline", "发布日期:2021-01-26 09:16:13"), "妇联工作总结",
                  "一年来，县妇联开展活动。"), "year", None, id="year-not-from-a-summary-upload-date"),
    pytest.param(("该会现有干部8人。2015年,市妇联聚焦家庭建设，新建妇女之家12个。",), "year", 2015,
                 id="year-opening-issuer"),
    pytest.param(("2021年，在县委的坚强领导下，县妇联开展活动20场。",), "year", 2021, id="year-opening-zai"),
    pytest.param(("某某报讯 昨日，某区妇联召开执委会议。", "2016年,某区新增女性创业项目15个。"), "year", None,
                 id="year-news-opening-is-not-its-year"),
    pytest.param(("各位代表：", "2016年，在市委的坚强领导下，全区经济平稳增长。"), "year", None,
                 id="year-gov-report-opening-is-its-review"),
    # reviews: the body's year where an upload's title gives another; 过去的一年 with its date
    pytest.param((("file_name", "区妇联2020年工作总结.docx"), "1、区妇联2016年工作总结 2016年，区妇联在区委领导下开展工作。"),
                 "reviews", 2016, id="reviews-opening-year"),
    pytest.param(("区妇联工作总结", "过去的一年，区妇联开展活动20场。", "二〇二二年一月十日"), "reviews", 2021,
                 id="reviews-past-year-dated-january"),
    # genre: a news item on what a 妇联 did is read as a summary; one announcing what it will do is not
    pytest.param(NEWS_FEDERATION, "genre", "summary", id="genre-news-of-work-done"),
    pytest.param(("本报讯 3月1日，德清县妇联部署全年工作，将新建妇女之家20个。",), "genre", None,
                 id="genre-news-of-plans"),
]


@pytest.mark.parametrize("parts,field,expected", WEB_PAGES)
def test_web_page_metadata(parts, field, expected):
    assert document_metadata(_page(*parts))[field] == expected


def test_a_news_year_is_its_publication_stamp_and_it_reviews_nothing_before():
    m = document_metadata(_page(("datetime_line", "2022-06-20 10:05:11"), "某县新建妇女微家18个",
                                "6月20日，观摩会在我县举行。2021年，全县新建妇女微家18个。"))
    assert (m["year"], m["year_source"], m["published"], m["reviews"]) == (2022, "published", "2022-06-20", None)


def test_a_county_level_city_keeps_its_own_scope_word():
    from pipeline.metadata import _capped, _scope, parse_place

    assert _capped(parse_place("汨罗市"), _scope("全市建成儿童之家20个。")).name == "汨罗市"
    assert _capped(parse_place("平江县"), _scope("全市建成儿童之家20个。")).name == "岳阳市"
