"""pipeline.clean on web captures: site furniture of many kinds of site, page breaks of document
sites, hard-wrapped text, and truncation (a capture that stops mid-sentence).

Every page below is made up: the furniture has the shape real sites print, the body is invented.
"""

from __future__ import annotations

import glob
import json
import os
import re

import pytest

import pipeline.clean as clean_mod
from pipeline.clean import RULES, CleanError, compile_rules
from pipeline.load import load
from pipeline.settings import load_data
from pipeline.types import RawDocument
from tests.test_clean import BODY, Case, _scorer_norm, check_offsets, nows, run

# a long made-up paragraph of prose, for pages cut mid-sentence
PROSE = "今年以来，县妇联围绕中心工作，新建儿童之家36个，培训志愿者420名，开展关爱活动58场，覆盖留守儿童1200名。"

WEB_FURNITURE = [
    Case("location label with the path on the next lines",
         "您所在的位置:\n某某妇联新闻> 基层动态\n> 正文\n某县妇联召开执委会\n" + BODY,
         ["您所在的位置", "基层动态", "正文"], ["某县妇联召开执委会"]),
    Case("current location with arrows", "您当前的位置 : 某某网 -> 新闻中心 -> 本地要闻 -> 正文\n" + BODY,
         ["您当前的位置", "某某网", "本地要闻"]),
    Case("page counter glued to the title", "第1页共7页某区妇联工作报告今年以来，新建儿童之家36个。\n",
         ["第1页共7页"], ["某区妇联工作报告今年以来，新建儿童之家36个。"]),
    Case("document library share notice",
         "某某工作总结.docx\n《某某工作总结.docx》由会员分享,可在线阅读,更多相关《某某工作总结.docx(8页珍藏版)》"
         "请在某某文档网站上搜索。\n" + BODY,
         ["由会员分享", "8页珍藏版", "请在某某文档网站上搜索", ".docx"]),
    Case("preview notes of a document site",
         "  1. 1、下载文档前请自行甄别文档内容的完整性,平台不提供额外的编辑服务。\n"
         "  2. 2、\"仅部分预览\"的文档,不可在线预览部分如存在完整性等问题,可反馈申请退款。\n" + BODY,
         ["下载文档前", "仅部分预览", "申请退款"]),
    Case("betting brand in place of a place name",
         "365体育官网市妇联今年新建儿童之家36个，365体育官网各县妇联培训志愿者420名。\n",
         ["365体育官网", "体育"], ["市妇联今年新建儿童之家36个，各县妇联培训志愿者420名。"]),
    Case("summary box repeating the first paragraph",
         "某市推进会召开\n核心提示:" + PROSE + "\n\n" + PROSE + "\n下午，与会人员参观了儿童之家。\n",
         ["核心提示"], [PROSE, "下午，与会人员参观了儿童之家。"]),
    Case("bracketed buttons and the editor on one line", BODY + "【我要纠错】 责任编辑:某某\n",
         ["我要纠错", "责任编辑", "某某"]),
    Case("labelled original address", "某市妇女联合会\n\nOriginal URL: http://example.cn/bin/x.exe?a=1&b=2\n" + BODY,
         ["Original URL", "example.cn"], ["某市妇女联合会"]),
    Case("related headlines with dates",
         BODY + "某报社全媒体记者 某某\n- 2030-11-13某地某案例获奖\n- 2030-11-13某地苹果备受青睐\n"
         "- 2030-11-122030年11月1日至2031年3月31日——某地景区门票优惠\n",
         ["某案例获奖", "苹果备受青睐", "门票优惠"]),
    Case("site name before the byline", "某某在线 发布时间:2030-11-30\n" + BODY + "编辑:某某\n",
         ["某某在线", "发布时间", "2030-11-30", "编辑"]),
    Case("WeChat and QR footer", BODY + "关注某某在线网微信公众号\n长按或扫描二维码 ,获取更多最新资讯\n",
         ["微信公众号", "二维码", "最新资讯"]),
    Case("forum anti-scraping junk",
         "0 }, \\% ~ M% e; o\" V 省妇联副主席出席活动。 f' V( p# [3 Z% K' a9 @\n"
         "全市共有29名妇女得到救助。2 _0 k1 q, U) k j\n8 R9 n4 J, y, G& N2 d$ `/ L, |0 |! e; d\n",
         ["M%", "p#", "U)", "G&"], ["省妇联副主席出席活动。", "全市共有29名妇女得到救助。"]),
    Case("day-first stamp", "某市妇联春节走访慰问困境妇女\n\n22.02.2030  16:11\n\n" + BODY, ["16:11"],
         ["某市妇联春节走访慰问困境妇女"]),
    Case("source and repost credit in brackets",
         BODY + "让每位孩子都能拥有一个快乐的童年。\n(新闻来源:某县融媒体中心 转载:某某) |\n",
         ["新闻来源", "融媒体中心", "转载"], ["让每位孩子都能拥有一个快乐的童年。"]),
    Case("newspaper masthead", "国内统一刊号:CN00-0000某某日报社出版新闻热线:0000-0000001广告热线:0000-0000002\n"
         + BODY, ["国内统一刊号", "日报社出版", "新闻热线", "0000-0000001"]),
    Case("news tip footer", BODY + "想爆料?请登录《某某连线》( https://example.cn/)、拨打新闻热线0000-0000000,"
         "或登录某某网官方微博提供新闻线索。某某网广告热线0000-0000001,诚邀合作伙伴。\n",
         ["想爆料", "新闻线索", "广告热线", "诚邀合作伙伴"]),
    Case("watermark inserted in a word",
         "新增低保X户X人，实施临心语文创素材¥库:;https://www.example.cn/。公)众号:某某星域。整理汇总。时救助X人次。\n",
         ["心语文创", "example.cn", "某某星域", "整理汇总"], ["实施临时救助X人次。"]),
    Case("stray chess piece", "完成综合养老服务中心等♘X家智慧养老机构建设。\n", ["♘"], ["等X家智慧养老机构建设。"]),
    Case("category tag and a library's name line",
         "2030年县民政局工作总结 【 - 县民政局工作总结】 一、城乡低保。全县共保障8779户。\n\n腾讯文库2030年县民政局\n",
         ["【", "腾讯文库"], ["2030年县民政局工作总结 一、城乡低保。全县共保障8779户。"]),
    Case("paper, stamp and font widget", "某某日报 2030-04-22 01:01 大字\n\n" + BODY, ["某某日报", "01:01", "大字"]),
    Case("news recommendations to the end",
         BODY + "新闻推荐\n\n某地足球最佳阵容出炉\n\n(记者某某)16至17日，某地遴选活动圆满落下帷幕...\n\n"
         "某地新闻,讲述家乡的故事。\n",
         ["新闻推荐", "最佳阵容", "讲述家乡的故事"]),
    Case("copyright note", BODY + "凡本网注明“来源：某某网”的所有作品，版权均属于某某网，未经授权不得转载。\n",
         ["凡本网注明", "版权均属于"]),
    Case("voice and copy widgets", "语音播报\n正文复制\n" + BODY, ["语音播报", "正文复制"]),
    Case("read-the-notice prompt under a cut page", BODY + "（未完，全文共1507字，当前显示476字）\n（请认真阅读下面的提示信息）\n",
         ["请认真阅读", "提示信息"]),    # issue 18, generalisation: kinds of furniture of sites outside the web gold set
    Case("WeChat mirror's collection tag, END mark and list of earlier posts",
         "收录于合集 #巾帼风采 12个\n" + BODY + "— END —\n往期推荐\n某县妇联开展三八节活动\n某县妇联表彰最美家庭\n",
         ["收录于合集", "巾帼风采", "END", "往期推荐", "表彰最美家庭"]),
    Case("a county media centre's reporter credit at the end", BODY + "（融媒记者 某某）\n", ["融媒记者"]),
    Case("news app prompt and review chain", BODY + "一审：某某 二审：某某 三审：某某\n打开某某融媒APP，阅读体验更佳\n",
         ["一审", "三审", "融媒APP", "阅读体验更佳"]),
    Case("library name after the title", "某区教育局工作总结 - 百度文库\n" + BODY, ["百度文库"], ["某区教育局工作总结"]),
    Case("betting lines with a Chinese brand", "某某体育官网入口-首页\n" + BODY + "某某娱乐场app下载\n",
         ["体育官网入口", "娱乐场app下载"]),
]

# body text that looks a bit like the furniture above and must stay
WEB_KEEPS = [
    Case("a news dateline of the site itself", "本网讯（记者 王某）3月5日，县妇联召开执委会。会议表彰了先进集体12个。\n",
         [], ["本网讯", "3月5日，县妇联召开执委会。会议表彰了先进集体12个。"]),
    Case("one dated line of a report", "2030-05-06 召开全县妇女儿童工作会议\n" + BODY, [],
         ["2030-05-06召开全县妇女儿童工作会议"]),
    Case("a numbered list after finished sentences",
         "一、民政民生工程\n1、低保工作。" + PROSE + "\n2、五保工作。全乡现有五保户390人。\n", [],
         ["1、低保工作。", "2、五保工作。全乡现有五保户390人。"]),
    Case("a report's own WeChat account", "开通“某县女性”微信公众号，全年推送信息320条。\n" + BODY, [],
         ["开通“某县女性”微信公众号，全年推送信息320条。"]),
    Case("a sentence about the account starting with 关注", "关注“某县妇联”微信公众号，全年推送信息320条。\n" + BODY, [],
         ["关注“某县妇联”微信公众号，全年推送信息320条。"]),
    Case("a chronicle's dated entries", "2030-01-05 召开全县妇女工作会议，部署全年工作\n"
         "2030-02-10 开展巾帼志愿服务活动，参与群众300人\n" + BODY, [],
         ["召开全县妇女工作会议，部署全年工作", "参与群众300人"]),
    Case("a sports ground is not a betting brand", "新建全民健身体育平台3个，体育场馆开放率达95%。\n", [],
         ["新建全民健身体育平台3个，体育场馆开放率达95%。"]),
    Case("reading that ended is no preview notice", "亲子阅读结束后，志愿者为120名儿童赠送图书。\n" + BODY, [],
         ["亲子阅读结束后，志愿者为120名儿童赠送图书。"]),
    Case("a sports park's entrance is no betting line", "在体育公园入口处设置宣传展板6块\n" + BODY, [],
         ["在体育公园入口处设置宣传展板6块"]),
    Case("a welfare lottery shop is no betting line", "新建福利彩票投注站15个\n" + BODY, [], ["新建福利彩票投注站15个"]),
    Case("a headline of parallel phrases is no menu", "巾帼建新功 家庭添和美 乡村更振兴 妇女更出彩\n" + BODY, [],
         ["巾帼建新功 家庭添和美 乡村更振兴 妇女更出彩"]),
    Case("a headline above its subtitle is no menu", "巾帼心向党 建新功 奋进新征程 喜迎二十大\n——某县妇联工作综述\n" + BODY, [],
         ["巾帼心向党 建新功 奋进新征程 喜迎二十大"]),
    Case("a headline starting with 关注我们", "关注我们身边的留守儿童\n" + BODY, [], ["关注我们身边的留守儿童"]),
    Case("a report's own app, with its figure", "下载“某县巾帼”APP的妇女达3200人\n" + BODY, [],
         ["下载“某县巾帼”APP的妇女达3200人"]),
    Case("a list of bodies in a report is no credit line", "统筹：县妇联、县民政局、县教育局联合开展关爱行动。\n" + BODY, [],
         ["统筹：县妇联、县民政局、县教育局联合开展关爱行动。"]),
    Case("a summary box that says something else", "核心提示:全县建成儿童之家125个。\n" + BODY, ["核心提示"],
         ["全县建成儿童之家125个。"]),
    Case("a photo caption without punctuation is not cut",
         BODY + "市政协副主席在市妇联副主席一行陪同下在某县某镇慰问贫困两癌妇女并送去了慰问金和慰问品\n", [],
         ["慰问贫困两癌妇女"]),
]


@pytest.mark.parametrize("case", WEB_FURNITURE + WEB_KEEPS, ids=lambda c: c.id)
def test_web_furniture(case: Case) -> None:
    doc = run(case.raw)
    text = nows(doc.text)
    for s in case.gone:
        assert nows(s) not in text, f"left in: {s}"
    for s in case.kept:
        assert nows(s) in text, f"lost: {s}"
    if case in WEB_FURNITURE:
        assert doc.meta["removed"], "a removal must be recorded"


# ---------------------------------------------------------------- page breaks and hard wraps
# a previewed page of a document site: one long line (page_min_line)
PAGE = PROSE + "全县妇联组织积极作为，开展巾帼建功活动，评选表彰先进集体10个、先进个人20名，"


@pytest.mark.parametrize("raw, want", [
    # a document site's page marker "2、" cuts a word: it goes with the break
    (PAGE + "培树了一个自治区级巾帼\n2、科技示范基地。\n", PAGE + "培树了一个自治区级巾帼科技示范基地。"),
    # and a number
    (PAGE + "发放一次性生活补贴3\n3、3.8万元。\n", PAGE + "发放一次性生活补贴33.8万元。"),
    # a bare page break inside a number
    (PAGE + "发放一次性生活补贴3\n\n3.8万元。为提高生活质量，筹资600万元。\n",
     PAGE + "发放一次性生活补贴33.8万元。为提高生活质量，筹资600万元。"),
    # a year after a break starts a new paragraph
    (PAGE + "全县城乡最低生活保障城镇8\n\n2030年县民政局工作总结\n",
     PAGE + "全县城乡最低生活保障城镇8\n\n2030年县民政局工作总结"),
    # a list item after a finished sentence is a list item, and after a short line too
    (PAGE + "全面完成。\n2、五保工作。\n", PAGE + "全面完成。\n2、五保工作。"),
    ("1、加强组织领导，健全工作机制\n2、完善制度。\n", "1、加强组织领导，健全工作机制\n2、完善制度。"),
])
def test_page_breaks_join(raw: str, want: str) -> None:
    doc = run(raw)
    assert doc.text == want


def _wrapped(width: int, tail: str = "") -> str:
    text = ("某市妇联紧紧围绕全市工作大局，凝聚力量，求真务实，全年共为92名妇女提供小额担保贴息贷款689.9万元，"
            "争取省妇联妇女创业贷款1410万元，贴息15.56万元。组织51家企业，提供就业岗位2600个，市女企业协会组团"
            "进行了为期八天的经济考察交流，达成合作项目6个。实施家政服务进社区工程，走出一条培训、派遣、上岗、跟踪服务"
            "的路子，安置家政人员600多人上岗。") + tail
    return "某市妇女联合会\n\n" + "\n".join(text[i:i + width] for i in range(0, len(text), width)) + "\n"


def test_hard_wrapped_web_text_is_joined() -> None:
    doc = run(_wrapped(29))
    assert "贴息15.56万元" in doc.text and "为期八天" in doc.text and "2600个" in doc.text
    assert doc.text.startswith("某市妇女联合会\n\n某市妇联紧紧围绕") and doc.text.count("\n") == 2
    # web text of ordinary paragraphs keeps its line breaks
    paragraphs = run(BODY * 1 + PROSE + "\n" + PROSE.replace("县", "市") + "\n")
    assert paragraphs.text.count("\n") == 4


# ---------------------------------------------------------------- truncation
@pytest.mark.parametrize("raw, truncated, by", [
    (PROSE + "\n" + "强化维权关爱，聚焦爱心公益，联合爱心企业、网络达人举办公益直播活动，直播收益全部捐赠到某某项目，用于\n", True, "ends_mid_sentence"),
    (PROSE + "\n" + "深入基层组织农村妇女开展远程教育培训12次，推荐基层妇联干部参加培训12人，组织19名村致富女能\n", True, "ends_mid_sentence"),
    (PROSE + "如招商街道巾帼志愿者成为志愿服务主力，蛇口街道开展了志愿者服务活动，\n", True, "ends_mid_sentence"),
    (PROSE + "今年全市先后4次遭受灾害，造成8.82万户25.712万人(\n", True, "ends_mid_sentence"),
    (PROSE + "完成某某养老机构建设。某区区级智慧...\n", True, "ends_mid_sentence"),
    # cut before a library's name line
    (PROSE + "慈善超市的实物救助方式，让受助对象更加及时地得到\n\n腾讯文库某某工作总结\n", True, "ends_mid_sentence"),
    # a yearbook entry cut mid-line, once its hard wraps are joined
    (_wrapped(29, "挂牌命名了13处市级巾帼星火创业"), True, "ends_mid_sentence"),
    # a short last line: on a comma, or a section heading (issue 18: captures cut anywhere)
    (PROSE + "\n据统计，\n", True, "ends_mid_sentence"),
    (PROSE + "\n二、存在的问题\n", True, "ends_mid_sentence"),
    (PROSE + "\n全年共发放救助金12\n", True, "ends_mid_sentence"),
    (PROSE + "\n开展“巾帼建\n", True, "ends_mid_sentence"),
    (BODY, False, None),
    (PROSE + "\n联系电话：0000-1234567\n", False, None),
    (PROSE + "\n“春蕾计划\"资助名单已全部公示\n", False, None),  # closed by an ASCII quote
    (PROSE + "\n“巾帼文明岗〞创建覆盖全区\n", False, None),  # closed by an OCR's 〞
    # a list of items without punctuation ends an outline
    (PROSE + "\n下一步工作打算：\n1.加强妇女思想引领\n2.深化家庭文明建设\n", False, None),
    (BODY + "某县妇联\n2030年12月1日\n", False, None),
    (BODY + "主办单位：省交通运输厅，各州、市人民政府\n", False, None),
    (PROSE + "(某县妇联)\n其他\n", False, None),
    (PROSE + "……\n", False, None),
    # a notice's label left alone once its notice went does not end the text on a colon
    (BODY + "某某工作总结\n温馨提示：本文由网友投稿，仅供学习参考，请勿直接照搬。\n", False, None),
])
def test_truncation(raw: str, truncated: bool, by: str | None) -> None:
    doc = run(raw)
    assert doc.meta["truncated"] is truncated
    assert doc.meta.get("truncated_by") == by


def test_whole_reports_are_not_truncated(shared) -> None:
    """The complete reports in ../shared/corpus/reports (text, docx, pdf) end as reports do."""
    folder = shared("corpus", "reports")
    done = 0
    for path in sorted(glob.glob(str(folder / "*"))):
        if path.endswith(".md"):
            continue
        try:
            raw = load(path)
        except Exception:  # noqa: BLE001 - the corpus holds a file that is not what its name says
            continue
        doc = clean_mod.clean(raw)
        assert doc.meta["truncated"] is False, (os.path.basename(path), doc.meta.get("truncated_by"))
        done += 1
    assert done >= 10


def test_web_pages_against_gold(shared) -> None:
    """The 24 real web captures: every furniture snippet goes, every body snippet stays, and the
    truncation flag is the gold's (the scorer's figures for web are in the report of the commit)."""
    norm = _scorer_norm(shared)
    with open(shared("gold", "web.jsonl"), encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    for d in docs:
        path = shared("corpus", "web", d["doc"])
        doc = clean_mod.clean(RawDocument(str(path), "txt", path.read_text(encoding="utf-8")))
        check_offsets(doc)
        text = norm(doc.text)
        for s in d.get("must_remove", []):
            assert norm(s) not in text, f"{d['doc']}: left in {s}"
        for s in d.get("must_keep", []):
            assert norm(s) in text, f"{d['doc']}: lost {s}"
        assert doc.meta["truncated"] is d["meta"]["truncated"], d["doc"]


# ---------------------------------------------------------------- mechanism
def test_min_run_needs_a_run() -> None:
    one = run("- 2030-11-13某地某案例获奖\n" + BODY)
    assert "某地某案例获奖" in one.text
    two = run(BODY + "- 2030-11-13某地某案例获奖\n\n- 2030-11-12某地景区门票优惠\n")
    assert "某案例获奖" not in two.text and "门票优惠" not in two.text


@pytest.mark.parametrize("bad", [
    {"name": "a", "scope": "inline", "pattern": "x", "min_run": 2},
    {"name": "a", "scope": "line", "pattern": "x", "min_run": 0},
])
def test_min_run_only_on_line_rules(bad: dict) -> None:
    data = {**load_data("pipeline", "boilerplate"), "rule": [bad]}
    with pytest.raises(CleanError, match="min_run"):
        compile_rules(data)


def test_bad_join_pattern_is_refused() -> None:
    data = {**load_data("pipeline", "boilerplate"), "joins": {"page_marker": "(x"}}
    with pytest.raises(CleanError, match="joins.page_marker"):
        compile_rules(data)


_REQUIRE_TEXTS = [
    "点击下载word版", "新闻热线电话", "热线", "相关文章：上一篇", "全文共3011字，当前只显示1673字",
    "本文由某某网网友投稿", "心语文创素材¥库", "", "公)众号:某某。", "核心提示:某某",
]


@pytest.mark.parametrize("text", _REQUIRE_TEXTS + [BODY, PROSE])
def test_one_scan_finds_the_same_required_strings(text: str) -> None:
    """The one-pass scan of every rule's ``requires`` strings gates each rule as a substring test would."""
    present = RULES.requires.present(text)
    assert present == {s for s in RULES.requires.strings if s in text}
    for rule in RULES.rules:
        assert rule.may_match(text, present) == rule.may_match(text)


def test_one_scan_finds_a_string_that_starts_inside_another() -> None:
    """A scan skips what a match covered: "AB" then "BC" in "ABC" is found by the test alone."""
    req = clean_mod._Requires({"AB", "BC", "XY"})
    assert req.present("xxABCxx") == {"AB", "BC"}
    assert req.present("XYZ") == {"XY"}
    assert req.present("") == frozenset()


def test_bad_engine_is_refused() -> None:
    data = {**load_data("pipeline", "boilerplate"), "rule": [{"name": "a", "scope": "line", "pattern": "x",
                                                              "engine": "pcre"}]}
    with pytest.raises(CleanError, match="engine"):
        compile_rules(data)


def test_re_engine_rules_match_as_under_regex(tmp_path) -> None:
    """A rule compiled by the standard ``re`` (speed only) finds what ``regex`` finds with the same
    pattern: on synthetic pages, the case tables here and ../shared's texts when present."""
    import regex

    from corpora.synth import generate

    rules = [r for r in RULES.rules if isinstance(r.pattern, re.Pattern)]
    assert {r.name for r in rules} >= {"stray_dingbat", "breadcrumb", "file_name"}
    generate(20, tmp_path, seed=11, formats=("txt",))
    texts = [load(str(p)).text for p in sorted(tmp_path.rglob("*.txt"))]
    texts += [c.raw for c in WEB_FURNITURE + WEB_KEEPS]
    shared = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus")
    texts += [load(p).text for p in sorted(glob.glob(os.path.join(shared, "*", "*.txt")))]
    assert len(texts) >= 40
    for rule in rules:
        twin = regex.compile(rule.pattern.pattern, regex.V0)
        for text in texts:
            if rule.scope == "line":
                for line in (ln.strip() for ln in text.split("\n")):
                    assert bool(rule.pattern.search(line)) == bool(twin.search(line)), (rule.name, line)
            else:
                assert ([m.span() for m in rule.pattern.finditer(text)]
                        == [m.span() for m in twin.finditer(text)]), rule.name
