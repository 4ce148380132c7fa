"""The indicator taxonomy: its data, the alias rules, canonical units, and `huibao indicators`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from extractors import linker
from extractors.rules import _extended_subject, _spell, extract_text
from pipeline import indicators as ind
from pipeline.settings import load_data
from pipeline.types import Figure, HuibaoError

MEASURES = {"level", "growth", "rate", "reduction", "flow"}


@pytest.fixture
def rules_alone(monkeypatch):
    monkeypatch.setattr(linker, "ENABLED", False)


def by_value(figs):
    return {f.value: f for f in figs}


# ---------------------------------------------------------------- the data


def test_every_indicator_says_its_source_unit_and_measure():
    data = load_data("extractors", "indicators")["indicator"]
    assert len(data) >= 80
    for ind_id, spec in data.items():
        assert spec.get("source"), f"{ind_id}: no source"
        assert spec.get("name") and spec.get("name_zh"), f"{ind_id}: no name"
        assert spec.get("measure") in MEASURES, f"{ind_id}: measure {spec.get('measure')}"
        unit = spec.get("unit")
        assert unit, f"{ind_id}: no canonical unit"
        units = spec.get("units", [])
        assert not units or unit in units or unit in spec.get("convert", {}) or any(
            u in units for u in spec.get("convert", {})), f"{ind_id}: canonical unit {unit} not among {units}"
        assert spec.get("aliases") or spec.get("clause_any"), f"{ind_id}: neither aliases nor clause words"


def test_the_store_reads_every_indicator_of_the_taxonomy():
    from pipeline.store import _indicator_entries

    entries = {e["id"]: e for e in _indicator_entries(load_data("extractors", "indicators"))}
    assert set(entries) == set(ind.taxonomy())
    assert "粮食总产量" in entries["grain_output.weight"]["synonyms"]


def test_levels_and_growth_are_separate_ids_with_their_units():
    data = load_data("extractors", "indicators")["indicator"]
    for ind_id, spec in data.items():
        if ind_id.endswith(".growth_pct") or ind_id.endswith(".reduction_pct") or ind_id.endswith(".pct"):
            assert spec["unit"] == "%" and spec.get("units") == ["%"], ind_id  # 个百分点 is a change, not a rate
        if ind_id.endswith(".cny"):
            assert spec["unit"] == "元" and spec["kinds"] == ["money"], ind_id


@pytest.mark.parametrize("ind_id, unit", [
    ("infant_mortality.permille", "‰"),
    ("under5_mortality.permille", "‰"),
    ("neonatal_mortality.permille", "‰"),
    ("maternal_mortality.per100k", "/10万"),
    ("preschool_enrolment.pct", "%"),
    ("children_home_coverage.pct", "%"),
])
def test_two_outlines_monitoring_rates_keep_their_rate_units(ind_id, unit):
    assert ind.taxonomy()[ind_id].unit == unit


@pytest.mark.parametrize("text, folded", [
    ("规上工业增加值", "规模以上工业增加值"),
    ("R&D经费投入", "研发经费投入"),
    ("一般公共财政预算收入", "一般公共预算收入"),
    ("单位GDP能耗", "单位地区生产总值能耗"),
    ("社会消费品零售总额", "社会消费品零售总额"),
])
def test_spelling_variants_and_abbreviations_are_folded(text, folded):
    assert _spell(text) == folded


# ---------------------------------------------------------------- the alias rules


@pytest.mark.parametrize("text, value, indicator", [
    # 统计公报 / 政府工作报告 headline figures
    ("全年社会消费品零售总额增长6.4%", 6.4, "retail_sales.growth_pct"),
    ("一般公共财政预算收入完成18亿元", 1800000000, "budget_revenue.cny"),
    ("地方财政总收入完成31亿元", 3100000000, "fiscal_revenue_total.cny"),
    ("规上工业增加值增长7.7%", 7.7, "industrial_value_added.growth_pct"),
    ("工业增加值增长6.2%", 6.2, "industry_value_added.growth_pct"),
    ("全社会固定资产投资增长9%", 9, "fixed_asset_investment.growth_pct"),
    ("民间投资增长3.5%", 3.5, "private_investment.growth_pct"),
    ("农村居民人均可支配收入增长6.6%", 6.6, "rural_disposable_income.growth_pct"),
    ("城镇居民人均可支配收入达到41234元", 41234, "urban_disposable_income.cny"),
    ("全体居民人均可支配收入增长5.2%", 5.2, "disposable_income.growth_pct"),
    ("城乡居民人均可支配收入达到30000元", 30000, None),  # neither urban nor rural nor all residents
    ("城镇调查失业率控制在5.5%左右", 5.5, "urban_surveyed_unemployment_rate.pct"),
    ("城镇登记失业率控制在4%以内", 4, "urban_registered_unemployment_rate.pct"),
    ("单位GDP能耗下降2.5%", 2.5, "energy_intensity.reduction_pct"),
    ("粮食总产量达到650亿斤", 65000000000, "grain_output.weight"),
    ("常住人口城镇化率达到61%", 61, "urbanization_rate.pct"),
    ("常住人口城镇化率提高1.1个百分点", 1.1, None),  # a change of the rate, not the rate
    ("技术合同成交额达到300亿元", 30000000000, "tech_contract_turnover.cny"),
    ("全社会研发经费投入强度达到2.5%", 2.5, "rd_intensity.pct"),
    ("空气质量优良天数比例达到90.5%", 90.5, "air_quality_good_days.pct"),
    ("全年接待游客达到800万人次", 8000000, "tourist_arrivals.count"),
    ("旅游总花费增长12%", 12, "tourism_revenue.growth_pct"),
    ("人均地区生产总值达到9万元", 90000, "gdp_per_capita.cny"),
    ("主要预期目标是：经济增长6%左右", 6, "gdp.growth_pct"),  # 经济 as the whole subject
    ("工业增加值增长6%", 6, "industry_value_added.growth_pct"),
    ("能源工业增加值增长8%", 8, None),  # a part of industry
    ("脱贫县农村居民人均可支配收入增长7%", 7, None),  # the monitoring series of a subset
    # 两纲 monitoring and 妇联 work
    ("学前教育毛入园率达到91%", 91, "preschool_enrolment.pct"),
    ("城乡社区儿童之家覆盖率达到92%", 92, "children_home_coverage.pct"),
    ("九年义务教育巩固率达到97%", 97, "compulsory_education_retention.pct"),
    ("全县已建成儿童之家121所", 121, "children_home.count"),
    ("为妇女发放创业担保贷款2亿元", 200000000, "women_business_loans.cny"),
    ("向返乡人员发放创业担保贷款2亿元", 200000000, None),  # a loan to everyone is no women's loan
    ("救助贫困两癌患病妇女35名", 35, "two_cancer_aid.count"),
])
def test_alias_rules(rules_alone, text, value, indicator):
    assert by_value(extract_text(text))[value].indicator == indicator


def test_a_growth_after_its_level_takes_the_level_noun_with_its_modifier(rules_alone):
    # the subject of 同比增长 is inherited; the 城镇 before it makes it the urban series
    figs = extract_text("城镇常住居民人均可支配收入完成35000元，同比增长6%。")
    assert [f.indicator for f in figs] == ["urban_disposable_income.cny", "urban_disposable_income.growth_pct"]


def test_the_k_th_number_of_a_list_takes_the_k_th_noun(rules_alone):
    figs = extract_text("一般公共预算收入、税收收入年均分别增长4.1%、2.7%。")
    assert [f.indicator for f in figs] == ["budget_revenue.growth_pct", "tax_revenue.growth_pct"]
    # the subject the two share is the last noun's; the first number is the first noun's (no alias: none)
    figs = extract_text("装备制造业和高技术制造业增加值分别增长11%、9%。")
    assert [f.indicator for f in figs] == [None, "hightech_manufacturing_va.growth_pct"]


def test_a_contracted_list_is_expanded_in_order(rules_alone):
    figs = extract_text("城乡居民人均收入年均增长4.9%、6.8%。")
    assert [f.indicator for f in figs] == ["urban_disposable_income.growth_pct", "rural_disposable_income.growth_pct"]


@pytest.mark.parametrize("subject, before, extended", [
    ("常住居民人均可支配收入", "城镇常住居民人均可支配收入完成", "城镇常住居民人均可支配收入"),
    ("农村居民人均可支配收入", "城镇和农村居民人均可支配收入", "农村居民人均可支配收入"),  # 和 ends a modifier
    ("地区生产总值", "增长5%，地区生产总值", "地区生产总值"),
])
def test_extended_subject(subject, before, extended):
    assert _extended_subject(subject, before) == extended


# ---------------------------------------------------------------- units


@pytest.mark.parametrize("ind_id, value, unit, expected", [
    ("children_home.count", 121, "所", (121, "个")),
    ("children_home.count", 30, "处", (30, "个")),
    ("grain_output.weight", 1000, "斤", (0.5, "吨")),
    ("grain_area.mu", 2, "公顷", (30, "亩")),
    ("infant_mortality.permille", 4.1, "‰", (4.1, "‰")),
    ("maternal_mortality.per100k", 14.2, "/10万", (14.2, "/10万")),
    ("gdp.cny", 5, "美元", (5, "美元")),  # not a unit of the indicator: left as it is
])
def test_canonical_units(ind_id, value, unit, expected):
    assert ind.canonical(ind_id, value, unit) == expected


# ---------------------------------------------------------------- lookup and coverage


def test_an_unknown_id_names_the_close_ones():
    assert ind.check_indicator("children_home.count") == "children_home.count"
    with pytest.raises(HuibaoError, match=r"unknown indicator 'children_homes\.count'; close ones: children_home"):
        ind.check_indicator("children_homes.count")
    with pytest.raises(HuibaoError, match="gdp.growth_pct"):
        ind.check_indicator("GDP")


@pytest.mark.parametrize("query, first", [
    ("gdp", "gdp.cny"),
    ("儿童之家", "children_home.new"),
    ("城镇调查失业率", "urban_surveyed_unemployment_rate.pct"),
    ("rural_disposable_income", "rural_disposable_income.cny"),
])
def test_close_ids(query, first):
    assert ind.close_ids(query)[0] == first


def _corpus(tmp_path):
    from pipeline.run import run

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("某县2023年政府工作报告\n全年地区生产总值增长6.1%，新建农家书屋12个，"
                                  "农家书屋覆盖率达到95%。", encoding="utf-8")
    (folder / "b.txt").write_text("某县2024年政府工作报告\n全年地区生产总值增长5.8%，新建农家书屋9个。",
                                  encoding="utf-8")
    db = tmp_path / "c.sqlite"
    run([str(folder)], str(db), jobs=1)
    return db


def test_coverage_and_subjects_without_an_indicator(tmp_path):
    db = _corpus(tmp_path)
    cov = {r["id"]: r for r in ind.coverage(db)}
    assert cov["gdp.growth_pct"]["figures"] == 2 and cov["gdp.growth_pct"]["documents"] == 2
    assert cov["children_home.count"]["figures"] == 0
    missing = ind.unlinked_subjects(db, min_documents=2)
    assert [m["subject"] for m in missing] == ["农家书屋"]
    assert missing[0]["documents"] == 2
    # a corpus id the taxonomy lacks is accepted by the lookup
    assert ind.check_indicator("gdp.growth_pct", db) == "gdp.growth_pct"


def test_cli_lists_the_taxonomy_and_the_coverage(tmp_path):
    from cli import main

    res = CliRunner().invoke(main, ["indicators", "--format", "json"])
    assert res.exit_code == 0, res.output
    ids = [r["id"] for r in json.loads(res.output)["indicators"]]
    assert "infant_mortality.permille" in ids and "children_home.count" in ids
    db = _corpus(tmp_path)
    res = CliRunner().invoke(main, ["indicators", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert next(r for r in out["indicators"] if r["id"] == "gdp.growth_pct")["documents"] == 2
    assert out["unlinked_subjects"][0]["subject"] == "农家书屋"
    res = CliRunner().invoke(main, ["indicators", "--db", str(tmp_path / "none.sqlite")])
    assert res.exit_code != 0 and "no such corpus" in res.output


def test_figures_carry_the_linker_fields_in_the_contract():
    d = Figure("5%", 5, "percent", "%", 0, 2).to_dict()
    assert d["indicator_candidate"] is None and d["indicator_confidence"] is None


# ---------------------------------------------------------------- candidates in the store


def _unsure_corpus(tmp_path, monkeypatch):
    """A corpus ingested with a linker that is sure of nothing: its links stay candidates."""
    from pipeline.ingest import ingest

    tax = linker.taxonomy()
    monkeypatch.setattr(tax, "threshold", 1.01)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("某县2024年政府工作报告\n粮食播种面积3000万亩、产量900万吨，地区生产总值增长6.1%。",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("某县2025年政府工作报告\n粮食播种面积3100万亩、产量950万吨。", encoding="utf-8")
    db = tmp_path / "c.sqlite"
    assert ingest([str(folder)], str(db)).stored == 2
    return db


def test_an_unsure_link_is_stored_as_a_candidate_not_a_link(tmp_path, monkeypatch):
    import sqlite3

    db = _unsure_corpus(tmp_path, monkeypatch)
    rows = sqlite3.connect(db).execute(
        "SELECT subject, indicator, indicator_candidate, indicator_confidence FROM figures ORDER BY value").fetchall()
    outputs = [r for r in rows if r[2] == "grain_output.weight"]
    assert len(outputs) == 2 and all(r[1] is None and 0 < r[3] < 1 for r in outputs)
    assert sum(r[1] == "grain_area.mu" for r in rows) == 2  # the aliases' links stay links, without a confidence
    assert all(r[3] is None for r in rows if r[1] == "grain_area.mu")


def test_coverage_counts_confident_links_and_candidates_apart(tmp_path, monkeypatch):
    db = _unsure_corpus(tmp_path, monkeypatch)
    cov = {r["id"]: r for r in ind.coverage(db)}
    assert (cov["grain_output.weight"]["figures"], cov["grain_output.weight"]["candidates"]) == (0, 2)
    assert (cov["grain_area.mu"]["figures"], cov["grain_area.mu"]["candidates"]) == (2, 0)
    share = ind.linked_share(db)
    assert share["figures"] == 5 and share["linked"] == 3 and share["candidates"] == 2
    from cli import main

    res = CliRunner().invoke(main, ["indicators", "--db", str(db), "--format", "json"])
    out = json.loads(res.output)
    assert out["corpus"]["candidates"] == 2
    assert next(r for r in out["indicators"] if r["id"] == "grain_output.weight")["candidates"] == 2
    res = CliRunner().invoke(main, ["indicators", "--db", str(db), "--unlinked", "0"])
    assert res.exit_code == 0 and "3 of 5 figures linked" in res.output and "2 more with only a candidate" in res.output


def test_the_linker_fields_survive_the_store_round_trip():
    from pipeline import store

    f = Figure("产量900万吨", 9_000_000, "other", "吨", 0, 7, subject="产量")
    f.indicator_candidate, f.indicator_confidence = "grain_output.weight", 0.42
    row = store.figure_row(f, "d", 0)
    assert (row["indicator"], row["indicator_candidate"], row["indicator_confidence"]) == (
        None, "grain_output.weight", 0.42)
    assert list(store.figure_rows([f], "d")) == [row]
    back = store.row_to_figure(row)
    assert back == f and back.indicator_candidate == "grain_output.weight" and back.indicator_confidence == 0.42


@pytest.mark.parametrize("columns_already_there", [False, True])
def test_an_older_corpus_gains_the_candidate_columns(tmp_path, columns_already_there):
    import sqlite3

    from sqlite_utils import Database

    from pipeline import store

    path = tmp_path / "old.sqlite"
    old = Database(sqlite3.connect(path))
    store.MIGRATIONS.apply(old, stop_before="0006_indicator_candidates")
    old.execute("INSERT INTO documents (id, path, version, status) VALUES ('d', 'a.txt', 1, 'ok')")
    old.execute("INSERT INTO figures (document_id, idx, value, indicator) VALUES ('d', 0, 5, 'gdp.growth_pct')")
    if columns_already_there:  # a corpus someone altered by hand: the migration adds only what is missing
        old.execute("ALTER TABLE figures ADD COLUMN indicator_candidate TEXT")
    old.conn.commit()
    old.close()
    db = store.open_db(path)
    cols = {r[1] for r in db.execute("PRAGMA table_info(figures)").fetchall()}
    assert {"indicator_candidate", "indicator_confidence"} <= cols
    view = db.execute("SELECT indicator, indicator_candidate, indicator_confidence FROM figures_by_indicator").fetchall()
    assert view == [("gdp.growth_pct", None, None)]
    db.close()
    assert ind.coverage(path)[0]["candidates"] == 0  # readable as a current corpus


@pytest.mark.parametrize("text, value, indicator", [
    ("东西两个新城地区生产总值年均增长6%以上", 6, None),
    ("国家级新区地区生产总值增长8.5%", 8.5, None),
    ("县域生产总值达到1200亿元", 120000000000, None),
    ("全市地区生产总值年均增长5%左右", 5, "gdp.growth_pct"),
    ("全省生产总值达到3.2万亿元", 3200000000000, "gdp.cny"),
])
def test_a_part_of_the_region_is_not_its_gdp(text, value, indicator):
    """The GDP of a part of the region (新城, 新区, 开发区, 县域) is neither the rules' nor the linker's gdp."""
    assert by_value(extract_text(text))[value].indicator == indicator


@pytest.mark.parametrize("text, value, indicator", [
    ("开展巾帼技能培训15次", 15, "activities.count"),
    ("讲座覆盖妇女群众600余人", 600, "participants.count"),
    ("参训学员达900余人", 900, "participants.count"),
    ("爱心人士捐资8万元", 80000, "funds.cny"),
    ("县妇联筹资300万元改造活动阵地", 3000000, "funds.cny"),
    ("争取两癌专项救助金50万元", 500000, "funds.cny"),
    ("为每人发放救助金500元", 500, None),  # relief paid per person, no fund raised
    ("为35名留守儿童送上学习用品", 35, "children_visited.count"),
    ("向18名孩子致以节日的问候", 18, "children_visited.count"),
    ("为30个困境儿童送去慰问品", 30, "children_visited.count"),
])
def test_women_federation_work_in_news_wording(rules_alone, text, value, indicator):
    """妇联 news words for its work indicators: trainings held (次), people reached (覆盖, 参训), money
    raised (捐资, 筹资, 专项救助金), children given gifts or greetings (送上, 问候; counted in 个 too)."""
    assert by_value(extract_text(text))[value].indicator == indicator


@pytest.mark.parametrize("text, value, indicator", [
    # women enrolled in an insurance: the subject names the women, the clause the insurance
    ("参加城镇职工基本医疗保险的女性为500万人", 5000000, "women_medical_insurance.count"),
    ("女职工参加生育保险30万人", 300000, "women_maternity_insurance.count"),
    ("年末全市参加城镇职工基本医疗保险人数为300万人", 3000000, None),  # everyone's (统计公报)
    ("组织妇女参加保险知识讲座300人", 300, "participants.count"),  # an event about insurance
    ("享受城乡最低生活保障的妇女为12万人", 120000, "women_dibao.count"),
    # a part of a population is not the population
    ("全省有集中供养孤儿800名", 800, None),
    ("全省共有孤儿4000名", 4000, "orphans.count"),
    # the women's anaemia and the children's
    ("孕产妇贫血患病率为12%", 12, "maternal_anemia.pct"),
    ("5岁以下儿童贫血患病率为5%", 5, "child_anemia.pct"),
    ("低出生体重发生率为3%", 3, "low_birth_weight.pct"),
    ("5岁以下儿童低体重率为1.5%", 1.5, "child_underweight.pct"),
    # the population rates of 统计公报 and the 两纲 mortality rates
    ("人口死亡率为6.5‰", 6.5, "death_rate.permille"),
    ("新生儿死亡率为2‰", 2, "neonatal_mortality.permille"),
    ("人口自然增长率为1.8‰", 1.8, "natural_growth_rate.permille"),
    # 服务业增加值 is 第三产业's, its parts are not
    ("服务业增加值增长6%", 6, "tertiary_industry_va.growth_pct"),
    ("现代服务业增加值增长9%", 9, None),
    ("新增高新技术企业500家", 500, None),  # a flow, not the year-end count
])
def test_monitoring_and_bulletin_aliases(rules_alone, text, value, indicator):
    """两纲 统计监测报告 and 统计公报 ids (tests/test_compare_generalise.py reads them in whole documents)."""
    assert by_value(extract_text(text))[value].indicator == indicator
