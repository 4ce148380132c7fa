"""extractors.reference: status/period on the gold sets (thresholds) and on synthetic reports."""

from __future__ import annotations

import time

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
