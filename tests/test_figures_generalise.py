"""Figure-level fields on reports nobody has seen (issues 18 and 19), through the real ``extract`` path.

The documents are this project's own short texts (the places and figures are invented) in the shapes that
recur in 妇联 summaries and news, 民政 pages, 政府工作报告, 统计公报 and 两纲 监测报告: review paragraphs
that open with 深化/强化/聚焦/坚持, targets (力争, 确保, 计划, 下达…任务, 到2025年, 主要预期目标),
comparisons with 上年/去年/同比, 由2015年的X增加到2020年的Y, five-year reviews ("十三五"时期, 过去五年),
分别 lists, 其中 breakdowns, 人次/户次/件次, 万 without 元 in a money context, ‰, /10万, 岁, 个百分点,
numbers split by a space or a line break, subjects that are the counted thing (not the verb), and
subjects that do not run on into the next clause.

Each row is one figure with its value, kind, unit, subject, status and period as ANNOTATION.md defines
them; the subject is compared by the scorer's rule (``tests/scoring.py``: the predicted subject contains the
phrase and is at most 6 characters longer, or is a part of it of 2 characters or more).
"""

from __future__ import annotations

import re

import pytest

from pipeline.process import extract_path
from tests.scoring import same_value, subject_match

# a district 妇联's 2022 summary: topic paragraphs that open with imperatives, 其中, 人次/户次/件次, 万 without
# 元, a number with a thin space, a change from 上年, and a 2023 plan with 力争/确保/计划
SUMMARY = """城关区妇联2022年工作总结
2022年，区妇联在区委和市妇联的领导下，团结带领全区妇女群众建功新时代，现将一年来的工作总结如下。
一、主要工作及成效
（一）深化思想政治引领。组织“巾帼心向党”宣讲活动86场，覆盖妇女群众1.2万人次。
（二）强化家庭家教家风建设。评选区级最美家庭120户，其中五好家庭35户。新建家长学校14所，开展家庭教育讲座56场次。
（三）聚焦妇女儿童权益维护。全年受理妇女来信来访213件次，调解婚姻家庭纠纷47起，比上年减少9起。为困难妇女发放救助资金18.6万，慰问困难妇女132户次。
（四）坚持服务发展大局。开展巾帼家政培训12期，培训妇女1 360人，其中实现就业820人。全区共有巾帼志愿者3450名，较上年增加410名。走访慰问留守儿童260名，为180名困境儿童送去学习用品。
全区适龄妇女“两癌”检查覆盖率达96.5%，同比提高2.3个百分点。
二、存在的问题
基层妇联组织活力有待提升，服务阵地建设还不平衡。
三、2023年工作打算
力争新建儿童之家20个；确保“两癌”检查完成8000人；计划举办家庭教育讲座60场。
"""

# a county's 2021 report: the 十三五 review (由2015年的…增加到2020年的…, 年均, 累计, 提高到), 过去五年, the
# reviewed year, a second 分别 list, and the 2021 targets (主要预期目标, 力争, 确保, 到2025年)
GOV = """2021年平川县人民政府工作报告
——2021年1月20日在平川县第十八届人民代表大会第五次会议上
各位代表：
一、“十三五”时期和2020年工作回顾
“十三五”时期，全县地区生产总值由2015年的126.3亿元增加到2020年的185.6亿元，年均增长6.8%。累计新增城镇就业2.1万人。常住人口城镇化率提高到52.4%。
过去五年，我们新建农村公路860公里，改造农村危房3200户。
2020年，全县一般公共预算收入完成11.2亿元，同比增长3.1%。城乡居民人均可支配收入分别达到36820元和17450元，分别增长5.2%和7.6%。
二、2021年工作安排
今年全县经济社会发展的主要预期目标是：地区生产总值增长7%左右，一般公共预算收入增长5%，城镇新增就业4000人以上。
力争全年完成固定资产投资120亿元。确保粮食播种面积稳定在52万亩以上。到2025年，全县常住人口城镇化率达到58%。
"""

# a county's 2023 report scraped without its headings: "过去一年" opens the review, whose paragraphs open
# with imperatives of past work; "今年…主要预期目标" opens the plan
GOV_UNHEADED = """2023年青石县人民政府工作报告
——2023年1月12日在青石县第十九届人民代表大会第二次会议上
各位代表：
过去一年，面对复杂严峻的形势，我们坚持稳中求进工作总基调，全县经济社会发展保持良好态势。
深化国资国企改革，完成12家县属企业整合重组，盘活闲置资产3.6亿元。
强化招商引资，引进亿元以上项目28个，到位资金85.2亿元。
聚焦民生改善，新建公办幼儿园6所，新增学位1800个。
坚持生态优先，完成营造林2.3万亩。
今年政府工作的主要预期目标是：地区生产总值增长6.5%左右，城镇新增就业3500人。
深化农业农村改革，新建高标准农田5万亩，力争粮食产量稳定在28万吨以上。
"""

# a 民政 page: 万 without 元, 其中, 户次, 同比, 去年, and a quota handed down (下达…任务) and a 计划
CIVIL = """平川县民政局2023年上半年社会救助工作综述
今年以来，县民政局聚焦困难群众基本生活保障，全县累计发放城乡低保金2860万，保障困难群众1.26万人次。其中，城市低保对象1320户，农村低保对象4860户。实施临时救助415户次，发放临时救助金83.5万元，同比增长12%。
去年全县共发放特困人员供养金560万元。
年初，市民政局下达我县困难群众帮扶任务1500户。县民政局计划年内新建农村互助幸福院12所。
"""

# a city's 统计公报 of 2022: ‰ (a negative one), /10万, 岁, 比上年末, 占比, a 分别 list after two figures
BULLETIN = """临江市2022年国民经济和社会发展统计公报
临江市统计局
年末全市常住人口312.6万人，比上年末减少0.8万人。全年出生人口2.31万人，出生率为7.39‰；死亡人口2.46万人，死亡率为7.87‰；人口自然增长率为-0.48‰。
全市婴儿死亡率为2.8‰，孕产妇死亡率为8.9/10万。居民人均预期寿命达到79.2岁，比上年提高0.3岁。
全年全市居民人均可支配收入38640元，比上年增长5.1%。按常住地分，城镇居民人均可支配收入48260元，增长4.2%；农村居民人均可支配收入22370元，增长6.3%。
全年一般公共预算支出412.5亿元，其中民生支出328.4亿元，占比79.6%。
全年接待国内外游客2860万人次，实现旅游总收入326.8亿元，分别比上年增长18.2%和21.5%。
男性和女性人均预期寿命分别为76.6岁和82.1岁。
"""

# a county's 2020 两纲 监测报告 (the end of the 2011-2020 cycle): 由2010年的…下降到2020年的…, a comparison
# with the 纲要's target, a breakdown of a list (孤儿和弃婴), a sex ratio with no unit
MONITOR = """2020年平川县妇女儿童发展纲要实施情况统计监测报告
2020年是《平川县妇女发展纲要（2011—2020年）》和《平川县儿童发展纲要（2011—2020年）》的收官之年。
全县婴儿死亡率由2010年的8.6‰下降到2020年的3.1‰，5岁以下儿童死亡率为4.2‰，均优于纲要目标。
参加生育保险的女职工达到5.6万人，比2015年增加2.1万人。高中阶段毛入学率为92.3%，比纲要目标高出2.3个百分点。
全县共有妇女儿童活动中心12个，儿童福利机构3所，收养孤儿和弃婴156名。出生人口性别比为106.8。
"""

# a county 妇联's account of its 2023 work: imperatives of past work, 较去年同期, 折合人民币, 明年
NEWS = """凤鸣县妇联2023年巾帼建功工作纪实
深化巾帼建功行动。今年以来，县妇联联合县人社局举办电商直播培训班8期，培训农村妇女420人次，带动260名妇女实现居家灵活就业。
强化关爱帮扶。走访慰问困难妇女儿童350户，发放慰问金及物资折合人民币21.6万元。
聚焦家庭建设。开展“好家风”巡讲活动42场，受益群众5000余人，较去年同期增长15%。
坚持典型引领。评选表彰“巾帼致富能手”30名。
下一步，县妇联将继续深化巾帼建功行动，计划明年再培训农村妇女500人次。
"""

# a 2021 summary copied from a PDF: lines wrapped inside sentences before the number, a multiplier spaced off
WRAPPED = """桃源镇妇联2021年工作总结
一、工作开展情况
今年以来，全镇共培训农村妇女
1360人次，发放创业担保贷款
520万元，扶持妇女创业项目
46个。全镇现有妇女之家18个，
其中示范妇女之家6个。全年累计发放救助金 56.8 万元，走访慰问
留守儿童120
名。
"""

# a county 民政局's 2022 summary: 由…提高到, 不低于…的1.3倍, 每千名老年人, an age after the people counted,
# a list of counts, and the 2023 plan (力争, 确保…分别不低于)
CIVIL2 = """石门县民政局2022年工作总结
一、2022年工作开展情况
（一）兜牢民生底线。城市低保标准由每人每月680元提高到720元，农村低保标准提高到每人每年5400元。全年累计保障城乡低保对象3.2万人次，发放低保资金4126.5万元，其中农村低保资金2980.3万元。特困人员基本生活标准不低于当地低保标准的1.3倍。
（二）完善养老服务。新建社区居家养老服务中心14个，每千名老年人拥有养老床位35张。为全县1.8万名80岁以上老年人发放高龄津贴642万元。
（三）加强儿童关爱。全县共有农村留守儿童2146名、困境儿童587名，配备儿童督导员18名、儿童主任236名，实现村（社区）全覆盖。
二、2023年工作思路
力争新增养老床位300张，确保城乡低保标准分别不低于每人每月750元和每人每年5700元。
"""

# a city's 2021 report: 五年来, 突破, 累计, 由2015年的…增加到2020年的…, the 十四五 goals (今后五年 年均, 到2025年)
# and the 2021 targets
GOV3 = """2021年龙泉市人民政府工作报告
一、“十三五”时期工作回顾
五年来，全市地区生产总值年均增长7.2%，一般公共预算收入突破30亿元，累计完成固定资产投资1560亿元。城镇居民人均可支配收入由2015年的28650元增加到2020年的40120元，农村居民人均可支配收入达到21360元。
二、“十四五”时期主要目标
今后五年，全市地区生产总值年均增长6.5%左右，到2025年，研发经费投入强度达到2.5%，常住人口城镇化率达到65%。
三、2021年主要工作
今年全市主要预期目标是：地区生产总值增长8%以上，城镇调查失业率控制在5.5%以内，居民消费价格涨幅控制在3%左右。
"""

# a district's 2023 统计公报: 其中 breakdowns, age bands (0—14岁, 60岁及以上), a share of 的比重
BULLETIN2 = """南溪区2023年国民经济和社会发展统计公报
年末全区户籍人口68.3万人，其中城镇人口29.6万人，乡村人口38.7万人。0—14岁人口占常住人口的比重为16.2%，60岁及以上人口占常住人口的比重为21.8%。
全年新增城镇就业6210人，其中失业人员再就业1480人。
全年全区共有卫生机构386个，其中医院21个。卫生技术人员4560人，其中执业医师和执业助理医师1820人，注册护士1985人。每千人口医疗卫生机构床位数7.1张。
全年财政用于民生的支出占一般公共预算支出的比重为78.3%。
"""

# a city's 2019 统计公报: a share of a value added (占…的比重) after its level and growth, 比年初增加
BULLETIN3 = """汾阳市2019年国民经济和社会发展统计公报
全年第三产业增加值101.0亿元，增长7.3%。第三产业增加值占地区生产总值的比重为46.8%，比上年提高1.1个百分点。
年末金融机构人民币各项存款余额356.2亿元，比年初增加21.4亿元。
全市有儿童主任2890名，儿童之家2764个，比上年增加138个。
全年第二产业增加值96.4亿元，增长5.8%，占GDP比重44.7%。网上零售额增长20.3%，占社会消费品零售总额的比重为25%。
"""

# a county 妇联's 2023 summary in the shape of web copies: 截至…底, 共计, 其中, 较换届前, and a 下一步 with a plan
# and what is already in place (目前已落实)
SUMMARY2 = """清溪县妇联2023年度工作总结
截至2023年底，全县共建成儿童之家126个，覆盖率达98%。全年共帮助1200余名妇女实现就业，其中返乡创业妇女300名。
成立巾帼志愿服务队56支，注册志愿者达2300余人，全年开展志愿服务活动480场次，服务时长1.6万小时。
开展“两癌”免费筛查1.2万余人，检出阳性病例36例，为患病妇女申请救助金18万元。
实施“春蕾计划”，资助困难女童85名，每人发放助学金1000元，共计8.5万元。联合爱心企业为42名留守儿童募集善款6.8万元，发放了宣传册3000份。
下一步，县妇联将于明年上半年举办家庭教育骨干培训班2期，计划投入资金30万元，目前已落实资金12万元。
"""

# a city's 民政 statistics of 2022: 其中…占比, 比上年增加, a list of organisations, 对
CIVIL_STATS = """2022年全市民政事业发展统计公报
截至2022年底，全市共有各类养老机构126家，床位1.52万张，其中护理型床位8200张，占比53.9%。
全市城市低保平均标准为每人每月752元，比上年增长4.2%。
全市共有登记社会组织3410个，比上年增加86个，其中社会团体1250个。全年办理结婚登记2.86万对。
"""

# a district 妇联's 2023 summary: a target and its outcome in one sentence, a purpose (为确保), a 实事 done,
# 计划生育 (a policy's name), and a 2024 plan whose 一是/二是/三是 clauses hold 到2025年, 确保 and 年内
SUMMARY3 = """长宁区妇联2023年工作总结
一、工作成效
全年新建儿童之家23个。年度目标为新建妇女之家10个，实际完成12个。
为确保项目顺利实施，区妇联投入资金100万元。全区“两癌”筛查被列为区政府民生实事，全年完成筛查1.5万人。
区妇联计划生育协会开展宣传活动8场。今年以来共举办讲座30场，比去年同期增加6场。
二、2024年工作打算
一是力争到2025年实现儿童之家全覆盖，新建儿童之家40个。二是确保每个村至少有1名儿童主任。三是年内培训家长5000人次。
"""

# a city's 2024 report: 预计 in the review is a preliminary outcome; 去年已建成 in the plan is one too
GOV5 = """2024年江口市人民政府工作报告
一、2023年工作回顾
过去一年，全市地区生产总值预计增长5.2%，一般公共预算收入完成28.6亿元，新增城镇就业1.2万人。
二、2024年工作安排
今年全市经济社会发展主要预期目标是：地区生产总值增长5.5%左右。重点抓好以下工作：
（一）加快产业升级。实施技改项目120个，完成工业投资180亿元。去年已建成的15个标准化厂房全面投用。
（二）办好民生实事。新建公办幼儿园8所，新增养老床位600张。
"""

# a county's 2015 监测报告 (the last year of 十二五 and the middle of the 2011-2020 纲要): "十二五"期间 is
# the five years; changes from 2010 and 2014 are this year's
MONITOR3 = """2015年岳西县妇女儿童发展纲要实施情况统计监测报告
“十二五”期间，全县累计培训农村妇女3.2万人次，新建儿童之家86所。
2015年，全县孕产妇死亡率为15.2/10万，比2010年下降8.6个十万分点。婴儿死亡率为5.8‰，比2014年下降0.6个千分点。
全县妇女参加城乡居民基本养老保险人数为12.6万人，比上年增长3.5%。学前三年毛入园率为86.5%，比2010年提高21.3个百分点，提前实现纲要目标。
与2014年相比，全县女性村委会主任增加5名，达到38名。
"""

# a county 妇联's 2022 summary full of the targets it reports on (目标, 下达…任务, 列入实事, 计划) next to their
# outcomes (实际, 完成, 已建成), a 将 in the review, and a 明年 part: a work summary, not a plan
SUMMARY4 = """金湖县妇联2022年工作总结
一、主要工作
全年目标培训农村妇女2000人，实际培训2300人，完成目标的115%。
省妇联下达我县“两癌”检查任务5000人，全年完成5200人。
县政府将“儿童之家”建设列入民生实事，计划新建15个，已建成16个。
今年全县共发放“两癌”救助金48万元，预计年底前还将发放12万元。
二、明年工作打算
明年将重点推进家庭教育工作，新建家长学校10所；争取上级资金50万元。
"""

# a township 妇联's half-year report: 一是…二是…, festivals before the activity, 下半年…计划
FULIAN = """榆林乡妇联2023年上半年工作汇报
今年上半年，乡妇联围绕中心、服务大局，各项工作取得新进展。
一是强化思想引领。举办“巾帼大宣讲”6场次，参与妇女群众420余人。
二是突出服务就业。联合乡人社所开展家政、月嫂等技能培训3期，培训妇女96人，推荐就业68人。
三是关爱困难群体。“六一”期间慰问留守儿童和困境儿童85名，送去慰问金1.7万元；“母亲节”走访慰问困难母亲30人。
四是维护合法权益。接待群众来访12起，调处化解家庭矛盾纠纷9起，化解率100%。
下半年，乡妇联将组织开展“最美家庭”评选活动，计划评选乡级“最美家庭”10户。
"""

# a city's 2022 monitoring report of its 妇女发展规划: 较2021年, 个十万分点, 女生占比, 村党组织成员中女性比例
MONITOR2 = """2022年安平市妇女发展规划统计监测报告
一、妇女与健康
全市孕产妇死亡率为6.51/10万，较2021年下降1.02个十万分点。孕产妇产前检查率为98.7%，产后访视率为97.6%。
二、妇女与教育
全市普通高校在校生中女生占比为53.4%，比上年提高0.6个百分点。
三、妇女与经济
全市女性就业人员占全社会就业人员的比重为44.9%。全年组织妇女参加各类职业技能培训2.6万人次，帮助1.1万名妇女实现就业创业。
四、妇女参与决策和管理
全市村党组织成员中女性比例为24.3%，居委会主任中女性比例为45.6%。
"""

DOCS = {"summary": SUMMARY, "gov": GOV, "gov_unheaded": GOV_UNHEADED, "civil": CIVIL, "bulletin": BULLETIN,
        "monitor": MONITOR, "news": NEWS, "wrapped": WRAPPED, "civil2": CIVIL2, "gov3": GOV3,
        "bulletin2": BULLETIN2, "fulian": FULIAN, "monitor2": MONITOR2, "bulletin3": BULLETIN3,
        "summary2": SUMMARY2, "civil_stats": CIVIL_STATS, "summary3": SUMMARY3, "gov5": GOV5,
        "monitor3": MONITOR3, "summary4": SUMMARY4}

A, T = "actual", "target"
C, M, P, OT = "count", "money", "percent", "other"

# (doc, the figure as written, value, kind, unit, subject, status, period): the figure is the one whose
# number is the first digit of the written text where that text first occurs
CASES = [
    # ---- the 妇联 summary (2022): topic paragraphs of past work, and the 2023 plan
    ("summary", "86场", 86, C, "场", "巾帼心向党宣讲活动", A, 2022),  # a boundary inside the quote
    ("summary", "1.2万人次", 12000, C, "人次", "妇女群众", A, 2022),
    ("summary", "120户", 120, C, "户", "最美家庭", A, 2022),
    ("summary", "35户", 35, C, "户", "五好家庭", A, 2022),
    ("summary", "56场次", 56, C, "场次", "家庭教育讲座", A, 2022),
    ("summary", "213件次", 213, C, "件次", "妇女来信来访", A, 2022),
    ("summary", "9起", 9, C, "起", "婚姻家庭纠纷", A, 2022),  # 比上年减少: a change, this year's
    ("summary", "18.6万", 186000, M, "元", "救助资金", A, 2022),  # 万 without 元
    ("summary", "132户次", 132, C, "户次", "困难妇女", A, 2022),
    ("summary", "1 360人", 1360, C, "人", "妇女", A, 2022),  # a thin space inside the number
    ("summary", "820人", 820, C, "人", "就业", A, 2022),
    ("summary", "410名", 410, C, "名", "巾帼志愿者", A, 2022),
    ("summary", "260名", 260, C, "名", "留守儿童", A, 2022),
    ("summary", "180名", 180, C, "名", "困境儿童", A, 2022),  # not 困境儿童送去学习用品
    ("summary", "96.5%", 96.5, P, "%", "两癌检查覆盖率", A, 2022),
    ("summary", "2.3个百分点", 2.3, P, "个百分点", "两癌检查覆盖率", A, 2022),
    ("summary", "20个", 20, C, "个", "儿童之家", T, 2023),
    ("summary", "8000人", 8000, C, "人", "两癌检查", T, 2023),
    ("summary", "60场", 60, C, "场", "家庭教育讲座", T, 2023),
    # ---- the county's 2021 report: 十三五 review, 过去五年, 2020, the 2021 plan
    ("gov", "126.3亿元", 12630000000, M, "元", "地区生产总值", A, 2015),
    ("gov", "185.6亿元", 18560000000, M, "元", "地区生产总值", A, 2020),
    ("gov", "6.8%", 6.8, P, "%", "地区生产总值", A, [2016, 2020]),
    ("gov", "2.1万人", 21000, C, "人", "城镇就业", A, [2016, 2020]),
    ("gov", "52.4%", 52.4, P, "%", "常住人口城镇化率", A, 2020),
    ("gov", "860公里", 860, OT, "公里", "农村公路", A, [2016, 2020]),
    ("gov", "3200户", 3200, C, "户", "农村危房", A, [2016, 2020]),
    ("gov", "11.2亿元", 1120000000, M, "元", "一般公共预算收入", A, 2020),
    ("gov", "3.1%", 3.1, P, "%", "一般公共预算收入", A, 2020),
    ("gov", "36820元", 36820, M, "元", "居民人均可支配收入", A, 2020),
    ("gov", "17450元", 17450, M, "元", "居民人均可支配收入", A, 2020),  # the second of 达到X和Y: reached
    ("gov", "5.2%", 5.2, P, "%", "居民人均可支配收入", A, 2020),  # a 分别 list with no nouns of its own
    ("gov", "7.6%", 7.6, P, "%", "居民人均可支配收入", A, 2020),
    ("gov", "7%左右", 7, P, "%", "地区生产总值", T, 2021),
    ("gov", "5%，", 5, P, "%", "一般公共预算收入", T, 2021),
    ("gov", "4000人以上", 4000, C, "人", "城镇新增就业", T, 2021),
    ("gov", "120亿元", 12000000000, M, "元", "固定资产投资", T, 2021),
    ("gov", "52万亩以上", 520000, OT, "亩", "粮食播种面积", T, 2021),
    ("gov", "58%", 58, P, "%", "常住人口城镇化率", T, 2025),
    # ---- the unheaded report (2023): 过去一年 opens the review of 2022
    ("gov_unheaded", "12家", 12, C, "家", "县属企业", A, 2022),
    ("gov_unheaded", "3.6亿元", 360000000, M, "元", "闲置资产", A, 2022),
    ("gov_unheaded", "28个", 28, C, "个", "亿元以上项目", A, 2022),
    ("gov_unheaded", "85.2亿元", 8520000000, M, "元", "到位资金", A, 2022),
    ("gov_unheaded", "6所", 6, C, "所", "公办幼儿园", A, 2022),
    ("gov_unheaded", "2.3万亩", 23000, OT, "亩", "营造林", A, 2022),
    ("gov_unheaded", "6.5%左右", 6.5, P, "%", "地区生产总值", T, 2023),
    ("gov_unheaded", "3500人", 3500, C, "人", "城镇新增就业", T, 2023),
    ("gov_unheaded", "5万亩", 50000, OT, "亩", "高标准农田", T, 2023),
    ("gov_unheaded", "28万吨以上", 280000, OT, "吨", "粮食产量", T, 2023),
    # ---- the 民政 page (2023)
    ("civil", "2860万", 28600000, M, "元", "城乡低保金", A, 2023),
    ("civil", "1.26万人次", 12600, C, "人次", "困难群众", A, 2023),
    ("civil", "1320户", 1320, C, "户", "城市低保对象", A, 2023),
    ("civil", "415户次", 415, C, "户次", "临时救助", A, 2023),
    ("civil", "83.5万元", 835000, M, "元", "临时救助金", A, 2023),
    ("civil", "12%", 12, P, "%", "临时救助金", A, 2023),
    ("civil", "560万元", 5600000, M, "元", "特困人员供养金", A, 2022),  # 去年
    ("civil", "1500户", 1500, C, "户", "困难群众帮扶任务", T, 2023),  # 下达…任务
    ("civil", "12所", 12, C, "所", "农村互助幸福院", T, 2023),
    # ---- the 统计公报 (2022)
    ("bulletin", "312.6万人", 3126000, C, "人", "常住人口", A, 2022),
    ("bulletin", "0.8万人", 8000, C, "人", "常住人口", A, 2022),  # 比上年末减少
    ("bulletin", "7.39‰", 7.39, P, "‰", "出生率", A, 2022),
    ("bulletin", "-0.48‰", -0.48, P, "‰", "人口自然增长率", A, 2022),
    ("bulletin", "8.9/10万", 8.9, OT, "/10万", "孕产妇死亡率", A, 2022),
    ("bulletin", "79.2岁", 79.2, OT, "岁", "人均预期寿命", A, 2022),
    ("bulletin", "0.3岁", 0.3, OT, "岁", "人均预期寿命", A, 2022),
    ("bulletin", "48260元", 48260, M, "元", "城镇居民人均可支配收入", A, 2022),
    ("bulletin", "6.3%", 6.3, P, "%", "农村居民人均可支配收入", A, 2022),
    ("bulletin", "328.4亿元", 32840000000, M, "元", "民生支出", A, 2022),
    ("bulletin", "79.6%", 79.6, P, "%", "民生支出", A, 2022),  # 占比: the share of the figure before
    ("bulletin", "18.2%", 18.2, P, "%", "国内外游客", A, 2022),
    ("bulletin", "21.5%", 21.5, P, "%", "旅游总收入", A, 2022),
    ("bulletin", "76.6岁", 76.6, OT, "岁", "男性人均预期寿命", A, 2022),
    ("bulletin", "82.1岁", 82.1, OT, "岁", "女性人均预期寿命", A, 2022),
    # ---- the 两纲 监测报告 (2020)
    ("monitor", "8.6‰", 8.6, P, "‰", "婴儿死亡率", A, 2010),
    ("monitor", "3.1‰", 3.1, P, "‰", "婴儿死亡率", A, 2020),
    ("monitor", "4.2‰", 4.2, P, "‰", "5岁以下儿童死亡率", A, 2020),
    ("monitor", "5.6万人", 56000, C, "人", "女职工", A, 2020),
    ("monitor", "2.3个百分点", 2.3, P, "个百分点", "高中阶段毛入学率", A, 2020),  # not 比纲要目标高出
    ("monitor", "156名", 156, C, "名", "孤儿和弃婴", A, 2020),
    ("monitor", "106.8", 106.8, OT, None, "出生人口性别比", A, 2020),
    # ---- the 妇联 account of 2023
    ("news", "8期", 8, C, "期", "电商直播培训班", A, 2023),
    ("news", "420人次", 420, C, "人次", "农村妇女", A, 2023),
    ("news", "260名", 260, C, "名", "妇女", A, 2023),
    ("news", "350户", 350, C, "户", "困难妇女儿童", A, 2023),
    ("news", "21.6万元", 216000, M, "元", "慰问金及物资", A, 2023),
    ("news", "15%", 15, P, "%", "受益群众", A, 2023),  # 较去年同期增长: no subject 同期
    ("news", "30名", 30, C, "名", "巾帼致富能手", A, 2023),
    ("news", "500人次", 500, C, "人次", "培训农村妇女", T, 2024),  # 计划明年
    # ---- the wrapped PDF copy (2021)
    ("wrapped", "1360人次", 1360, C, "人次", "农村妇女", A, 2021),
    ("wrapped", "520万元", 5200000, M, "元", "创业担保贷款", A, 2021),
    ("wrapped", "46个", 46, C, "个", "妇女创业项目", A, 2021),
    ("wrapped", "示范妇女之家6个", 6, C, "个", "示范妇女之家", A, 2021),
    ("wrapped", "56.8 万元", 568000, M, "元", "救助金", A, 2021),
    ("wrapped", "120\n名", 120, C, "名", "留守儿童", A, 2021),  # the unit on the next line
    # ---- the 民政 summary (2022) and its 2023 plan
    ("civil2", "720元", 720, M, "元", "城市低保标准", A, 2022),
    ("civil2", "5400元", 5400, M, "元", "农村低保标准", A, 2022),
    ("civil2", "3.2万人次", 32000, C, "人次", "城乡低保对象", A, 2022),
    ("civil2", "2980.3万元", 29803000, M, "元", "农村低保资金", A, 2022),
    ("civil2", "1.3倍", 1.3, OT, "倍", "特困人员基本生活标准", A, 2022),  # 不低于…的: a bound of a share
    ("civil2", "35张", 35, C, "张", "养老床位", A, 2022),
    ("civil2", "1.8万名", 18000, C, "名", "老年人", A, 2022),
    ("civil2", "642万元", 6420000, M, "元", "高龄津贴", A, 2022),
    ("civil2", "587名", 587, C, "名", "困境儿童", A, 2022),
    ("civil2", "236名", 236, C, "名", "儿童主任", A, 2022),
    ("civil2", "300张", 300, C, "张", "养老床位", T, 2023),
    ("civil2", "750元", 750, M, "元", "低保标准", T, 2023),
    # ---- the city's 2021 report
    ("gov3", "7.2%", 7.2, P, "%", "地区生产总值", A, [2016, 2020]),
    ("gov3", "突破30亿元", 3000000000, M, "元", "一般公共预算收入", A, 2020),
    ("gov3", "1560亿元", 156000000000, M, "元", "固定资产投资", A, [2016, 2020]),
    ("gov3", "28650元", 28650, M, "元", "城镇居民人均可支配收入", A, 2015),
    ("gov3", "40120元", 40120, M, "元", "城镇居民人均可支配收入", A, 2020),
    ("gov3", "21360元", 21360, M, "元", "农村居民人均可支配收入", A, 2020),
    ("gov3", "6.5%左右", 6.5, P, "%", "地区生产总值", T, [2021, 2025]),
    ("gov3", "2.5%", 2.5, P, "%", "研发经费投入强度", T, 2025),
    ("gov3", "8%以上", 8, P, "%", "地区生产总值", T, 2021),
    ("gov3", "5.5%以内", 5.5, P, "%", "城镇调查失业率", T, 2021),
    # ---- the district's 统计公报 (2023)
    ("bulletin2", "68.3万人", 683000, C, "人", "户籍人口", A, 2023),
    ("bulletin2", "29.6万人", 296000, C, "人", "城镇人口", A, 2023),
    ("bulletin2", "16.2%", 16.2, P, "%", "0—14岁人口", A, 2023),
    ("bulletin2", "21.8%", 21.8, P, "%", "60岁及以上人口", A, 2023),
    ("bulletin2", "1480人", 1480, C, "人", "失业人员再就业", A, 2023),
    ("bulletin2", "21个", 21, C, "个", "医院", A, 2023),
    ("bulletin2", "1985人", 1985, C, "人", "注册护士", A, 2023),
    # ---- the township 妇联's half-year report (2023)
    ("fulian", "6场次", 6, C, "场次", "巾帼大宣讲", A, 2023),
    ("fulian", "420余人", 420, C, "人", "妇女群众", A, 2023),
    ("fulian", "96人", 96, C, "人", "妇女", A, 2023),
    ("fulian", "1.7万元", 17000, M, "元", "慰问金", A, 2023),
    ("fulian", "30人", 30, C, "人", "困难母亲", A, 2023),  # not “母亲节”走访慰问困难母亲
    ("fulian", "100%", 100, P, "%", "化解率", A, 2023),
    ("fulian", "10户", 10, C, "户", "最美家庭", T, 2023),
    # ---- the city's monitoring report (2022)
    ("monitor2", "6.51/10万", 6.51, OT, "/10万", "孕产妇死亡率", A, 2022),
    ("monitor2", "1.02个十万分点", 1.02, OT, "个十万分点", "孕产妇死亡率", A, 2022),
    ("monitor2", "53.4%", 53.4, P, "%", "普通高校在校生中女生占比", A, 2022),
    ("monitor2", "0.6个百分点", 0.6, P, "个百分点", "普通高校在校生中女生占比", A, 2022),
    ("monitor2", "2.6万人次", 26000, C, "人次", "妇女", A, 2022),
    ("monitor2", "1.1万名", 11000, C, "名", "妇女", A, 2022),
    ("monitor2", "24.3%", 24.3, P, "%", "村党组织成员中女性比例", A, 2022),
    # ---- the 妇联 summary of 2023 and its 下一步
    ("summary2", "126个", 126, C, "个", "儿童之家", A, 2023),
    ("summary2", "98%", 98, P, "%", "覆盖率", A, 2023),
    ("summary2", "1200余名", 1200, C, "名", "妇女", A, 2023),
    ("summary2", "300名", 300, C, "名", "返乡创业妇女", A, 2023),
    ("summary2", "56支", 56, C, "支", "巾帼志愿服务队", A, 2023),
    ("summary2", "1.6万小时", 16000, OT, "小时", "服务时长", A, 2023),
    ("summary2", "36例", 36, C, "例", "阳性病例", A, 2023),
    ("summary2", "18万元", 180000, M, "元", "救助金", A, 2023),
    ("summary2", "1000元", 1000, M, "元", "助学金", A, 2023),
    ("summary2", "8.5万元", 85000, M, "元", "助学金", A, 2023),
    ("summary2", "42名", 42, C, "名", "留守儿童", A, 2023),
    ("summary2", "6.8万元", 68000, M, "元", "善款", A, 2023),
    ("summary2", "3000份", 3000, C, "份", "宣传册", A, 2023),
    ("summary2", "2期", 2, C, "期", "家庭教育骨干培训班", T, 2024),
    ("summary2", "30万元", 300000, M, "元", "投入资金", T, 2024),
    ("summary2", "12万元", 120000, M, "元", "资金", A, 2023),  # 目前已落实
    # ---- the 妇联 summary of 2023 with targets inside (长宁)
    ("summary3", "23个", 23, C, "个", "儿童之家", A, 2023),
    ("summary3", "10个", 10, C, "个", "妇女之家", T, 2023),  # 年度目标为
    ("summary3", "12个", 12, C, "个", "妇女之家", A, 2023),  # 实际完成
    ("summary3", "100万元", 1000000, M, "元", "投入资金", A, 2023),  # 为确保: a purpose, no target
    ("summary3", "1.5万人", 15000, C, "人", "筛查", A, 2023),  # 列为…实事, then 完成
    ("summary3", "8场", 8, C, "场", "宣传活动", A, 2023),  # 计划生育: a name
    ("summary3", "30场", 30, C, "场", "讲座", A, 2023),
    ("summary3", "6场", 6, C, "场", "讲座", A, 2023),
    ("summary3", "40个", 40, C, "个", "儿童之家", T, 2025),
    ("summary3", "1名", 1, C, "名", "儿童主任", T, 2024),
    ("summary3", "5000人次", 5000, C, "人次", "家长", T, 2024),  # 三是年内: the plan's year
    # ---- the city's 2024 report
    ("gov5", "5.2%", 5.2, P, "%", "地区生产总值", A, 2023),  # 预计: a preliminary outcome
    ("gov5", "28.6亿元", 2860000000, M, "元", "一般公共预算收入", A, 2023),
    ("gov5", "5.5%左右", 5.5, P, "%", "地区生产总值", T, 2024),
    ("gov5", "120个", 120, C, "个", "技改项目", T, 2024),
    ("gov5", "180亿元", 18000000000, M, "元", "工业投资", T, 2024),
    ("gov5", "15个", 15, C, "个", "标准化厂房", A, 2023),  # 去年已建成
    ("gov5", "600张", 600, C, "张", "养老床位", T, 2024),
    # ---- the county's 2015 监测报告
    ("monitor3", "3.2万人次", 32000, C, "人次", "农村妇女", A, [2011, 2015]),
    ("monitor3", "86所", 86, C, "所", "儿童之家", A, [2011, 2015]),
    ("monitor3", "15.2/10万", 15.2, OT, "/10万", "孕产妇死亡率", A, 2015),
    ("monitor3", "8.6个十万分点", 8.6, OT, "个十万分点", "孕产妇死亡率", A, 2015),
    ("monitor3", "0.6个千分点", 0.6, P, "个千分点", "婴儿死亡率", A, 2015),
    ("monitor3", "21.3个百分点", 21.3, P, "个百分点", "毛入园率", A, 2015),
    ("monitor3", "5名", 5, C, "名", "女性村委会主任", A, 2015),
    ("monitor3", "38名", 38, C, "名", "女性村委会主任", A, 2015),
    # ---- the county 妇联's summary of targets and outcomes (2022)
    ("summary4", "2000人", 2000, C, "人", "农村妇女", T, 2022),  # 全年目标培训
    ("summary4", "2300人", 2300, C, "人", "培训", A, 2022),  # 实际培训
    ("summary4", "115%", 115, P, "%", None, A, 2022),  # 完成目标的
    ("summary4", "5000人", 5000, C, "人", "两癌检查任务", T, 2022),  # 下达…任务
    ("summary4", "5200人", 5200, C, "人", None, A, 2022),  # 全年完成
    ("summary4", "15个", 15, C, "个", None, T, 2022),  # 计划新建
    ("summary4", "16个", 16, C, "个", None, A, 2022),  # 已建成
    ("summary4", "48万元", 480000, M, "元", "两癌救助金", A, 2022),
    ("summary4", "12万元", 120000, M, "元", None, T, 2022),  # 还将发放
    ("summary4", "10所", 10, C, "所", "家长学校", T, 2023),
    ("summary4", "50万元", 500000, M, "元", "上级资金", T, 2023),  # the 明年 part
    # ---- the 民政 statistics of 2022
    ("civil_stats", "1.52万张", 15200, C, "张", "床位", A, 2022),
    ("civil_stats", "8200张", 8200, C, "张", "护理型床位", A, 2022),
    ("civil_stats", "53.9%", 53.9, P, "%", "护理型床位占比", A, 2022),
    ("civil_stats", "752元", 752, M, "元", "城市低保平均标准", A, 2022),
    ("civil_stats", "4.2%", 4.2, P, "%", "城市低保平均标准", A, 2022),
    ("civil_stats", "3410个", 3410, C, "个", "登记社会组织", A, 2022),
    ("civil_stats", "86个", 86, C, "个", "登记社会组织", A, 2022),
    ("civil_stats", "1250个", 1250, C, "个", "社会团体", A, 2022),
    ("civil_stats", "2.86万对", 28600, C, "对", "结婚登记", A, 2022),
    # ---- the city's 统计公报 of 2019
    ("bulletin3", "46.8%", 46.8, P, "%", "第三产业增加值", A, 2019),
    ("bulletin3", "21.4亿元", 2140000000, M, "元", "人民币各项存款余额", A, 2019),
    ("bulletin3", "2890名", 2890, C, "名", "儿童主任", A, 2019),
    ("bulletin3", "138个", 138, C, "个", "儿童之家", A, 2019),
    ("bulletin3", "44.7%", 44.7, P, "%", "第二产业增加值", A, 2019),  # 占GDP比重: the share of the figure before
    ("bulletin3", "25%", 25, P, "%", "网上零售额", A, 2019),
]

# (doc, written) -> {aspect ("figure" | "reference"): the reason of a known gap}: strict expected failures
XFAIL: dict[tuple[str, str], dict[str, str]] = {}


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("figures_generalise")
    out = {}
    for name, text in DOCS.items():
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        doc, found = extract_path(str(path))
        out[name] = (doc.text, found)
    return out


def _figure(figures, doc, written):
    """The figure at ``written`` in the cleaned text (the cleaner may join a wrapped line, so offsets are
    the clean text's, as the figures' are)."""
    text, found = figures[doc]
    at = text.index(written) + re.search(r"\d", written).start()
    got = [f for f in found if f.start <= at < f.end]
    assert got, f"no figure at {written!r} in {doc}"
    return got[0]


def _params(aspect):
    for case in CASES:
        reason = XFAIL.get(case[:2], {}).get(aspect)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(*case, marks=marks, id=f"{case[0]}:{case[1]}")


@pytest.mark.parametrize("doc, written, value, kind, unit, subject, status, period", _params("figure"))
def test_value_kind_unit_subject(figures, doc, written, value, kind, unit, subject, status, period):
    f = _figure(figures, doc, written)
    assert (same_value(f.value, value), f.kind, f.unit) == (True, kind, unit), (f.value, f.kind, f.unit)
    assert subject_match(subject, f.subject), f"subject {f.subject!r}, expected {subject!r}"


@pytest.mark.parametrize("doc, written, value, kind, unit, subject, status, period", _params("reference"))
def test_status_and_period(figures, doc, written, value, kind, unit, subject, status, period):
    f = _figure(figures, doc, written)
    assert (f.status, f.period) == (status, period)


# a change of a level (比上年末减少, 较上年增加, 比2015年增加) is no value of the level's indicator; the men's
# figure of a 男性和女性 pair is no women's
@pytest.mark.parametrize("doc, written, indicator", [
    ("bulletin", "312.6万人", "resident_population.count"),
    ("bulletin", "0.8万人", None),
    ("summary", "3450名", "volunteers.count"),
    ("summary", "410名", None),
    ("monitor", "2.1万人", None),
    ("bulletin", "82.1岁", "female_life_expectancy.years"),
    ("bulletin", "76.6岁", None),
    ("gov", "36820元", "urban_disposable_income.cny"),
    ("gov", "17450元", "rural_disposable_income.cny"),
    ("gov", "5.2%", "urban_disposable_income.growth_pct"),
    ("gov", "7.6%", "rural_disposable_income.growth_pct"),
    # a share of a value added (占…的比重) is no growth of it
    ("bulletin3", "7.3%", "tertiary_industry_va.growth_pct"),
    ("bulletin3", "46.8%", None),
    ("bulletin3", "2764个", "children_home.count"),
    ("bulletin3", "138个", None),
    ("bulletin3", "5.8%", "secondary_industry_va.growth_pct"),
    ("bulletin3", "44.7%", None),  # no growth, and no R&D intensity (研发经费投入占GDP比重)
])
def test_indicator_of_levels_and_changes(figures, doc, written, indicator):
    assert _figure(figures, doc, written).indicator == indicator


@pytest.mark.parametrize("doc, written", [
    ("summary", "2022年，"),  # a date
    ("gov", "“十三五”"),  # a period named by its length
    ("gov", "2015年的"),  # the base year of 由2015年的…
    ("monitor", "2011—2020年"),  # the span of the 纲要's name
])
def test_not_figures(figures, doc, written):
    text, found = figures[doc]
    s = text.index(written)
    e = s + len(written)
    assert not [f for f in found if f.start < e and s < f.end]


def test_table_is_well_formed():
    assert 40 <= len(CASES) <= 300
    for doc, written, *_ in CASES:
        assert written in DOCS[doc], (doc, written)
    assert len({c[:2] for c in CASES}) == len(CASES)
