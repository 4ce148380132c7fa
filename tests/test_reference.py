"""extractors.reference: status/period on the gold sets (thresholds) and on synthetic reports."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.reference import annotate_reference
from pipeline.metadata import document_metadata
from pipeline.types import Document, Figure, RawDocument

# Gold thresholds (the task's targets; calling everything "actual" scores 0.69 on dev status).
STATUS_MIN = 0.95
PERIOD_MIN = 0.90


@pytest.mark.parametrize("corpus", ["seeds", "dev"])
def test_gold_status_and_period(shared, corpus):
    shared("gold", f"{corpus}.jsonl")
    from tests.reference_eval import measure

    r = measure([corpus])[corpus]
    assert r["not_located"] == 0
    assert r["status_accuracy"] >= STATUS_MIN, r
    assert r["period_accuracy"] >= PERIOD_MIN, r


def annotate(text: str, *figure_texts: str, path: str = "report.txt") -> list[tuple[str, object]]:
    """(status, period) of each figure text, located in order in ``text``."""
    doc = Document(RawDocument(path, "txt", text), text, list(range(len(text) + 1)))
    doc.meta.update(document_metadata(doc))
    figs, pos = [], 0
    for t in figure_texts:
        i = text.index(t, pos)
        pos = i + 1
        figs.append(Figure(t, 1, "count", None, i, i + len(t)))
    annotate_reference(doc, figs)
    return [(f.status, f.period) for f in figs]


GOV = (
    "2026年某某省政府工作报告\n——2026年1月20日在四川省第十四届人民代表大会第四次会议上\n各位代表：\n"
    "现在，我代表省人民政府向大会报告工作。\n"
    "一、2025年工作回顾\n"
    "过去一年，全省地区生产总值增长5.5%，城镇新增就业90万人，建成5G基站3万个。\n"
    "全年计划投资完成率达到98%，力争明年新建学校20所。\n"
    "我省连续6年保持粮食产量稳定。\n"
    "二、“十四五”时期发展成就和“十五五”时期主要目标\n"
    "“十四五”时期，全省累计新增城镇就业450万人。\n"
    "“十五五”时期，全省地区生产总值年均增长5%左右。\n"
    "三、2026年工作安排\n"
    "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，城镇新增就业80万人以上。\n"
    "去年全省已建成高标准农田500万亩，今年将新建高标准农田300万亩。\n"
    "到2030年，全省森林覆盖率达到42%。\n"
)


def test_government_report_parts():
    got = annotate(GOV, "增长5.5%", "90万人", "3万个", "450万人", "年均增长5%左右", "生产总值增长5%左右",
                   "80万人以上", "500万亩", "300万亩", "42%")
    assert got == [
        ("actual", 2025), ("actual", 2025), ("actual", 2025),
        ("actual", [2021, 2025]), ("target", [2026, 2030]),
        ("target", 2026), ("target", 2026),
        ("actual", 2025),  # 去年…已建成 inside the plan
        ("target", 2026), ("target", 2030),
    ]


def test_forward_words_in_a_review_and_runs():
    got = annotate(GOV, "20所", "6年")
    assert got == [("target", 2027), ("actual", [2020, 2025])]


def test_five_years_in_a_review_heading():
    text = ("2026年河北省政府工作报告\n各位代表：\n一、“十四五”时期经济社会发展回顾\n"
            "过去五年，全省累计建成保障房30万套。\n这五年，新增就业450万人。\n二、2026年主要工作\n"
            "推进保障房建设，新建保障房2万套。\n")
    assert annotate(text, "30万套", "450万人", "2万套") == [
        ("actual", [2021, 2025]), ("actual", [2021, 2025]), ("target", 2026)]


def test_summary_periods_follow_years_named_in_headings_and_paragraphs():
    text = ("区妇联2021年工作总结\n发布日期:2021-01-26\n"
            "强化阵地建设。\n全区已建成儿童之家125个，投入资金70多万元。\n"
            "组织开展2019年“六一”慰问活动。\n区妇联此次慰问儿童220名，花费10.95万元。\n"
            "积极争取志愿服务项目。\n区妇联积极争取上级项目资金90000元。\n"
            "三、下一步打算\n计划明年新建儿童之家10个。\n")
    assert annotate(text, "125个", "70多万元", "220名", "10.95万元", "90000元", "10个") == [
        ("actual", 2021), ("actual", 2021), ("actual", 2019), ("actual", 2019), ("actual", 2021),
        ("target", 2022)]


def test_undated_summary_has_no_period_but_its_as_of_paragraph_does():
    text = ("区妇联关爱留守儿童工作汇报 近年来,*区妇联开展关爱活动。 一、基本情况 截止到2024年*月*日,"
            "我区共有农村留守儿童*名,家长学校*个。 二、工作亮点 共开设公益课近百节,服务人次超*人。")
    assert annotate(text, "留守儿童*名", "学校*个", "近百节") == [
        ("actual", 2024), ("actual", 2024), ("actual", None)]


def test_unsectioned_excerpts_are_classified_by_wording():
    plan = ("加快推进食品产业园建设，实施总投资11.4亿元的基础设施项目，推动装配式建筑项目落地。"
            "启动1.5万亩蔬菜基地建设，全面完成17个养殖小区项目建设。\n")
    review = "全年地区生产总值完成235.2亿元，同比增长18.5%，城镇新增就业6128人，取得了新突破。\n"
    got = annotate(plan + review, "11.4亿元", "17个", "235.2亿元", path="/x/county_2017_mid.txt")
    assert [s for s, _ in got] == ["target", "target", "actual"]
    assert got[0][1] == 2017


def test_bulk_speed_is_linear():
    body = "一、2025年工作回顾\n" + "全省新增就业90万人，同比增长5.5%。\n" * 3000 + "二、2026年工作安排\n" + \
        "新建学校20所。\n" * 3000
    text = "2026年四川省政府工作报告\n各位代表：\n" + body
    doc = Document(RawDocument("a.txt", "txt", text), text, list(range(len(text) + 1)))
    doc.meta.update(document_metadata(doc))
    figs = []
    for needle in ("90万人", "20所"):
        i = -1
        while (i := text.find(needle, i + 1)) >= 0:
            figs.append(Figure(needle, 1, "count", "人", i, i + len(needle)))
    t = time.perf_counter()
    annotate_reference(doc, figs)
    assert time.perf_counter() - t < 1.0, len(figs)
    assert {(f.text, f.status, f.period) for f in figs} == {("90万人", "actual", 2025), ("20所", "target", 2026)}


def test_comparison_base_is_not_the_period():
    """与上年相比 compares with last year; what follows is still about the report's year."""
    from extractors.rules import extract
    from pipeline.types import Document, RawDocument

    t = "县妇联2017年工作总结\n一、基本情况\n与上年相比，留守儿童数量有所下降。全县现有儿童之家140个。"
    doc = Document(RawDocument("x.txt", "txt", t), t, list(range(len(t) + 1)),
                   meta={"year": 2017, "reviews": 2017, "genre": "summary"})
    (f,) = extract(doc)
    assert (f.status, f.period) == ("actual", 2017)


def test_inline_requires_holds_for_the_inline_heading_pattern():
    """reference.toml inline_requires only lets lines skip the inline scan when they cannot match."""
    from extractors.reference import _cues

    c = _cues()
    examples = ["完成目标。二、主要做法", "工作 三、下一步打算", "取得实效！十、其他"]
    for text in examples:
        matches = list(c.inline.finditer(text))
        assert matches, text  # each example is a match: the check bites
        assert all(c.inline_requires in m.group() for m in matches)


# ---------------------------------------------------------------- news items, reviews without headings, spans
# Each row: text, the figure (its first occurrence), the document metadata, (status, period).
# Sentences are made up in the shape of the 妇联 / 民政 pages of corpus/web.


@dataclass(frozen=True)
class Ref:
    text: str
    figure: str
    meta: dict
    expected: tuple[str, object]


NEWS = {"genre": None, "year": 2021, "year_source": "published", "reviews": None}
SUMMARY = {"genre": "summary", "year": 2020, "year_source": "title", "reviews": 2020}
GOV_2026 = {"genre": "gov_report", "year": 2026, "year_source": "title", "reviews": 2025}

STATUS = [
    # a review without headings: clause openings that read as imperatives are topic sentences
    Ref("过去的一年，我们深化妇联改革。\n突出主题主线，强化思想引领。深入开展巾帼宣讲80余场次，"
        "评选表彰三八红旗手15人。全年共打造美丽庭院示范村12个，今年以来共开展亲子活动9场次。", "80余场次", NEWS,
        ("actual", 2021)),
    # the tense word before the figure decides, not the speech after it
    Ref("5月30日，县妇联开展了六一慰问活动。\n活动中，6位爱心人士为15名困境儿童送上了慰问金。今后，"
        "县妇联要继续组织活动，要持续关爱儿童，要做好服务。", "15名", NEWS | {"year": None}, ("actual", None)),
    Ref("会上确定了今年将为全区妇女办好9件实事：一是新建儿童之家20个。二是新建妈妈小屋15家。",
        "15家", NEWS, ("target", 2021)),
    # a headline without cue words takes the kind of the lead below it
    Ref("某市确定9件妇儿实事\n3月1日，市新闻发布会召开。会上确定了今年将为全区妇女办好9件实事：一是新建儿童之家"
        "20个。二是新建妈妈小屋10家。三是将孤儿保障标准提高10%。", "9件", NEWS, ("target", 2021)),
    # a "summary" whose tense is a plan is read as a news item listing targets
    Ref("市妇联2024年实事\n妇联要培育家政企业50家；要在30个村实施项目；要完成资助任务。", "50家",
        NEWS | {"genre": "summary"}, ("target", 2021)),
    # a quota handed down is a target; funds handed down and a completed quota are not
    Ref("年初市下达安居工程任务180户，我县在完成3200户危房改造的基础上，实施了260户安居工程。", "180户",
        SUMMARY, ("target", 2020)),
    Ref("年初市下达安居工程任务180户，我县在完成3200户危房改造的基础上，实施了260户安居工程。", "3200户",
        SUMMARY, ("actual", 2020)),
    Ref("年初市下达安居工程任务180户，我县在完成3200户危房改造的基础上，实施了260户安居工程。", "260户",
        SUMMARY, ("actual", 2020)),
    Ref("上级下达救助资金35万元，全部发放到户。", "35万元", SUMMARY, ("actual", 2020)),
    Ref("全县粮食产量超额完成省下达目标任务，增长3.1%。", "3.1%", GOV_2026 | {"genre": "summary"},
        ("actual", 2025)),
    Ref("妇女两癌检查被列为全省12件民生实事之一，对全省15万名妇女免费检查。", "15万名", SUMMARY,
        ("target", 2020)),
    # 将 + a verb is the future, 将 + a number the 把 construction
    Ref("我省每年将拿出3000万元用于两癌检查。", "3000万元", SUMMARY, ("target", 2020)),
    Ref("将120人纳入低保，将35人纳入特困供养。", "35人", SUMMARY, ("actual", 2020)),
    Ref("联合企业扶持农户养鸡300多只，可实现纯收入5万元左右。", "5万元左右", SUMMARY, ("target", 2020)),
    # a programme named 计划, a purpose (为确保) are no cues
    Ref("重点实施巾帼创业培训计划，命名示范基地9处。", "9处", SUMMARY, ("actual", 2020)),
    Ref("为确保儿童之家建设高效开展，全县建成儿童之家31个。", "31个", SUMMARY, ("actual", 2020)),
    # a sentence that opens with 要 is a directive
    Ref("会议指出，过去一年成绩显著。要聚焦妇女就业、儿童健康等三个方面的问题。", "三个方面",
        SUMMARY, ("target", 2020)),
    # 比去年 is a comparison base, not an outcome word
    Ref("一、2025年工作回顾\n全省生产总值增长5.1%。\n二、2026年工作安排\n今年赤字率拟按3%安排，"
        "比去年预算高0.5个百分点。", "0.5个百分点", GOV_2026, ("target", 2026)),
    # a title run into its first heading (素材 and 文库 pages): the heading still opens a part
    Ref("X区民政局2022年工作总结和2023年工作要点一、2022年工作完成情况(一)社会救助精准高效行动实现新突破"
        "一是提标扩面兜住底线目标。低保标准每人每月650元，新增低保38户。", "650元", NEWS | {"year": None},
        ("actual", 2022)),
]

PERIOD = [
    # explicit years and spans in the figure's own clause
    Ref("全市在2015年至2017年建设的210个儿童之家运行正常。", "210个", NEWS | {"year": 2018},
        ("actual", [2015, 2017])),
    Ref("2016年-2018年，我省每年将拿出4000万元，用于两癌检查。其中，本市将免费检查9000人。", "9000人",
        NEWS | {"year": 2017}, ("target", [2016, 2018])),
    Ref("记者从落实《妇女发展纲要(2011-2020年)》推进会上获悉，全市已为31.2万名妇女免费筛查。",
        "31.2万名", NEWS | {"year": 2019}, ("actual", 2019)),
    # 目前 and 现有 inside words (项目前期, 实现有效) date nothing
    Ref("2020年，完善项目前期工作机制，争取项目资金增长61%。", "61%", NEWS, ("actual", 2020)),
    Ref("2020年，县妇联实现有效衔接，帮扶了困难妇女230人。", "230人", NEWS, ("actual", 2020)),
    # a summary looking back five years ends in its own year
    Ref("过去五年，全县累计建成儿童之家140个。", "140个", SUMMARY | {"year": 2025, "reviews": 2025},
        ("actual", [2021, 2025])),
    Ref("2020年到2025年，研发投入比重从1.8%提升到2.6%。", "1.8%", GOV_2026, ("actual", 2020)),
    Ref("2020年到2025年，研发投入比重从1.8%提升到2.6%。", "2.6%", GOV_2026, ("actual", 2025)),
    Ref("全省就业人数由2010年的310万人增加到2015年的365万人。", "310万人", GOV_2026, ("actual", 2010)),
    Ref("全省就业人数由2010年的310万人增加到2015年的365万人。", "365万人", GOV_2026, ("actual", 2015)),
    # since a year: the span to the reviewed year, carried to a cumulative figure after it
    Ref("12月2日，县妇联发放救助金，21名母亲每人获1万元。\n自2012年救助项目开展以来，县妇联积极争取。\n"
        "目前，县妇联共争取专项救助金120万元。", "120万元", NEWS | {"year": 2020}, ("actual", [2012, 2020])),
    Ref("12月2日，县妇联发放救助金，21名母亲每人获1万元。\n自2012年救助项目开展以来，县妇联积极争取。\n"
        "目前，县妇联共争取专项救助金120万元。", "21名", NEWS | {"year": 2020}, ("actual", 2020)),
    Ref("2022年以来支出救助资金850万元。", "850万元", SUMMARY | {"year": 2022, "reviews": 2022},
        ("actual", 2022)),
    Ref("2021年以来支出救助资金850万元。", "850万元", SUMMARY | {"year": 2022, "reviews": 2022},
        ("actual", [2021, 2022])),
    # N years back from the reviewed year; 过去一年 in a news item is the year before it
    Ref("三年来，全市累计新建儿童之家96个。", "96个", NEWS | {"year": 2019}, ("actual", [2017, 2019])),
    Ref("3月6日，市妇联召开执委会。过去一年，全市妇联组织动员志愿者1300名。", "1300名", NEWS,
        ("actual", 2020)),
    Ref("3月6日，市妇联召开执委会，听取了市妇联2020年工作报告，表彰先进集体12个。", "12个", NEWS,
        ("actual", 2021)),
    # 去年 and 目前 after it in the same paragraph
    Ref("4月2日召开推进会。去年，市妇联实施了公益项目8个。目前已累计开展活动150余场。", "8个",
        NEWS | {"year": 2019}, ("actual", 2018)),
    Ref("4月2日召开推进会。去年，市妇联实施了公益项目8个。目前已累计开展活动150余场。", "150余场",
        NEWS | {"year": 2019}, ("actual", 2019)),
    # a list of years names plans, not the period
    Ref("一、2024年工作回顾\n制定2024年、2025年项目清单，争取项目资金增长42%。", "42%",
        GOV_2026 | {"year": 2025, "reviews": 2024}, ("actual", 2024)),
    # an undated outcome: the reviewed year, or the year of a news item; not an as-of date's year
    Ref("今年以来，各级妇联扎实推进项目建设，建成儿童家园52个。", "52个", NEWS | {"year": 2016},
        ("actual", 2016)),
    Ref("该儿童之家拥有室内面积300平方米。", "300平方米", NEWS, ("actual", 2021)),
    Ref("二、工作亮点\n共开设公益课近百节。", "近百节", NEWS | {"genre": "summary", "year_source": "as_of"},
        ("actual", None)),
    # a look back does not date a target; a target named in a review is the reviewed year's
    Ref("过去一年，全省两癌检查成效明显，我省将拿出2000万元继续开展检查。", "2000万元", NEWS, ("target", 2021)),
    Ref("一、过去一年工作回顾\n全年计划投资完成率达到97%，计划投资2800亿元。\n二、2026年工作安排\n新建学校20所。",
        "2800亿元", GOV_2026, ("target", 2025)),
    # a target over some years without dates
    Ref("妇联要实施家政培训专项工程，五年培训8万人；要在40个县实施公益行动。", "8万人",
        NEWS | {"year": 2024}, ("target", None)),
    Ref("妇联要实施家政培训专项工程，五年培训8万人；要在40个县实施公益行动。", "40个县",
        NEWS | {"year": 2024}, ("target", 2024)),
]


def _annotate_one(case: Ref) -> tuple[str, object]:
    text = case.text
    doc = Document(RawDocument("page.txt", "txt", text), text, list(range(len(text) + 1)), meta=dict(case.meta))
    i = text.index(case.figure)
    fig = Figure(case.figure, 1, "count", None, i, i + len(case.figure))
    annotate_reference(doc, [fig])
    return fig.status, fig.period


@pytest.mark.parametrize("case", STATUS + PERIOD, ids=lambda c: f"{c.figure}@{c.text[:24]}")
def test_news_reviews_and_spans(case: Ref) -> None:
    assert _annotate_one(case) == case.expected


def test_when_first_holds_every_time_cue_start():
    """reference.toml when_first only lets the time-cue scan skip positions no cue starts at."""
    import tomllib
    from importlib import resources

    import regex as _regex

    with resources.files("extractors").joinpath("data", "reference.toml").open("rb") as f:
        p = tomllib.load(f)["period"]
    examples = ["2015年至2017年", "自2011年项目开展以来", "2022年以来", "从2019年起", "过去的一年",
                "一年来", "三年来", "近3年", "这五年", "今年以来", "本年度", "年内", "全年", "去年", "上一年",
                "截至目前", "目前", "当前", "至今", "现有", "2019年"]
    for kind, pattern in p["when"].items():
        bare = _regex.compile(pattern)
        for text in examples:
            for m in bare.finditer(text):
                assert m.group()[0] in p["when_first"] or m.group()[0].isdigit(), (kind, text, m.group())
    assert all(any(_regex.fullmatch(pat, t) for pat in p["when"].values()) for t in examples)


# ---------------------------------------------------------------- fast look-ups, against their definitions


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="去年今明2025，。甲", max_size=30), st.sampled_from(["year", "this_year", "target"]))
def test_cue_window_holds_exactly_the_matches_inside_it(text: str, cue: str) -> None:
    """``_within`` (two bisects) returns, for every window of the text, the matches that start
    at ``start`` or later and end by ``end`` (an empty match at ``end`` is outside), in order."""
    from extractors.reference import _cue_hits, _within

    hits = _cue_hits(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            expected = [m.span() for m in hits[cue][2] if start <= m.start() < end and m.end() <= end]
            assert [m.span() for m in _within(hits, cue, start, end)] == expected


GOV_2025 = {"genre": "gov_report", "year": 2025, "year_source": "title", "reviews": 2024}
_REVIEW_14 = ("一、“十四五”时期经济社会发展回顾\n过去五年，全省一般公共预算收入从2100亿元增长到2650亿元，"
              "粮食产量稳定在500亿斤以上，城镇化率提高到61.5%，规上工业增加值年均增长6.1%，"
              "常住人口城镇化率从2020年的50.1%提升到2025年的56.3%，小学、初中巩固率分别提升至98%、99%以上。")
_PLAN_15 = ("二、“十五五”时期主要目标任务\n地区生产总值年均增长5%左右，人均预期寿命提高到80岁，"
            "城镇调查失业率控制在5.5%以内。")
_YEAR_AND_14 = ("一、2025年和“十四五”时期工作回顾\n全年地区生产总值增长5%。\n回望过去五年，成绩来之不易。\n"
                "（一）产业发展。全省社会消费品零售总额年均增长4.2%，每年城镇新增就业30万人以上，森林覆盖率达到63%。\n"
                "（二）开放合作。工业利润总额为“十三五”时期的2倍。货物进出口总额年均增长8%。\n"
                "二、2026年工作安排\n新建学校20所。")
_MIXED = ("二、“十四五”时期发展成就和“十五五”时期主要目标\n这五年，全市居民收入年均增长5.1%。\n"
          "“十五五”时期是关键时期，要保持定力。\n围绕上述目标，纲要设置了20项主要指标，包括地区生产总值年均增长5%左右。")

# COMPARE.md periods in five-year reviews and plans: a level reached is the last year, a yearly
# figure (年均, 每年, 稳定在, 控制在) the span, the value after 从 the year before it
FIVE_YEARS = [
    Ref(_REVIEW_14, "2100亿元", GOV_2026, ("actual", 2020)),
    Ref(_REVIEW_14, "2650亿元", GOV_2026, ("actual", 2025)),
    Ref(_REVIEW_14, "500亿斤以上", GOV_2026, ("actual", [2021, 2025])),
    Ref(_REVIEW_14, "61.5%", GOV_2026, ("actual", 2025)),
    Ref(_REVIEW_14, "6.1%", GOV_2026, ("actual", [2021, 2025])),
    Ref(_REVIEW_14, "50.1%", GOV_2026, ("actual", 2020)),
    Ref(_REVIEW_14, "56.3%", GOV_2026, ("actual", 2025)),
    Ref(_REVIEW_14, "99%以上", GOV_2026, ("actual", 2025)),
    Ref(_PLAN_15, "5%左右", GOV_2026, ("target", [2026, 2030])),
    Ref(_PLAN_15, "80岁", GOV_2026, ("target", 2030)),
    Ref(_PLAN_15, "5.5%以内", GOV_2026, ("target", [2026, 2030])),
    # a part on the year and the five years: after its look back on five years, the five years
    Ref(_YEAR_AND_14, "增长5%", GOV_2026, ("actual", 2025)),
    Ref(_YEAR_AND_14, "4.2%", GOV_2026, ("actual", [2021, 2025])),
    Ref(_YEAR_AND_14, "30万人以上", GOV_2026, ("actual", [2021, 2025])),
    Ref(_YEAR_AND_14, "63%", GOV_2026, ("actual", 2025)),
    Ref(_YEAR_AND_14, "8%", GOV_2026, ("actual", [2021, 2025])),  # not 十三五, a comparison two sentences back
    Ref(_YEAR_AND_14, "20所", GOV_2026, ("target", 2026)),
    # a mixed part: the plan half goes on in paragraphs without a cue, for the plan's five years
    Ref(_MIXED, "5.1%", GOV_2026, ("actual", [2021, 2025])),
    Ref(_MIXED, "20项", GOV_2026, ("target", [2026, 2030])),
    Ref(_MIXED, "5%左右", GOV_2026, ("target", [2026, 2030])),
    # a space between the year and 年 in a heading (a DOCX copy) keeps the heading whole
    Ref("一、2024 年工作回顾\n（二）创新能力起势。加快建设创新平台，推进成果转化，省实验室27家。\n"
        "二、2025年工作安排\n新建学校20所。", "27家", GOV_2025, ("actual", 2024)),
]


@pytest.mark.parametrize("case", FIVE_YEARS, ids=lambda c: f"{c.figure}@{c.text[:12]}")
def test_five_year_reviews_and_plans(case: Ref) -> None:
    assert _annotate_one(case) == case.expected


def test_a_sentence_is_classified_once_for_all_its_figures(monkeypatch):
    """A news page of one long sentence (a list of 300 figures) classifies that sentence once, not
    once per figure (quadratic: 3,000 figures took 4.5 s)."""
    import extractors.reference as R

    calls = []
    real = R._classify
    monkeypatch.setattr(R, "_classify", lambda text, imperatives=True: calls.append(len(text)) or real(text, imperatives))
    text = "，".join(f"项目{i}增长{i % 9 + 1}%" for i in range(300)) + "。"
    doc = Document(RawDocument("page.txt", "txt", text), text, list(range(len(text) + 1)), meta=dict(NEWS))
    figs = [Figure(f"{i % 9 + 1}%", 1, "percent", "%", k, k + 2) for i, k in
            enumerate(j for j in range(len(text)) if text.startswith("增长", j - 2) and text[j].isdigit())]
    assert len(figs) == 300
    annotate_reference(doc, figs)
    assert sum(1 for n in calls if n > 1000) <= 3  # the paragraph and its headline check, and the sentence
