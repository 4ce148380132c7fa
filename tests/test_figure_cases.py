"""Case table for figure extraction, written from ANNOTATION.md (not from the implementation).

One row per sentence, in the style of price-parser's ``tests/test_price_parsing.py``:
``Example(text, value, unit, kind, approx=None, subject=None, high=None, redacted=False, target=None)``.

- A positive row passes when one of the figures ``extract_text(text)`` returns agrees with it on
  value (relative tolerance 1e-6), kind, unit, the *direction* of approx (``approx_class``), high,
  redacted, and, when the row names a subject, ``subject_match``. With ``target`` (a substring of
  the text) only figures whose ``[start, end)`` overlaps that substring are candidates.
- A ``not_figure`` row passes when no figure's ``[start, end)`` overlaps the marked substring;
  ``nothing(text)`` marks the whole text, i.e. the sentence holds no figure at all.
- ``xfail="reason"`` marks a known miss as ``xfail(strict=True)``: it must keep failing until fixed.

The sentences are written for these tests in the style of 妇联 reports and 政府工作报告; the
short examples quoted by ANNOTATION.md itself are reused as they are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

KINDS = {"count", "money", "percent", "other"}


@dataclass(frozen=True)
class Example:
    text: str
    value: float | int | None = None
    unit: str | None = None
    kind: str | None = None
    approx: str | None = None
    subject: str | None = None
    high: float | int | None = None
    redacted: bool = False
    target: str | None = None
    not_figure: str | None = None  # a substring no figure may overlap (the whole text: no figure at all)
    xfail: str | None = None  # reason of a known miss -> xfail(strict=True)

    @property
    def positive(self) -> bool:
        return self.not_figure is None


def nothing(text: str, xfail: str | None = None) -> Example:
    """A sentence that holds no figure at all."""
    return Example(text, not_figure=text, xfail=xfail)


from tests.scoring import approx_class, same_value, subject_match  # noqa: E402  (the scorer's rules)

# ---------------------------------------------------------------------------------------------
# CORE: plain counts, money, percentages and measures, one figure per sentence or a target.
CORE = [
    # the table of ANNOTATION.md
    Example("全区已建成“儿童之家”125个", 125, "个", "count", subject="儿童之家"),
    Example("共慰问521名儿童", 521, "名", "count", subject="儿童"),
    Example("花费10.95万元", 109500, "元", "money", subject="花费"),
    Example("投入资金70多万元", 700000, "元", "money", approx="多", subject="投入资金"),
    Example("80余所留守儿童之家", 80, "所", "count", approx="余", subject="留守儿童之家"),
    Example("公益课近百节", 100, "节", "count", approx="近", subject="公益课"),
    Example("组建了五个巾帼互助组", 5, "个", "count", subject="巾帼互助组"),
    Example("覆盖率达95.6%", 95.6, "%", "percent", subject="覆盖率"),
    Example("我区共有农村留守儿童*名", None, "名", "count", subject="农村留守儿童", redacted=True),
    # counts with their measure words
    Example("今年以来，全县共举办家庭教育讲座46场", 46, "场", "count", subject="家庭教育讲座"),
    Example("帮助1260名农村妇女实现就近就业", 1260, "名", "count", subject="农村妇女"),
    Example("新建村级妇女之家38个", 38, "个", "count", subject="村级妇女之家"),
    Example("全市登记在册的巾帼志愿者达4521人", 4521, "人", "count", subject="登记在册的巾帼志愿者"),
    Example("全年调解婚姻家庭纠纷87起", 87, "起", "count", subject="婚姻家庭纠纷"),
    Example("受理妇女儿童来信来访213件", 213, "件", "count", subject="妇女儿童来信来访"),
    Example("培训农村妇女3200人次", 3200, "人次", "count", subject="农村妇女"),
    Example("全镇共有留守妇女642人", 642, "人", "count", subject="留守妇女"),
    Example("走访慰问困难单亲母亲150户", 150, "户", "count", subject="困难单亲母亲"),
    Example("新培育巾帼示范基地12家", 12, "家", "count", subject="巾帼示范基地"),
    Example("全年办理法律援助案件386件", 386, "件", "count", subject="法律援助案件"),
    Example("培训家政服务人员800人", 800, "人", "count", subject="家政服务人员"),
    Example("组织23支巾帼志愿服务队深入社区开展服务", 23, "支", "count", subject="巾帼志愿服务队"),
    Example("开展家庭教育指导服务412场次", 412, "场次", "count", subject="家庭教育指导服务"),
    Example("修建村级文化广场46处", 46, "处", "count", subject="村级文化广场"),
    Example("新改建农村公厕57座", 57, "座", "count", subject="农村公厕"),
    Example("新增公交线路9条", 9, "条", "count", subject="公交线路"),
    Example("建成保障性租赁住房3860套", 3860, "套", "count", subject="保障性租赁住房"),
    Example("新增养老床位1200张", 1200, "张", "count", subject="养老床位"),
    Example("为辖区妇女发放宣传册4600本", 4600, "本", "count", subject="宣传册"),
    Example("推出巾帼创业典型案例15例", 15, "例", "count", subject="巾帼创业典型案例"),
    Example("新建公办幼儿园23所，新增学位6900个", 23, "所", "count", subject="公办幼儿园", target="23所"),
    Example("新建公办幼儿园23所，新增学位6900个", 6900, "个", "count", subject="学位", target="6900个"),
    Example("改造老旧小区412个，惠及居民5.3万户", 412, "个", "count", subject="老旧小区", target="412个"),
    Example("改造老旧小区412个，惠及居民5.3万户", 53000, "户", "count", subject="居民", target="5.3万户"),
    Example("举办专场招聘会15场，提供就业岗位3600余个", 15, "场", "count", subject="招聘会", target="15场"),
    Example("举办专场招聘会15场，提供就业岗位3600余个", 3600, "个", "count", approx="余", subject="就业岗位",
            target="3600余个"),
    Example("全县留守妇女共计2156人", 2156, "人", "count", subject="留守妇女"),
    Example("区妇联机关现有干部11名", 11, "名", "count"),
    Example("为126名留守儿童建立了成长档案", 126, "名", "count", subject="留守儿童"),
    Example("组织了43场亲子阅读活动", 43, "场", "count", subject="亲子阅读活动"),
    Example("招募家庭教育志愿者680名", 680, "名", "count", subject="家庭教育志愿者"),
    Example("设立妇女儿童维权站18个", 18, "个", "count", subject="妇女儿童维权站"),
    Example("发放“母亲邮包”1200个", 1200, "个", "count", subject="母亲邮包"),
    Example("全年共表彰最美家庭50户", 50, "户", "count", subject="最美家庭"),
    Example("开展“春风行动”招聘会28场", 28, "场", "count", subject="招聘会"),
    # percentages and percentage points
    Example("全年地区生产总值增长5.5%", 5.5, "%", "percent", subject="地区生产总值"),
    Example("城镇调查失业率为5.1%", 5.1, "%", "percent", subject="城镇调查失业率"),
    Example("居民消费价格上涨1.8%", 1.8, "%", "percent", subject="居民消费价格"),
    Example("森林覆盖率提高到45.2%", 45.2, "%", "percent", subject="森林覆盖率"),
    Example("单位地区生产总值能耗下降3.2%", 3.2, "%", "percent", subject="单位地区生产总值能耗"),
    Example("研发经费投入强度达到2.6%", 2.6, "%", "percent", subject="研发经费投入强度"),
    Example("全市财政用于民生的支出占比达78%", 78, "%", "percent"),
    Example("进出口总额增长12.4%", 12.4, "%", "percent", subject="进出口总额"),
    Example("农村居民人均可支配收入增长6.8%", 6.8, "%", "percent", subject="农村居民人均可支配收入"),
    Example("城镇登记失业率同比下降0.3个百分点", 0.3, "个百分点", "percent", subject="城镇登记失业率"),
    Example("常住人口城镇化率提高1.2个百分点", 1.2, "个百分点", "percent", subject="常住人口城镇化率"),
    Example("增速高于全省平均水平0.8个百分点", 0.8, "个百分点", "percent"),
    Example("女性就业人员占比提高2个百分点", 2, "个百分点", "percent"),
    Example("适龄妇女“两癌”筛查率达到92.5%", 92.5, "%", "percent", subject="适龄妇女“两癌”筛查率"),
    # other measures keep their unit, kind other
    Example("新建农村公路215公里", 215, "公里", "other", subject="农村公路"),
    Example("新增城市绿地45万平方米", 450000, "平方米", "other", subject="城市绿地"),
    Example("完成造林绿化3.6万亩", 36000, "亩", "other", subject="造林绿化"),
    Example("新增光伏装机容量120万千瓦", 1200000, "千瓦", "other", subject="光伏装机容量"),
    Example("全年粮食产量稳定在300万吨", 3000000, "吨", "other", subject="粮食产量"),
    Example("巾帼志愿者累计服务时长达1.5万小时", 15000, "小时", "other", subject="巾帼志愿者累计服务时长"),
    Example("出口额增长1.5倍", 1.5, "倍", "other", subject="出口额"),
    Example("全社会用电量达到86亿千瓦时", 8600000000, "千瓦时", "other", subject="全社会用电量"),
    Example("铁路营业里程达到4500公里", 4500, "公里", "other", subject="铁路营业里程"),
    Example("建成高标准农田82万亩", 820000, "亩", "other", subject="高标准农田"),
    Example("港口货物吞吐量完成2.3亿吨", 230000000, "吨", "other", subject="港口货物吞吐量"),
    Example("新建妇女儿童活动中心建筑面积3200平方米", 3200, "平方米", "other", subject="妇女儿童活动中心建筑面积"),
    Example("全市人均公园绿地面积是十年前的2倍", 2, "倍", "other"),
]

# MULTIPLIERS: 万 亿 千 百 are folded into the value for every kind (ANNOTATION.md, "multipliers").
MULTIPLIERS = [
    Example("新增就业10.2万人", 102000, "人", "count", subject="就业"),
    Example("大型露天煤矿年产300万吨", 3000000, "吨", "other"),
    Example("地区生产总值67665亿元", 6766500000000, "元", "money", subject="地区生产总值"),
    Example("城镇新增就业6.8万人", 68000, "人", "count", subject="城镇新增就业"),
    Example("全年接待游客1250万人次", 12500000, "人次", "count", subject="游客"),
    Example("全年开展宣讲活动132次，覆盖群众1.6万人次", 16000, "人次", "count", subject="群众",
            target="1.6万人次"),
    Example("发放“反家暴”宣传资料1.2万份", 12000, "份", "count", subject="宣传资料"),
    Example("棚户区改造开工1.2万套", 12000, "套", "count", subject="棚户区改造"),
    Example("常住人口达到1.05亿人", 105000000, "人", "count", subject="常住人口"),
    Example("牲畜存栏稳定在46万头", 460000, "头", "count", subject="牲畜存栏"),
    Example("新增城镇就业3千人", 3000, "人", "count", subject="城镇就业"),
    Example("参与“美丽庭院”创建的农户达4千余户", 4000, "户", "count", approx="余"),
    Example("新建风电装机5万千瓦", 50000, "千瓦", "other", subject="风电装机"),
    Example("新增储能装机1000万千瓦", 10000000, "千瓦", "other", subject="储能装机"),
    Example("全年粮食播种面积稳定在44.6万亩", 446000, "亩", "other", subject="粮食播种面积"),
    Example("新增商业营业面积8.5万平方米", 85000, "平方米", "other", subject="商业营业面积"),
    Example("建成5G基站1.2万个", 12000, "个", "count", subject="5G基站"),
    Example("全省生产总值2.8万亿元", 2800000000000, "元", "money", subject="生产总值"),
    Example("一般公共预算收入完成186.4亿元", 18640000000, "元", "money", subject="一般公共预算收入"),
    Example("累计发放创业担保贷款2.3亿元", 230000000, "元", "money", subject="创业担保贷款"),
    Example("全县总人口25万6千人", 256000, "人", "count", subject="总人口"),
    Example("全镇户籍人口3万4000人", 34000, "人", "count", subject="户籍人口"),
    Example("实现社会消费品零售总额1,100.9亿元", 110090000000, "元", "money", subject="社会消费品零售总额"),
    Example("奖补资金五百万元全部拨付到位", 5000000, "元", "money", subject="奖补资金"),
    Example("年接待研学学生0.8万人次", 8000, "人次", "count", subject="研学学生"),
]

# MONEY: always in 元 (万元 亿元 千元 folded); another currency keeps its own unit.
MONEY = [
    Example("争取上级项目资金90万元", 900000, "元", "money", subject="项目资金"),
    Example("落实妇女儿童工作专项经费18.6万元", 186000, "元", "money", subject="妇女儿童工作专项经费"),
    Example("发放“春蕾计划”助学金12000元", 12000, "元", "money", subject="春蕾计划助学金"),
    Example("为每名困境儿童每月发放生活补助600元", 600, "元", "money", subject="生活补助"),
    Example("货物贸易顺差达到1383亿美元", 138300000000, "美元", "money", subject="货物贸易顺差"),
    Example("全年引进外资2.6亿美元", 260000000, "美元", "money", subject="外资"),
    Example("外贸进出口总额86.5亿美元", 8650000000, "美元", "money", subject="外贸进出口总额"),
    Example("吸引欧洲投资1.2亿欧元", 120000000, "欧元", "money", subject="欧洲投资"),
    Example("港资项目到位资金3.5亿港元", 350000000, "港元", "money", subject="到位资金"),
    Example("新签约外资项目合同额4500万美元", 45000000, "美元", "money", subject="外资项目合同额"),
    Example("签约项目总投资达320亿元", 32000000000, "元", "money", subject="总投资"),
    Example("募集爱心善款5.6万余元", 56000, "元", "money", approx="余", subject="爱心善款"),
    Example("筹集社会捐赠资金一千二百余万元", 12000000, "元", "money", approx="余", subject="社会捐赠资金"),
    Example("城乡居民基础养老金最低标准提高到每人每月143元", 143, "元", "money", subject="城乡居民基础养老金最低标准"),
    Example("财政投入1,100.9万元用于儿童之家提档升级", 11009000, "元", "money", subject="财政投入"),
    Example("农村居民人均可支配收入达到2.1万元", 21000, "元", "money", subject="农村居民人均可支配收入"),
    Example("固定资产投资完成1260亿元", 126000000000, "元", "money", subject="固定资产投资"),
    Example("农牧民人均纯收入8650元", 8650, "元", "money", subject="农牧民人均纯收入"),
    Example("为留守儿童捐赠价值2.3万元的学习用品", 23000, "元", "money", subject="学习用品"),
    Example("节日期间发放慰问金3500元", 3500, "元", "money", subject="慰问金"),
    Example("募集物资折合人民币12.8万元", 128000, "元", "money", subject="募集物资"),
    Example("为每名考入大学的困难学生发放一千元助学金", 1000, "元", "money", subject="助学金"),
    Example("每户获得奖补资金5千元", 5000, "元", "money", subject="奖补资金"),
    Example("为困难家庭减免费用两万元", 20000, "元", "money", subject="费用"),
    Example("争取省级妇女发展资金一百五十万元", 1500000, "元", "money", subject="省级妇女发展资金"),
    Example("妇女创业贷款户均贴息0.8万元", 8000, "元", "money"),
    Example("项目资金缺口约2000万元", 20000000, "元", "money", approx="约", subject="项目资金缺口"),
    Example("拨付专项资金近千万元", 10000000, "元", "money", approx="近", subject="专项资金"),
    Example("节约财政资金650余万元", 6500000, "元", "money", approx="余", subject="财政资金"),
    Example("发放“巾帼贷”3.2亿元", 320000000, "元", "money", subject="巾帼贷"),
    Example("全年减税降费38亿元", 3800000000, "元", "money", subject="减税降费"),
    Example("税收收入增长9.6%，达到53.8亿元", 5380000000, "元", "money", subject="税收收入",
            target="53.8亿元"),
    Example("税收收入增长9.6%，达到53.8亿元", 9.6, "%", "percent", subject="税收收入", target="9.6%"),
    Example("社会消费品零售总额突破3000亿元", 300000000000, "元", "money", approx="突破",
            subject="社会消费品零售总额"),
    Example("一次性发放创业补贴2000元", 2000, "元", "money", subject="创业补贴"),
    Example("为每名参训学员补贴交通费50元", 50, "元", "money", subject="补贴交通费"),
    Example("人均可支配收入增加1.2千元", 1200, "元", "money", subject="人均可支配收入"),
    Example("全年旅游总收入达到38亿元", 3800000000, "元", "money", subject="旅游总收入"),
    Example("撬动社会资本投入超百亿元", 10000000000, "元", "money", approx="超", subject="撬动社会资本投入"),
    Example("巾帼家政企业年营业额十余万元", 100000, "元", "money", approx="余", subject="巾帼家政企业年营业额"),
]

# APPROX: qualifiers before and after, as written; scored by direction (more / less / about).
# 至少 达 共 累计 (and their compounds) are not qualifiers: approx must be empty.
APPROX = [
    Example("帮扶困难妇女200余人", 200, "人", "count", approx="余", subject="困难妇女"),
    Example("吸引周边群众2000多人参与", 2000, "人", "count", approx="多", subject="群众"),
    Example("项目惠及近3000户家庭", 3000, "户", "count", approx="近", subject="家庭"),
    Example("约1500名巾帼志愿者参与活动", 1500, "名", "count", approx="约", subject="巾帼志愿者"),
    Example("线上宣传覆盖人群超5万人", 50000, "人", "count", approx="超"),
    Example("逾300名妇女代表参加会议", 300, "名", "count", approx="逾", subject="妇女代表"),
    Example("全年开展巾帼宣讲50场以上", 50, "场", "count", approx="以上", subject="巾帼宣讲"),
    Example("受益群众1万人左右", 10000, "人", "count", approx="左右", subject="受益群众"),
    Example("每期培训规模在100人上下", 100, "人", "count", approx="上下"),
    Example("农村低收入人口返贫率不足1%", 1, "%", "percent", approx="不足", subject="农村低收入人口返贫率"),
    Example("常住人口城镇化率突破60%", 60, "%", "percent", approx="突破", subject="常住人口城镇化率"),
    Example("接近90%的行政村建立了妇联执委联系户制度", 90, "%", "percent", approx="接近"),
    Example("上千名群众参加了家风家教宣传活动", 1000, "名", "count", approx="上千", subject="群众"),
    Example("全年举办各类讲座上百场", 100, "场", "count", approx="上百", subject="各类讲座"),
    Example("线上课堂点播量达上万人次", 10000, "人次", "count", approx="上万"),
    Example("帮助将近400户家庭解决实际困难", 400, "户", "count", approx="将近", subject="家庭"),
    Example("未达标村占比不到5%", 5, "%", "percent", approx="不到"),
    Example("千余名群众观看了文艺演出", 1000, "名", "count", approx="余", subject="群众"),
    Example("累计服务万余名妇女", 10000, "名", "count", approx="余", subject="妇女"),
    Example("开展巡回宣讲百余场", 100, "场", "count", approx="余", subject="巡回宣讲"),
    Example("协调十余个部门联合开展专项行动", 10, "个", "count", approx="余", subject="部门"),
    Example("建立了三十多个“妇女微家”", 30, "个", "count", approx="多", subject="妇女微家"),
    Example("服务对象1.2万余人", 12000, "人", "count", approx="余", subject="服务对象"),
    Example("新签约投资300万元以上的项目", 3000000, "元", "money", approx="以上"),
    Example("适龄儿童入学率达到95%以上", 95, "%", "percent", approx="以上", subject="适龄儿童入学率"),
    Example("全年经济增长6%左右", 6, "%", "percent", approx="左右"),
    Example("城乡居民收入增长5%以上", 5, "%", "percent", approx="以上", subject="城乡居民收入"),
    Example("参加“云课堂”学习的家长超过7000人", 7000, "人", "count", approx="超过", subject="参加“云课堂”学习的家长"),
    Example("大约600人次接受了心理疏导", 600, "人次", "count", approx="大约"),
    Example("争取帮扶资金20余万元", 200000, "元", "money", approx="余", subject="帮扶资金"),
    Example("线上参与近万人", 10000, "人", "count", approx="近"),
    Example("全年完成投资近百亿元", 10000000000, "元", "money", approx="近"),
    Example("工业总产值突破千亿元", 100000000000, "元", "money", approx="突破", subject="工业总产值"),
    Example("参加招聘会的求职者达3000余人", 3000, "人", "count", approx="余", subject="参加招聘会的求职者"),
    Example("共有一百多名儿童参加夏令营", 100, "名", "count", approx="多", subject="儿童"),
    Example("投入200多万元改善儿童之家设施", 2000000, "元", "money", approx="多"),
    Example("逾千名志愿者参与“护苗”行动", 1000, "名", "count", approx="逾", subject="志愿者"),
    Example("儿童之家覆盖率高达85%", 85, "%", "percent", approx=None, subject="儿童之家覆盖率"),
    Example("每个乡镇至少开展3次反家暴宣传", 3, "次", "count", approx=None, subject="反家暴宣传"),
    Example("累计培训妇女1.6万人次", 16000, "人次", "count", approx=None, subject="妇女"),
    Example("共计发放慰问金12500元", 12500, "元", "money", approx=None, subject="慰问金"),
    Example("全市共有妇女之家1560个", 1560, "个", "count", approx=None, subject="妇女之家"),
    Example("注册志愿者人数达到4.2万人", 42000, "人", "count", approx=None, subject="注册志愿者人数"),
    Example("合计帮扶困境儿童368名", 368, "名", "count", approx=None, subject="困境儿童"),
    Example("总计投入资金45万元", 450000, "元", "money", approx=None, subject="投入资金"),
    Example("全县90%以上的村建立了妇女议事会", 90, "%", "percent", approx="以上"),
    Example("百分之九十五以上的社区配备了儿童主任", 95, "%", "percent", approx="以上"),
    Example("全年完成投资十多万元", 100000, "元", "money", approx="多"),
    Example("每个班级学员控制在40人以下", 40, "人", "count", approx="以下"),
    Example("截至2023.12.31，全区共有巾帼志愿者2300名", 2300, "名", "count", subject="巾帼志愿者"),
    Example("2024年1—6月，全市地区生产总值增长5.3%", 5.3, "%", "percent", subject="地区生产总值"),
]

# RANGES: one figure; value is the lower bound, high the upper bound.
RANGES = [
    Example("全年地区生产总值预期增长5%—6%", 5, "%", "percent", high=6, subject="地区生产总值"),
    Example("城乡居民收入预期增长5%-6%", 5, "%", "percent", high=6, subject="城乡居民收入"),
    Example("为每户提供3至5万元贴息贷款", 30000, "元", "money", high=50000, subject="贴息贷款"),
    Example("每个村配备两三个专职网格员", 2, "个", "count", high=3, subject="专职网格员"),
    Example("每个小组有二三十人", 20, "人", "count", high=30),
    Example("每场活动吸引七八十名家长参加", 70, "名", "count", high=80, subject="家长"),
    Example("每个社区有三四百户留守家庭", 300, "户", "count", high=400, subject="留守家庭"),
    Example("每期培训班招收学员20-30人", 20, "人", "count", high=30, subject="培训班招收学员"),
    Example("每个乡镇建设3—5个示范点", 3, "个", "count", high=5, subject="示范点"),
    Example("每人补贴1000至1500元", 1000, "元", "money", high=1500),
    Example("预计带动就业3万至5万人", 30000, "人", "count", high=50000, subject="就业"),
    Example("每期吸纳200到300名妇女参训", 200, "名", "count", high=300, subject="妇女"),
    Example("单个项目补助1.5万—2万元", 15000, "元", "money", high=20000),
    Example("能耗强度下降10%至15%", 10, "%", "percent", high=15, subject="能耗强度"),
    Example("每人每月补贴300—500元", 300, "元", "money", high=500),
    Example("每个村组建五至十个巾帼志愿小分队", 5, "个", "count", high=10, subject="巾帼志愿小分队"),
    Example("每个社区配备三五名调解员", 3, "名", "count", high=5, subject="调解员"),
    Example("研发投入强度提高4至6个百分点", 4, "个百分点", "percent", high=6),
    Example("每个示范基地流转土地50至100亩", 50, "亩", "other", high=100),
    Example("每次课程持续2-3小时", 2, "小时", "other", high=3),
    Example("每户可申请6-8万元创业贷款", 60000, "元", "money", high=80000, subject="创业贷款"),
    Example("新增产能30万至50万吨", 300000, "吨", "other", high=500000, subject="产能"),
    Example("失业率控制在5.5%—6%之间", 5.5, "%", "percent", high=6, subject="失业率"),
    Example("每场讲座约五六十人参加", 50, "人", "count", high=60, approx="约"),
]

# REDACTED: a placeholder instead of the number; value is None and the figure is still reported.
REDACTED = [
    Example("全镇共有留守妇女XX人", None, "人", "count", subject="留守妇女", redacted=True),
    Example("建成村级儿童之家X个", None, "个", "count", subject="儿童之家", redacted=True),
    Example("投入帮扶资金**元", None, "元", "money", subject="帮扶资金", redacted=True),
    Example("培训农村妇女*余人", None, "人", "count", approx="余", subject="农村妇女", redacted=True),
    Example("全年共开展主题活动*场", None, "场", "count", subject="主题活动", redacted=True),
    Example("受益群众*万人", None, "人", "count", subject="受益群众", redacted=True),
    Example("争取项目资金*万元", None, "元", "money", subject="项目资金", redacted=True),
    Example("儿童之家覆盖率达*%", None, "%", "percent", subject="儿童之家覆盖率", redacted=True),
    Example("建成巾帼示范点×个", None, "个", "count", subject="巾帼示范点", redacted=True),
    Example("组织XX名志愿者开展入户走访", None, "名", "count", subject="志愿者", redacted=True),
    Example("春节期间发放慰问金*元", None, "元", "money", subject="慰问金", redacted=True),
    Example("服务人次超*人次", None, "人次", "count", approx="超", redacted=True),
    Example("开展家庭教育讲座*余场", None, "场", "count", approx="余", subject="家庭教育讲座", redacted=True),
    Example("全县共有困境儿童***名", None, "名", "count", subject="困境儿童", redacted=True),
    Example("走访慰问困难家庭XXX户", None, "户", "count", subject="困难家庭", redacted=True),
    Example("落实配套资金X万元", None, "元", "money", subject="配套资金", redacted=True),
    Example("妇女参与率提高X个百分点", None, "个百分点", "percent", redacted=True),
    Example("其中女童*名，男童*名", None, "名", "count", subject="女童", redacted=True, target="女童*名"),
    Example("其中女童*名，男童*名", None, "名", "count", subject="男童", redacted=True, target="男童*名"),
    Example("全区共有“妇女之家”*个，“儿童之家”*个", None, "个", "count", subject="妇女之家", redacted=True,
            target="“妇女之家”*个"),
    Example("全区共有“妇女之家”*个，“儿童之家”*个", None, "个", "count", subject="儿童之家", redacted=True,
            target="“儿童之家”*个"),
    Example("其中，0-3岁的*名，3-6岁的*名", None, "名", "count", redacted=True, target="0-3岁的*名"),
    Example("其中，0-3岁的*名，3-6岁的*名", None, "名", "count", redacted=True, target="3-6岁的*名"),
    Example("举办培训班XX期，培训人员XX人次", None, "期", "count", subject="培训班", redacted=True,
            target="XX期"),
    Example("举办培训班XX期，培训人员XX人次", None, "人次", "count", subject="培训人员", redacted=True,
            target="XX人次"),
    Example("聘请儿童主任*名", None, "名", "count", subject="儿童主任", redacted=True),
    Example("建立妇女议事会XX个", None, "个", "count", subject="妇女议事会", redacted=True),
]

# CHINESE_NUMERALS: Chinese numerals (with 两, 零, 百分之) and full-width digits are numbers too.
CHINESE_NUMERALS = [
    Example("全年慰问困境儿童五百二十一名", 521, "名", "count", subject="困境儿童"),
    Example("两千名群众参加了“巾帼心向党”健步走活动", 2000, "名", "count", subject="群众"),
    Example("全县共有留守儿童一万二千人", 12000, "人", "count", subject="留守儿童"),
    Example("培训“巾帼家政”学员三百余名", 300, "名", "count", approx="余", subject="巾帼家政学员"),
    Example("开展“护苗”宣传二十多场", 20, "场", "count", approx="多", subject="“护苗”宣传"),
    Example("新建一百二十个妇女之家", 120, "个", "count", subject="妇女之家"),
    Example("为九十九户困难家庭送去慰问品", 99, "户", "count", subject="困难家庭"),
    Example("覆盖全县十二个乡镇", 12, "个", "count", subject="乡镇"),
    Example("联合二十一个成员单位开展督导", 21, "个", "count", subject="成员单位"),
    Example("争取上级资金四十五万元", 450000, "元", "money", subject="上级资金"),
    Example("投入三亿元建设妇女儿童医院", 300000000, "元", "money"),
    Example("完成投资六千八百万元", 68000000, "元", "money", subject="投资"),
    Example("全区共有适龄妇女两万五千人", 25000, "人", "count", subject="适龄妇女"),
    Example("累计服务群众一万零五百人次", 10500, "人次", "count", subject="群众"),
    Example("走访一千零八十户留守家庭", 1080, "户", "count", subject="留守家庭"),
    Example("村级妇联组织覆盖率达到百分之九十", 90, "%", "percent", subject="村级妇联组织覆盖率"),
    Example("农村妇女参保率提高到百分之九十八点五", 98.5, "%", "percent", subject="农村妇女参保率"),
    Example("实现百分之百全覆盖", 100, "%", "percent"),
    Example("全区已建成“儿童之家”１２５个", 125, "个", "count", subject="儿童之家"),
    Example("培训留守妇女３２００人", 3200, "人", "count", subject="留守妇女"),
    Example("花费１０．９５万元", 109500, "元", "money", subject="花费"),
    Example("建成两个市民公园", 2, "个", "count", subject="市民公园"),
    Example("打通三条断头路", 3, "条", "count", subject="断头路"),
    Example("新建四座妇女儿童活动中心", 4, "座", "count", subject="妇女儿童活动中心"),
    Example("服务群众一万余人", 10000, "人", "count", approx="余", subject="群众"),
    Example("完成五万亩盐碱地改良", 50000, "亩", "other", subject="盐碱地"),
    Example("七千多名妇女参加了技能培训", 7000, "名", "count", approx="多", subject="妇女"),
    Example("帮助三千余户家庭建立家训家规", 3000, "户", "count", approx="余", subject="家庭"),
    Example("发放奖励资金十万元", 100000, "元", "money", subject="奖励资金"),
    Example("落实救助资金十二万元", 120000, "元", "money", subject="救助资金"),
    Example("两百万元用于改善留守儿童学习条件", 2000000, "元", "money"),
    Example("完成投资一亿二千万元", 120000000, "元", "money", subject="投资"),
    Example("三十五个村级妇联完成换届", 35, "个", "count", subject="村级妇联"),
    Example("两千余名巾帼志愿者参与防汛救灾", 2000, "名", "count", approx="余", subject="巾帼志愿者"),
    Example("邀请十五名专家组成讲师团", 15, "名", "count", subject="专家"),
    Example("选派两名干部驻村帮扶", 2, "名", "count", subject="干部"),
    Example("建设十个巾帼创业示范基地", 10, "个", "count", subject="巾帼创业示范基地"),
    Example("一千二百余万元帮扶资金全部到位", 12000000, "元", "money", approx="余"),
    Example("为三百二十户家庭安装了燃气报警器", 320, "户", "count", subject="家庭"),
]

# SUBJECTS: what the number counts (ANNOTATION.md "subject").
SUBJECTS = [
    Example("地区生产总值67665亿元，增长5.5%", 6766500000000, "元", "money", subject="地区生产总值",
            target="67665亿元"),
    Example("地区生产总值67665亿元，增长5.5%", 5.5, "%", "percent", subject="地区生产总值", target="5.5%"),
    Example("一般公共预算收入186.4亿元，同比增长8.1%", 8.1, "%", "percent", subject="一般公共预算收入",
            target="8.1%"),
    Example("社会消费品零售总额2150亿元，增长6.3%", 6.3, "%", "percent", subject="社会消费品零售总额",
            target="6.3%"),
    Example("城镇、农村居民人均可支配收入分别增长4.4%、5.6%", 4.4, "%", "percent",
            subject="城镇居民人均可支配收入",
            target="4.4%"),
    Example("城镇、农村居民人均可支配收入分别增长4.4%、5.6%", 5.6, "%", "percent",
            subject="农村居民人均可支配收入",
            target="5.6%"),
    Example("新建、改建儿童之家分别为12个、8个", 12, "个", "count", subject="新建儿童之家", target="12个",
            xfail="distributive 分别 over verbs (新建、改建 + one noun) is not modelled"),
    Example("新建、改建儿童之家分别为12个、8个", 8, "个", "count", subject="改建儿童之家", target="8个"),
    Example("全市有农村留守儿童3421名、困境儿童856名", 3421, "名", "count", subject="农村留守儿童",
            target="3421名"),
    Example("全市有农村留守儿童3421名、困境儿童856名", 856, "名", "count", subject="困境儿童",
            target="856名"),
    Example("举办各类培训班32期", 32, "期", "count", subject="培训班"),
    Example("结对帮扶困境儿童265名", 265, "名", "count", subject="困境儿童"),
    Example("建成“妇女微家”56个", 56, "个", "count", subject="妇女微家"),
    Example("新增城镇就业10.2万人，城镇调查失业率5.2%", 102000, "人", "count", subject="城镇就业",
            target="10.2万人"),
    Example("新增城镇就业10.2万人，城镇调查失业率5.2%", 5.2, "%", "percent", subject="城镇调查失业率",
            target="5.2%"),
    Example("为2300余名妇女提供免费技能培训", 2300, "名", "count", approx="余", subject="妇女"),
    Example("开展27次慰问活动", 27, "次", "count", subject="慰问活动"),
    Example("送去4800元慰问金", 4800, "元", "money", subject="慰问金"),
    Example("实施4个妇女儿童服务项目", 4, "个", "count", subject="妇女儿童服务项目"),
    Example("全县留守儿童中，由祖辈照顾的1836名", 1836, "名", "count", subject="祖辈照顾"),
    Example("全年法律援助中心接待咨询460人次", 460, "人次", "count", subject="法律援助中心接待咨询"),
    Example("我县现有妇女执委1420名", 1420, "名", "count", subject="妇女执委"),
    Example("粮食总产量达到98.5亿斤", 9850000000, "斤", "other", subject="粮食总产量"),
    Example("新建农村寄宿制学校宿舍楼3栋，可容纳学生600人", 3, "栋", "count", subject="农村寄宿制学校宿舍楼",
            target="3栋"),
    Example("新建农村寄宿制学校宿舍楼3栋，可容纳学生600人", 600, "人", "count", subject="学生",
            target="600人"),
    Example("开通家庭教育热线2条，接听咨询电话1260个", 1260, "个", "count", subject="咨询电话",
            target="1260个"),
    Example("开展心理健康讲座18场，受益学生2400余人", 2400, "人", "count", approx="余", subject="受益学生",
            target="2400余人"),
    Example("开展心理健康讲座18场，受益学生2400余人", 18, "场", "count", subject="心理健康讲座",
            target="18场"),
]

# NOT_A_FIGURE: numbers that are not figures (ANNOTATION.md "Not a figure").
NOT_A_FIGURE = [
    # dates and years
    Example("2024年，全区新建儿童之家12个", not_figure="2024年"),
    Example("今年9月，区妇联举办了家庭教育宣传周活动", not_figure="9月"),
    Example("2021-01-26召开全区妇联执委会议", not_figure="2021-01-26"),
    Example("二〇二三年十二月，市妇联召开第十五次代表大会", not_figure="二〇二三年十二月"),
    Example("1至9月，全市规上工业增加值增长6.1%", not_figure="1至9月"),
    Example("2023年度，全县共评选表彰最美家庭60户", not_figure="2023年度"),
    Example("3月8日当天，开展普法宣传活动", not_figure="3月8日"),
    Example("自2022年以来，累计建成妇女之家87个", not_figure="2022年"),
    Example("第一季度地区生产总值增长5.2%", not_figure="第一季度"),
    # festival and campaign dates in quotes
    Example("以“三.八”国际妇女节为契机开展走访慰问", not_figure="三.八"),
    Example("在“6.26”国际禁毒日期间开展禁毒宣传", not_figure="6.26"),
    Example("围绕“11.25”国际消除对妇女暴力日开展反家暴宣传", not_figure="11.25"),
    Example("结合“12.4”国家宪法日开展普法宣传", not_figure="12.4"),
    Example("利用“六一”儿童节开展关爱活动", not_figure="六一"),
    # list and ordinal markers
    Example("一是加强组织建设，新建儿童之家12个", not_figure="一是"),
    Example("二、主要做法", not_figure="二、"),
    Example("第五，强化督查考核", not_figure="第五"),
    Example("1.强化思想政治引领", not_figure="1."),
    Example("(3)完善关爱服务体系", not_figure="(3)"),
    Example("（三）深化家庭家教家风建设", not_figure="（三）"),
    Example("其二，抓好阵地建设", not_figure="其二"),
    # numbers inside names
    Example("推广“334”模式帮助妇女创业", not_figure="334"),
    Example("评选出“五好文明家庭”30户", not_figure="五好"),
    Example("全面推行“七有”标准", not_figure="七有"),
    Example("组织巾帼志愿者参加三下乡活动", not_figure="三下乡"),
    Example("开展1+1结对帮扶行动", not_figure="1+1"),
    Example("畅通12338妇女维权热线", not_figure="12338"),
    Example("评选“三八”红旗手15名", not_figure="三八"),
    Example("为1.8万名妇女开展“两癌”免费筛查", not_figure="两癌"),
    # age bands and category labels
    Example("全县0-3岁婴幼儿家庭1520户", not_figure="0-3岁"),
    Example("其中，0-3岁的*名，3-6岁的*名", not_figure="3-6岁"),
    Example("全县60岁以上老年人3200人", not_figure="60岁以上"),
    Example("亿元以上重点项目86个", not_figure="亿元以上"),
    Example("为18周岁以下困境儿童建立档案", not_figure="18周岁以下"),
    # phone numbers, URLs, file names, document numbers
    Example("咨询电话：0471-6908123", not_figure="0471-6908123"),
    Example("联系人手机13800001234", not_figure="13800001234"),
    Example("详见https://www.example.gov.cn/art/2023/5/12/art_1234.html", not_figure="2023/5/12/art_1234"),
    Example("附件：2023年妇女儿童工作统计表.xlsx", not_figure="2023年妇女儿童工作统计表.xlsx"),
    Example("按照包府办发〔2022〕43号文件要求", not_figure="〔2022〕43号"),
    Example("根据国发〔2021〕16号文件精神", not_figure="〔2021〕16号"),
    # periods named by their length
    Example("过去五年，全市新建儿童之家320个", not_figure="过去五年"),
    Example("实施三年行动计划，改造农村户厕1.5万户", not_figure="三年行动"),
    Example("“十四五”以来，累计新增就业12.6万人", not_figure="十四五"),
    Example("第十四届区运会设比赛项目32个", not_figure="第十四届"),
    Example("五年来，全市新建保障性住房2.1万套", not_figure="五年来"),
    # policies and slogans
    Example("稳增长“21条”落地见效，全年减税降费38亿元", not_figure="21条"),
    Example("“两重”建设项目68个", not_figure="两重"),
    Example("“两新”政策带动消费1200亿元", not_figure="两新"),
    Example("做好“六稳”工作、落实“六保”任务", not_figure="六稳"),
    # site furniture
    Example("本文档共5页", not_figure="5页"),
    Example("全文共3011字", not_figure="3011字"),
    Example("当前只显示1673字", not_figure="1673字"),
    Example("省略643字", not_figure="643字"),
    # sentences with no figure at all
    nothing("强化思想政治引领，团结带领广大妇女听党话、跟党走。"),
    # compounds and ordinals written with 二/零 and a measure-word look-alike (added with the rule)
    nothing("对老旧小区实施二次供水改造。"),
    nothing("扎实推进第二轮土地承包到期后再延长三十年试点，稳妥开展二轮延包。"),
    nothing("培育汽车零部件产业集群。"),
    nothing("认真贯彻县委十五届四次、五次全会精神。"),
    nothing("整治违规电动三轮车和低速四轮车。"),
    nothing("一是加强组织领导；二是完善工作机制；三是强化督查考核。"),
    nothing("深入学习贯彻党的二十大精神。"),
    nothing("认真贯彻落实党的二十届三中全会精神。"),
    nothing("2023年3月8日，市妇联召开纪念“三八”国际妇女节大会。"),
    nothing("“六一”前夕，区妇联走访慰问了部分留守儿童。"),
    nothing("XX县妇女联合会2023年工作总结"),
    nothing("*区妇联2024年*月*日"),
    nothing("二〇二四年一月十五日"),
    nothing("附件：1.2023年妇女儿童工作统计表"),
    nothing("（二）聚焦主责主业，服务大局有作为"),
    nothing("“十四五”时期是全面建设社会主义现代化国家的开局起步期。"),
    nothing("第十四届全国人民代表大会第二次会议"),
    nothing("过去五年极不寻常、极不平凡。"),
    nothing("实施妇女儿童发展规划三年行动。"),
    nothing("扎实开展“三下乡”活动。"),
    nothing("构建“1+1”结对帮扶机制。"),
    nothing("落实稳增长“21条”等政策措施。"),
    nothing("抓好“两重”“两新”政策落实。"),
    nothing("打造“334”工作模式。"),
    nothing("开通12338妇女维权热线。"),
    nothing("本文档共5页"),
    nothing("全文共3011字"),
    nothing("当前只显示1673字"),
    nothing("省略643字"),
    nothing("咨询电话：0471-6908123"),
    nothing("包府办发〔2022〕43号"),
    nothing("详见http://www.example.gov.cn/info/1023/4567.htm"),
    nothing("推动“一老一小”服务体系建设。"),
    nothing("落实“三孩”生育政策及配套支持措施。"),
    nothing("树牢“四个意识”，坚定“四个自信”，做到“两个维护”。"),
    nothing("深入学习运用“千万工程”经验。"),
    nothing("主动服务和融入“一带一路”建设。"),
    nothing("加快5G网络和千兆光网建设。"),
    nothing("按照“一户一档、一人一策”建立帮扶台账。"),
    nothing("推行“一站式”服务和“最多跑一次”改革。"),
    nothing("以“五好文明家庭”创建为抓手推进家风建设。"),
    nothing("截至2023年底"),
    nothing("2023年12月31日"),
    nothing("“十三五”规划圆满收官。"),
    nothing("党的十八大以来，妇女事业取得历史性成就。"),
    Example("截至2023.12.31，全区共有巾帼志愿者2300名", not_figure="2023.12.31"),
    Example("2024年1—6月，全市地区生产总值增长5.3%", not_figure="1—6月"),
    Example("在第二批示范社区中新建儿童之家7个", not_figure="第二批"),
]

# TRIPS_EXISTING_TOOLS: sentences that break other tools.
# cn2an.transform rewrites 一起->1起, 统一->统1, 六一->61, 十分->10分, 一是->1是; Recognizers-Text
# drops 余/多; JioNLP-style money parsing trips on ranges, foreign currency and folded multipliers.
TRIPS_EXISTING_TOOLS = [
    Example("区妇联联合团区委一起走访慰问困境儿童36名", 36, "名", "count", subject="困境儿童"),
    Example("区妇联联合团区委一起走访慰问困境儿童36名", not_figure="一起"),
    Example("统一制作宣传展板20块", 20, "块", "count", subject="宣传展板"),
    Example("统一制作宣传展板20块", not_figure="统一"),
    Example("“六一”期间为留守儿童送去书包300个", 300, "个", "count", subject="书包"),
    Example("“六一”期间为留守儿童送去书包300个", not_figure="六一"),
    Example("一是阵地建设有新突破，新建儿童之家12个", 12, "个", "count", subject="儿童之家"),
    Example("二是服务能力有新提升，培训儿童主任96名", 96, "名", "count", subject="儿童主任"),
    Example("二是服务能力有新提升，培训儿童主任96名", not_figure="二是"),
    Example("工作十分扎实，全年办结信访件58件", 58, "件", "count", subject="信访件"),
    Example("工作十分扎实，全年办结信访件58件", not_figure="十分"),
    nothing("妇联干部和志愿者一起为孩子们包饺子。"),
    nothing("全区上下统一思想，千方百计推动工作落实。"),
    nothing("各项工作十分扎实，成效十分明显。"),
    nothing("把党的声音传递到千家万户。"),
    nothing("万众一心、众志成城，坚决打赢防汛救灾硬仗。"),
    nothing("坚持“两手抓、两手都要硬”。"),
    nothing("严格落实“第一议题”制度。"),
    Example("帮助3000余名妇女实现居家灵活就业", 3000, "名", "count", approx="余", subject="妇女"),
    Example("参训人员二百余人", 200, "人", "count", approx="余", subject="参训人员"),
    Example("筹资70多万元修缮村级儿童之家", 700000, "元", "money", approx="多"),
    Example("千余名群众参加了广场舞展演", 1000, "名", "count", approx="余", subject="群众"),
    Example("线上直播课观看万余人次", 10000, "人次", "count", approx="余"),
    Example("开展巾帼宣讲一百多场", 100, "场", "count", approx="多", subject="巾帼宣讲"),
    Example("一万二千余元善款全部用于救助", 12000, "元", "money", approx="余"),
    Example("为每户提供3至5万元无息借款", 30000, "元", "money", high=50000, subject="无息借款"),
    Example("每个项目补助5千至8千元", 5000, "元", "money", high=8000),
    Example("每户补贴3万-5万元", 30000, "元", "money", high=50000),
    Example("全年吸收外资1383亿美元", 138300000000, "美元", "money", subject="外资"),
    Example("共花费10.95万元", 109500, "元", "money"),
    Example("全国一般公共预算收入67665亿元", 6766500000000, "元", "money", subject="一般公共预算收入"),
    Example("全市生产总值4.7万亿元", 4700000000000, "元", "money", subject="生产总值"),
    Example("项目总投资3万4000元", 34000, "元", "money", subject="项目总投资"),
    Example("募集善款两千余元", 2000, "元", "money", approx="余", subject="善款"),
    Example("规模以上工业增加值增长6.7%", 6.7, "%", "percent", approx=None, subject="规模以上工业增加值"),
    Example("亿元以上重点项目86个", 86, "个", "count", approx=None, subject="亿元以上重点项目"),
    Example("全县60岁以上老年人3200人", 3200, "人", "count", approx=None, subject="60岁以上老年人"),
    Example("全县0-3岁婴幼儿家庭1520户", 1520, "户", "count", subject="0-3岁婴幼儿家庭"),
    Example("近三年来，全县累计培训妇女2300人次", 2300, "人次", "count", approx=None, subject="妇女"),
    Example("近三年来，全县累计培训妇女2300人次", not_figure="近三年"),
    Example("1至9月，全市规上工业增加值增长6.1%", 6.1, "%", "percent", subject="规上工业增加值"),
    Example("第一季度地区生产总值增长5.2%", 5.2, "%", "percent", subject="地区生产总值"),
    Example("2024年，全区新建儿童之家12个", 12, "个", "count", subject="儿童之家"),
    Example("为1.8万名妇女开展“两癌”免费筛查", 18000, "名", "count", subject="妇女"),
    Example("评选出“五好文明家庭”30户", 30, "户", "count", subject="五好文明家庭"),
    Example("评选“三八”红旗手15名", 15, "名", "count", subject="三八红旗手"),
    Example("畅通12338妇女维权热线，接听来电1260个", 1260, "个", "count", subject="来电"),
    Example("畅通12338妇女维权热线，接听来电1260个", not_figure="12338"),
    Example("依托“334”模式，帮助46名妇女成功创业", 46, "名", "count", subject="妇女"),
    Example("依托“334”模式，帮助46名妇女成功创业", not_figure="334"),
    Example("“十四五”以来，累计新增就业12.6万人", 126000, "人", "count", approx=None, subject="就业"),
    Example("过去五年，全市新建儿童之家320个", 320, "个", "count", subject="儿童之家"),
    Example("实施三年行动计划，改造农村户厕1.5万户", 15000, "户", "count", subject="农村户厕"),
    Example("稳增长“21条”落地见效，全年减税降费38亿元", 3800000000, "元", "money", subject="减税降费"),
    Example("按照包府办发〔2022〕43号文件要求，全市新建示范点24个", 24, "个", "count", subject="示范点"),
    Example("按照包府办发〔2022〕43号文件要求，全市新建示范点24个", not_figure="〔2022〕43号"),
    Example("咨询电话0471-6908123，全年接听咨询320余个", 320, "个", "count", approx="余"),
    Example("咨询电话0471-6908123，全年接听咨询320余个", not_figure="0471-6908123"),
    Example("一次性发放创业补贴2000元", not_figure="一次性"),
    Example("第十四届区运会设比赛项目32个", 32, "个", "count", subject="比赛项目"),
    Example("开展“三下乡”活动18场", 18, "场", "count", subject="三下乡活动"),
    Example("开展“三下乡”活动18场", not_figure="三下乡"),
    Example("“七有”标准达标率达到92%", 92, "%", "percent", subject="“七有”标准达标率"),
    Example("“七有”标准达标率达到92%", not_figure="七有"),
    Example("“1+1”结对帮扶困境儿童108名", 108, "名", "count", subject="困境儿童"),
    Example("“1+1”结对帮扶困境儿童108名", not_figure="1+1"),
    Example("“两新”政策带动消费1200亿元", 120000000000, "元", "money", subject="消费"),
    Example("“两重”建设项目68个", 68, "个", "count", subject="“两重”建设项目"),
    Example("本文档共5页。全区已建成妇女之家46个", 46, "个", "count", subject="妇女之家"),
    Example("本文档共5页。全区已建成妇女之家46个", not_figure="本文档共5页"),
]

# UNITS_AND_SPACING (issue 18, part 5): numbers and units as web pages and PDF extractors write them.
UNITS_AND_SPACING = [
    # a space as the thousands separator, and a space between a number and its unit or inside a unit
    Example("全年服务困难群众1 300余人", 1300, "人", "count", approx="余", subject="困难群众"),
    Example("全年服务困难群众12 450人次", 12450, "人次", "count", subject="困难群众"),
    Example("累计救助困难群众52318人 次", 52318, "人次", "count"),
    Example("新建农村幸福院床位260 张", 260, "张", "count", subject="床位"),
    Example("受理群众来信来访85件 次", 85, "件次", "count"),
    Example("城镇登记失业率下降0.2个 百分点", 0.2, "个百分点", "percent"),
    Example("2019 300名志愿者参加", 300, "名", "count", target="300名"),
    # compound measure words
    Example("接待来电、来访、来信90多件次", 90, "件次", "count", approx="多", subject="来信"),
    Example("走访慰问困难家庭420户次", 420, "户次", "count", subject="困难家庭"),
    Example("开展宣讲活动36场次", 36, "场次", "count", subject="宣讲活动"),
    # 万/亿 without 元 where the thing measured is money
    Example("为困境儿童发放救助资金35万", 350000, "元", "money", subject="救助资金"),
    Example("全年支出特困供养金2186万，月人均补助600元", 21860000, "元", "money", subject="特困供养金",
            target="2186万"),
    Example("全年共筹资120万", 1200000, "元", "money"),
    Example("全县户籍人口减少1.2万", 12000, None, "count", subject="户籍人口"),
    # a 万/亿 count glued to the noun it counts
    Example("为全省26万农村妇女免费开展健康检查", 260000, None, "count", target="26万"),
    Example("十万火急的防汛任务", not_figure="十万"),
    Example("打造一批超百亿、超千亿产业链", not_figure="超千亿"),
    Example("推动出台服务业扩大开放3.0方案", not_figure="3.0"),
    Example("新增天然气产量10亿方以上", 1000000000, "方", "other", approx="以上"),
    Example("中欧班列累计开行1.3万列", 13000, "列", "count", subject="中欧班列"),
    Example("新增白酒产能5万千升", 50000, "千升", "other", subject="白酒产能"),
    # ‰, concentrations, rates per 100,000, ㎡, life expectancy in 岁
    Example("人口自然增长率为2.6‰", 2.6, "‰", "percent", subject="人口自然增长率"),
    Example("婴儿死亡率下降到3.1‰", 3.1, "‰", "percent", subject="婴儿死亡率"),
    Example("孕产妇死亡率控制在12.5/10万以下", 12.5, "/10万", "other", approx="以下", subject="孕产妇死亡率"),
    Example("细颗粒物年均浓度降至31微克/立方米", 31, "微克/立方米", "other", subject="细颗粒物年均浓度"),
    Example("新建妇女儿童活动室面积150㎡", 150, "㎡", "other", subject="妇女儿童活动室面积"),
    Example("人均预期寿命达到79.2岁", 79.2, "岁", "other", subject="人均预期寿命"),
    Example("人均预期寿命从2020年的77.5岁提高到78.6岁", 78.6, "岁", "other", subject="人均预期寿命",
            target="78.6岁"),
    Example("为65岁老人建立健康档案", not_figure="65岁"),
    Example("为100名60周岁以上老人免费体检", not_figure="60周岁"),
    # areas counted with Arabic digits and no measure word; names and placeholders are no counts
    Example("全县15镇妇联主席参加培训", 15, "镇", "count", subject="镇妇联主席"),
    Example("项目覆盖23村", 23, "村", "count"),
    Example("三村社区开展家风宣讲", not_figure="三村"),
    Example("XX乡妇联召开执委会", not_figure="XX乡"),
    Example("培育一批城区人口超50万县", not_figure="50万县"),
    # redacted placeholders with a decimal part or a range
    Example("发放一次性生活补贴X.X元", None, "元", "money", redacted=True, subject="一次性生活补贴"),
    Example("支出社会救助资金3286.X万元", None, "元", "money", redacted=True, subject="社会救助资金"),
    Example("发放物价补贴X.50万元", None, "元", "money", redacted=True, subject="物价补贴"),
    Example("建成低收入人口数据库X.X万人", None, "人", "count", redacted=True),
    Example("救助标准为低保标准的X-X倍", None, "倍", "other", redacted=True),
    # a congress numbered by its session is no count
    Example("认真学习市三次妇代会精神", not_figure="三次"),
    Example("传达县第十二次党员代表大会精神", not_figure="十二次"),
]

# SUBJECT_RULES (issue 18, part 6): the counted thing, not the verb, the time or the giver.
SUBJECT_RULES = [
    # a list closed by 等; an empty clause between two figures of one list
    Example("全年开展法治讲座、亲子阅读等26场次", 26, "场次", "count", subject="法治讲座、亲子阅读"),
    Example("受理来电、来访120多件次，，180多人次", 180, "人次", "count", approx="多", subject="来访",
            target="180多人次"),
    # the givers are not what the money counts; a long subject is its head after 的
    Example("发动社会各界爱心人士捐款8万元", 80000, "元", "money", subject="捐款"),
    Example("在市级以上媒体刊发采用的各类宣传稿件达230篇", 230, "篇", "count", subject="宣传稿件"),
    # shares: X占Y的N%, X为Y的N倍 -> X
    Example("其中女村委委员占村委委员总数的28.6%", 28.6, "%", "percent", subject="女村委委员"),
    Example("救助标准为低保标准的1.5倍", 1.5, "倍", "other", subject="救助标准"),
    # the people an activity was for; the people who took part, not the event
    Example("对农村致富女能手开展培训15次", 15, "次", "count", subject="农村致富女能手"),
    Example("选派乡镇妇联主席参加省妇女干部学校培训8人", 8, "人", "count", subject="乡镇妇联主席"),
    Example("支持参加城乡居民医疗保险3200人", 3200, "人", "count", subject="参加城乡居民医疗保险"),
    # OCR quotes 〞
    Example("其中全国“巾帼文明岗〞2家", 2, "家", "count", subject="全国巾帼文明岗"),
    Example("评选出市级“三八〞红旗手6人", 6, "人", "count", subject="市级三八红旗手"),
    # verbs are not subjects: the object after them is
    Example("爱心企业供应了3万元帮扶困难妇女发展养殖", 30000, "元", "money", subject="帮扶困难妇女"),
    Example("每人获得5000元救助金", 5000, "元", "money", subject="救助金"),
    Example("为全县1200名困难群众送去了86万元慰问金和物资", 860000, "元", "money", subject="慰问金"),
    # a figure opening its clause counts who did what follows
    Example("提供就业岗位1500个，600余人达成就业意向", 600, "人", "count", approx="余", subject="达成就业意向",
            target="600余人"),
    Example("全县30名贫困母亲获得救助，其中25人获省妇联“两癌”救助", 25, "人", "count",
            subject="省妇联两癌救助", target="25人"),
    # a quoted part inside the noun after a measure word; a verb before a quote ends the noun
    Example("全县36名农村“两癌”患病妇女获得救助", 36, "名", "count", subject="两癌患病妇女"),
    Example("要在30个县实施“巾帼暖心”行动", 30, "个", "count", subject="县"),
    Example("培育推选6家单位成功创建省级示范基地", 6, "家", "count", subject="单位"),
    Example("授予市妇幼保健院等12个单位“巾帼文明岗”称号", 12, "个", "count", subject="巾帼文明岗"),
    Example("为86名入选“春蕾计划”的困境女童发放助学金", 86, "名", "count", subject="困境女童"),
    Example("为200名60周岁以上困难老年妇女免费体检", 200, "名", "count", subject="困难老年妇女"),
    Example("全年先后5次遭受干旱、冰雹灾害", 5, "次", "count", subject="干旱、冰雹灾害"),
    Example("全省129个县(市、区)全部达标", 129, "个", "count", subject="县(市、区)"),
    Example("在85个国家4A级以上旅游景区开展宣传", 85, "个", "count", subject="国家4A级以上旅游景区"),
    Example("6部作品荣获全国精神文明建设奖", 6, "部", "count", subject="作品"),
    Example("更好发挥中央和地方两个积极性", 2, "个", "count", subject="积极性"),
    Example("新打造特色街区5条、五星级酒店5家", 5, "家", "count", subject="五星级酒店", target="5家"),
    Example("立项培育10所省级“双高建设计划”院校", 10, "所", "count", subject="省级双高建设计划院校"),
    Example("建成两个儿童公园、三个妇女活动中心", 2, "个", "count", subject="儿童公园", target="两个"),
    # a money total takes the money named before; an amount for a purpose takes the purpose
    Example("为30名贫困母亲每人发放2000元的救助金，共计6万元", 60000, "元", "money", subject="救助金",
            target="6万元"),
    Example("每年拿出3000万元，对全市困难妇女实施“两癌”免费检查", 30000000, "元", "money",
            subject="两癌免费检查"),
    Example("拿出200万元用于儿童之家建设", 2000000, "元", "money", subject="儿童之家建设"),
    # time phrases are not subjects; a number glued to the next counts the same thing
    Example("春节期间为1200户2600人发放一次性生活补贴150万元", 1200, "户", "count", subject="一次性生活补贴",
            target="1200户"),
    Example("从8月份开始，为85户160人发放特困家庭救助金6.3万元", 160, "人", "count", subject="特困家庭救助金",
            target="160人"),
    Example("全市8600户15200人享受城乡低保", 8600, "户", "count", subject="城乡低保", target="8600户"),
    Example("20xx年城乡医疗救助共救助3.2万人", 32000, "人", "count", subject="城乡医疗救助"),
    # NOUN + 累计/共 + verb: the noun; the verb alone stays
    Example("城市低保累计保障9800人次", 9800, "人次", "count", subject="城市低保"),
    Example("累计保障21000人次", 21000, "人次", "count", subject="累计保障"),
    Example("临时救助标准为低保标准的2至3倍，最高可救助20000元", 20000, "元", "money", subject="救助",
            target="20000元"),
    Example("目前已累计播放120余场", 120, "场", "count", approx="余", subject="播放"),
    Example("县域医共体达到140个", 140, "个", "count", subject="县域医共体"),
    # a list closed by 等 before the number: the head after it; verbs that introduce the thing
    Example("开展防溺水、防性侵、交通安全等主题教育活动12场", 12, "场", "count", subject="教育活动"),
    Example("举办家政、电商、手工编织等技能培训班18期", 18, "期", "count", subject="培训班"),
    Example("新设高等院校3所", 3, "所", "count", subject="新设高等院校"),
    Example("举办临时监护人培训班24期", 24, "期", "count", subject="培训班"),
    Example("全市各儿童之家配备图书8600册", 8600, "册", "count", subject="图书"),
    Example("邀请医疗专家下乡义诊26次", 26, "次", "count", subject="义诊"),
    Example("全年城镇新增就业6128人", 6128, "人", "count", subject="城镇新增就业"),
    Example("耕地面积连续4年净增", not_figure="4年"),
    Example("耕地面积连续4年净增超过170万亩", 1700000, "亩", "other", approx="超过", subject="耕地面积"),
    Example("群众满意率连续5年保持97%以上", 97, "%", "percent", approx="以上", subject="群众满意率"),
    Example("非公经济增加值占地区生产总值的比重达到70%", 70, "%", "percent", subject="非公经济增加值"),
    Example("社会物流总费用占地区生产总值的比重下降至14.2%", 14.2, "%", "percent", subject="社会物流总费用"),
    Example("支持民间投资项目的资金占比不低于40%", 40, "%", "percent", subject="民间投资项目的资金占比"),
    Example("安排专项债券2.15万亿元，比去年增加8000亿元，为重点项目建设提供资金支持", 800000000000, "元",
            "money", subject="专项债券", target="8000亿元"),
    Example("现行16%的税率降至13%", 16, "%", "percent", subject="税率", target="16%"),
    Example("96户、183人实现全部脱贫", 183, "人", "count", subject="实现全部脱贫", target="183人"),
    # category labels before the number; a cause before 造成
    Example("残疾人护理补贴标准一、二级每人每月100元，三、四级每人每月60元", 100, "元", "money",
            subject="残疾人护理补贴标准", target="100元"),
    Example("残疾人护理补贴标准一、二级每人每月100元，三、四级每人每月60元", 60, "元", "money",
            subject="残疾人护理补贴标准", target="60元"),
    Example("全市遭受低温冰冻灾害，造成1.2万户2.6万人", 12000, "户", "count", subject="低温冰冻灾害",
            target="1.2万户"),
]

GROUPS: dict[str, list[Example]] = {
    "CORE": CORE,
    "MULTIPLIERS": MULTIPLIERS,
    "MONEY": MONEY,
    "APPROX": APPROX,
    "RANGES": RANGES,
    "REDACTED": REDACTED,
    "CHINESE_NUMERALS": CHINESE_NUMERALS,
    "SUBJECTS": SUBJECTS,
    "NOT_A_FIGURE": NOT_A_FIGURE,
    "TRIPS_EXISTING_TOOLS": TRIPS_EXISTING_TOOLS,
    "UNITS_AND_SPACING": UNITS_AND_SPACING,
    "SUBJECT_RULES": SUBJECT_RULES,
}
ALL_EXAMPLES: list[Example] = [ex for rows in GROUPS.values() for ex in rows]


def _ids(rows: list[Example]) -> list[str]:
    """The raw text; when a text has several rows, the marked substring tells them apart."""
    seen = Counter(ex.text for ex in rows)
    out = []
    for ex in rows:
        if seen[ex.text] == 1:
            out.append(ex.text)
        elif ex.not_figure is not None and ex.not_figure != ex.text:
            out.append(f"{ex.text} [not {ex.not_figure}]")
        else:
            out.append(f"{ex.text} [{ex.target or ex.value}]")
    return out


def _params(rows: list[Example]) -> list[Any]:
    ids = _ids(rows)
    params = []
    for ex, id_ in zip(rows, ids):
        marks = [pytest.mark.xfail(strict=True, reason=ex.xfail)] if ex.xfail else []
        params.append(pytest.param(ex, id=id_, marks=marks))
    return params


def _span(text: str, sub: str) -> tuple[int, int]:
    i = text.index(sub)
    return i, i + len(sub)


def _mismatches(ex: Example, f: Any) -> list[str]:
    """The fields on which figure ``f`` disagrees with row ``ex`` (empty: f is the row's figure)."""
    bad = []
    if ex.redacted != bool(f.redacted):
        bad.append(f"redacted={f.redacted!r}")
    if not ex.redacted and not same_value(ex.value, f.value):
        bad.append(f"value={f.value!r}")
    if ex.kind != f.kind:
        bad.append(f"kind={f.kind!r}")
    if ex.unit != f.unit:
        bad.append(f"unit={f.unit!r}")
    if approx_class(ex.approx) != approx_class(f.approx):
        bad.append(f"approx={f.approx!r}")
    if not same_value(ex.high, f.high):
        bad.append(f"high={f.high!r}")
    if ex.subject is not None and not subject_match(ex.subject, f.subject):
        bad.append(f"subject={f.subject!r}")
    return bad


def _show(f: Any) -> str:
    return (f"[{f.start},{f.end}) {f.text!r} value={f.value!r} high={f.high!r} kind={f.kind} unit={f.unit!r} "
            f"approx={f.approx!r} subject={f.subject!r} redacted={f.redacted}")


@pytest.mark.parametrize("ex", _params(ALL_EXAMPLES))
def test_figure(ex: Example) -> None:
    from extractors.rules import extract_text  # lazy: collection works before the extractor exists

    figures = extract_text(ex.text)
    listing = "\n  ".join(_show(f) for f in figures) or "(no figures)"
    if not ex.positive:
        assert ex.not_figure is not None
        if ex.not_figure == ex.text:
            assert figures == [], f"no figure expected in {ex.text!r}, got:\n  {listing}"
            return
        s, e = _span(ex.text, ex.not_figure)
        hits = [f for f in figures if f.start < e and s < f.end]
        assert not hits, f"{ex.not_figure!r} is not a figure, got:\n  " + "\n  ".join(_show(f) for f in hits)
        return
    candidates = figures
    if ex.target is not None:
        s, e = _span(ex.text, ex.target)
        candidates = [f for f in figures if f.start < e and s < f.end]
    report = [f"{_show(f)}\n    differs: {', '.join(_mismatches(ex, f))}" for f in candidates]
    assert any(not _mismatches(ex, f) for f in candidates), (
        f"expected value={ex.value} high={ex.high} {ex.kind} unit={ex.unit!r} approx={ex.approx!r} "
        f"subject={ex.subject!r} redacted={ex.redacted}"
        + (f" at {ex.target!r}" if ex.target else "")
        + "\ncandidates:\n  " + ("\n  ".join(report) or "(none)")
        + "\nall figures:\n  " + listing
    )


def test_table_is_well_formed() -> None:
    """The table itself: enough rows, markers that occur once, fields the spec allows."""
    assert len(ALL_EXAMPLES) >= 300, len(ALL_EXAMPLES)
    ids = _ids(ALL_EXAMPLES)
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, dupes
    problems = []
    for ex in ALL_EXAMPLES:
        for sub in (ex.target, ex.not_figure):
            if sub is not None and ex.text.count(sub) != 1:
                problems.append(f"{ex.text}: {sub!r} occurs {ex.text.count(sub)} times")
        if ex.positive:
            if ex.kind not in KINDS:
                problems.append(f"{ex.text}: kind {ex.kind!r}")
            if ex.redacted != (ex.value is None):
                problems.append(f"{ex.text}: redacted={ex.redacted} but value={ex.value!r}")
            if approx_class(ex.approx) == "other":
                problems.append(f"{ex.text}: approx {ex.approx!r} has no direction in score.py")
            if ex.high is not None and (ex.value is None or ex.high <= ex.value):
                problems.append(f"{ex.text}: high {ex.high} not above value {ex.value}")
            if ex.kind == "money" and ex.unit != "元" and not ex.unit.endswith("元"):
                problems.append(f"{ex.text}: money unit {ex.unit!r}")
        elif ex.value is not None or ex.kind is not None:
            problems.append(f"{ex.text}: a not_figure row carries figure fields")
    assert not problems, "\n".join(problems)
