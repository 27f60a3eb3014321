"""The canonical tables: columns, Chinese aliases, item keys and units.

Everything here is data. The readers in :mod:`fiscalmon.io` use it to recognise headers, item names
and units; the report uses the Chinese labels. ``docs/data-format.md`` describes the same tables for
people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: How many of each unit make one 亿元 (100 million yuan). Amounts are *divided* by these exact
#: integers, so 1189100 万元 becomes exactly the same float as 118.91 亿元.
UNITS_PER_100M_YUAN: dict[str, int] = {"元": 100_000_000, "万元": 10_000, "亿元": 1}

#: Spellings of each unit met in bureau files, mapped to the canonical unit.
UNIT_ALIASES: dict[str, str] = {
    "元": "元",
    "yuan": "元",
    "万元": "万元",
    "万": "万元",
    "10k yuan": "万元",
    "wan yuan": "万元",
    "亿元": "亿元",
    "亿": "亿元",
    "100m yuan": "亿元",
    "yi yuan": "亿元",
}

#: The unit every amount is converted to by the readers.
CANONICAL_UNIT = "亿元"


@dataclass(frozen=True)
class Item:
    """One budget item: its key, Chinese name, and whether it is a flow or a stock.

    A *flow* (revenue, spending) accumulates over the year, so its monthly table holds YTD sums; a
    *stock* (a debt balance) is a level at month end.
    """

    key: str
    zh: str
    kind: str = "flow"
    aliases: tuple[str, ...] = ()


_ITEM_LIST = [
    # The core items (issue: data foundation).
    Item("gpb_revenue", "一般公共预算收入", aliases=("地方一般公共预算收入", "一般预算收入", "公共财政预算收入")),
    Item("tax_revenue", "税收收入", aliases=("税收",)),
    Item("nontax_revenue", "非税收入", aliases=("非税",)),
    Item("gpb_expenditure", "一般公共预算支出", aliases=("一般预算支出", "公共财政预算支出")),
    Item("fund_revenue", "政府性基金预算收入", aliases=("政府性基金收入", "基金预算收入")),
    Item("fund_expenditure", "政府性基金预算支出", aliases=("政府性基金支出", "基金预算支出")),
    Item("soe_revenue", "国有资本经营预算收入", aliases=("国有资本经营收入",)),
    Item("soe_expenditure", "国有资本经营预算支出", aliases=("国有资本经营支出",)),
    Item("local_revenue", "地方财政收入"),
    Item("local_expenditure", "地方财政支出"),
    Item("ssf_revenue", "社保基金预算收入", aliases=("社会保险基金预算收入", "社保基金收入")),
    Item("ssf_expenditure", "社保基金预算支出", aliases=("社会保险基金预算支出", "社保基金支出")),
    Item("sanbao_expenditure", "三保支出"),
    # Parts of 三保 and other figures the seed reports quote.
    Item("sanbao_livelihood_expenditure", "保基本民生支出"),
    Item("sanbao_wage_expenditure", "保工资支出"),
    Item("sanbao_operation_expenditure", "保运转支出"),
    Item("vat_revenue", "国内增值税", aliases=("增值税",)),
    Item("land_sale_revenue", "国有土地使用权出让收入", aliases=("土地出让收入",)),
    Item("livelihood_expenditure", "民生支出"),
    Item("transfer_to_lower", "对下转移支付补助", aliases=("下达转移支付补助资金",)),
    Item("direct_funds_allocated", "直达资金下达"),
    Item("direct_funds_spent", "直达资金支出"),
    Item("new_bond_funds_allocated", "新增债券资金下达"),
    Item("new_bond_funds_spent", "新增债券资金支出"),
    Item("vat_credit_refund", "增值税留抵退税", aliases=("留抵退税",)),
    Item("tax_relief", "减税降费政策红利"),
    Item("idle_funds_recovered", "收回存量资金"),
    # Debt and bonds.
    Item("new_debt_limit", "新增地方政府债务限额"),
    Item("new_general_debt_limit", "新增一般债务限额"),
    Item("new_special_debt_limit", "新增专项债务限额"),
    Item("refinancing_bond_quota", "再融资债券规模"),
    Item("bond_proceeds", "转贷地方政府债券", aliases=("收到转贷债券",)),
    Item("new_general_bond_proceeds", "新增一般债券"),
    Item("new_special_bond_proceeds", "新增专项债券"),
    Item("refinancing_bond_proceeds", "再融资债券"),
    Item("debt_service_paid", "偿还到期本息", aliases=("还本付息", "累计已还本付息")),
    Item("debt_service_arranged", "安排债券和隐性债务本息资金"),
    Item("hidden_debt_reduction", "化解隐性债务"),
    Item("debt_balance", "法定债务余额", kind="stock", aliases=("地方政府法定债务余额", "政府债务余额")),
    Item("hidden_debt_balance", "隐性债务余额", kind="stock"),
    # Temporary advances and treasury cash.
    Item("advances_cleared", "消化暂付款", aliases=("清理消化暂付性款项",)),
    Item("advances_stock_cleared", "消化存量暂付款", aliases=("消化存量暂付性款项",)),
    Item("advances_balance", "暂付款余额", kind="stock"),
    Item("treasury_balance", "库款余额", kind="stock", aliases=("月末库款余额",)),
]

#: Item registry, by key.
ITEMS: dict[str, Item] = {item.key: item for item in _ITEM_LIST}

#: Chinese name (and every alias) → item key.
ITEM_BY_NAME: dict[str, str] = {
    name: item.key for item in _ITEM_LIST for name in (item.zh, *item.aliases)
}

#: The items of the data-foundation issue that every dataset is expected to understand.
CORE_ITEMS = tuple(item.key for item in _ITEM_LIST[:13])

#: Region levels and the Chinese words bureaus use for them.
LEVELS = ("province", "prefecture", "county", "zone", "own")
LEVEL_ALIASES: dict[str, str] = {
    **{level: level for level in LEVELS},
    "省": "province", "自治区": "province", "省级": "province", "区级": "province",
    "地": "prefecture", "州": "prefecture", "市": "prefecture", "地州市": "prefecture",
    "地级": "prefecture", "地区": "prefecture",
    "县": "county", "县市区": "county", "县级": "county", "区": "county", "县市": "county",
    "园区": "zone", "开发区": "zone", "园": "zone",
    "本级": "own", "州本级": "own", "自治区本级": "own", "市本级": "own", "地区本级": "own",
}

#: Officially assigned risk grades, worst first.
GRADES = ("red", "orange", "yellow", "green")
GRADE_ALIASES: dict[str, str] = {
    **{grade: grade for grade in GRADES},
    "红": "red", "红色": "red", "红色等级": "red",
    "橙": "orange", "橙色": "orange", "橙色等级": "orange",
    "黄": "yellow", "黄色": "yellow", "黄色等级": "yellow",
    "绿": "green", "绿色": "green", "绿色等级": "green",
}
GRADE_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色", "green": "绿色"}
#: Risk levels of an indicator or a county, worst first; not_assessed (missing inputs) is never green.
LEVELS_WORST_FIRST = (*GRADES, "not_assessed")
LEVEL_ZH: dict[str, str] = {**GRADE_ZH, "not_assessed": "未评估"}
#: How bad a level is: red 3 … green 0, not_assessed −1 (so that the worst assessed level is the max).
LEVEL_RANK: dict[str, int] = {"red": 3, "orange": 2, "yellow": 1, "green": 0, "not_assessed": -1}

# Column aliases. Matching ignores spaces, case, full-width brackets and a unit in brackets.
_ID_ALIASES = {
    "region_code": ("地区编码", "区划代码", "行政区划代码", "地区代码", "编码", "代码", "code"),
    "region": ("地区", "地区名称", "行政区划", "单位名称", "区域", "县市", "县市区", "县区", "区县", "市县", "地州市", "县市名称",
               "县(市)", "县(市、区)", "县(市区)", "行政区", "行政区划名称", "地区/单位", "name"),
}
_TEXT_ALIASES = {
    "source": ("来源", "出处", "资料来源"),
    "note": ("备注", "说明", "注"),
}
_UNIT_ALIAS = {"unit": ("单位", "计量单位", "金额单位"), "source_unit": ("原始单位",)}

MONTHLY_ALIASES: dict[str, tuple[str, ...]] = {
    **_ID_ALIASES,
    "period": ("月份", "期间", "时期", "统计期", "期别", "所属期", "month"),
    "item": ("项目", "科目", "指标", "收支项目", "项目名称", "科目名称", "预算科目", "收入项目", "支出项目"),
    "ytd": ("累计", "本年累计", "累计数", "本年累计数", "累计完成", "完成数", "累计金额", "金额", "本年累计完成",
            "自年初累计", "累计执行", "累计收入"),
    "yoy_pct": ("同比增长", "同比", "增幅", "同比增幅", "同比增减", "增长率", "同比增长率", "增长", "比上年同期增长",
                "比上年增长", "较上年同期增长", "同比增减幅度", "同比±"),
    "yoy_comparable_pct": ("可比增长", "可比口径增长", "可比增幅", "同口径增长", "同口径增幅", "可比口径同比增长",
                           "扣除特殊因素后增长", "扣除特殊因素增长", "剔除特殊因素后增长", "可比"),
    "yoy_change": ("同比增减额", "增减额", "比上年同期增减", "增收额", "增减", "比上年增减"),
    "ytd_prior": ("上年同期累计", "上年同期", "上年同期数", "上年累计", "去年同期", "上年同期完成", "上年同期累计数"),
    "completion_pct": ("预算完成率", "完成预算", "为预算的", "占预算", "完成率", "占年初预算", "完成年初预算",
                       "完成预算比例", "预算执行进度"),
    "yoy_pct_min": ("增幅下限",),
    # A monthly table may carry the year's budget beside its YTD (年初预算 | 本年累计 | 完成预算%).
    "budget": ("年初预算", "年初预算数", "预算数", "年度预算", "全年预算"),
    "adjusted_budget": ("调整预算", "调整预算数", "调整后预算"),
    "revision": ("修订", "修订说明"),
    "year": ("年度", "年份", "年"),
    **_UNIT_ALIAS,
    **_TEXT_ALIASES,
}

ANNUAL_ALIASES: dict[str, tuple[str, ...]] = {
    **_ID_ALIASES,
    "year": ("年度", "年份", "年", "预算年度"),
    "item": MONTHLY_ALIASES["item"],
    "budget": ("预算数", "年初预算", "年初预算数", "预算", "年度预算", "年初预算安排"),
    "adjusted_budget": ("调整预算数", "调整预算", "调整后预算", "变动预算"),
    "outturn": ("决算数", "全年完成", "全年完成数", "执行数", "实际完成", "决算"),
    # A target stated as growth (年初10%的增长预期目标): the budget is last year's outturn × (1 + g).
    "target_growth_pct": ("年初预期增长目标", "预期增长目标", "增长目标", "收入增长目标", "预期增长", "目标增长率",
                          "预期增幅"),
    # The day the 人大常委会 approved the adjusted budget: before it, the 年初预算 is in force.
    "adjusted_budget_date": ("调整预算批准日期", "调整预算日期", "调整日期", "批准日期", "调整预算批准时间"),
    **_UNIT_ALIAS,
    **_TEXT_ALIASES,
}

REGION_ALIASES: dict[str, tuple[str, ...]] = {
    **_ID_ALIASES,
    "parent_code": ("上级编码", "上级地区编码", "上级代码", "上级区划代码", "parent"),
    "level": ("级次", "层级", "级别", "行政级别"),
    "grade": ("风险等级", "等级", "财政运行等级", "运行等级"),
    "aliases": ("别名", "简称", "其他名称"),
    **_TEXT_ALIASES,
}

#: Risk-table indicators (amount columns) with their Chinese names.
RISK_AMOUNTS: dict[str, str] = {
    "treasury_balance": "月末库款余额",
    "treasury_outflow": "当月库款流出",
    "treasury_usable": "可用库款",
    "sanbao_need": "三保需求",
    "sanbao_budget": "三保预算",
    "sanbao_paid": "三保累计支出",
    "wage_arrears": "欠发工资",
    "available_resources": "可用财力",
    "comprehensive_resources": "综合财力",
    "debt_balance": "法定债务余额",
    "hidden_debt_balance": "隐性债务余额",
    "debt_service_due": "全年到期还本付息",
    "debt_service_paid": "累计已还本付息",
    "debt_service_next3m": "未来三个月到期还本付息",
    "interest_general": "一般债务付息",
    "interest_special": "专项债务付息",
    "gpb_expenditure": "一般公共预算支出",
    "fund_expenditure": "政府性基金预算支出",
    "advances_balance": "暂付款余额",
    "advances_prev_yearend": "上年末暂付款余额",
    # Debt service by what the budget must find (issue: risk flags a bureau can defend).
    "principal_next3m": "未来三个月到期本金",
    "interest_next3m": "未来三个月到期利息",
    "refinancing_next3m": "未来三个月预计到位再融资债券",
    "overdue_debt": "逾期债务",
    # 三保 by its parts: wages are paid in full every month.
    "wages_due": "当月应发工资",
    "wages_paid": "当月实发工资",
    "social_insurance_arrears": "欠缴社会保险费",
    # 财力: own revenue, transfers and what goes up (上解).
    "transfers_received": "转移支付收入",
    "remittances_up": "上解支出",
}

#: Other headers bureau workbooks use for the risk-table columns.
_RISK_VARIANTS: dict[str, tuple[str, ...]] = {
    "treasury_balance": ("库款余额", "国库库款余额", "期末库款余额", "库款"),
    "treasury_outflow": ("库款流出", "当月库款支出", "库款支出", "库款流出额"),
    "treasury_usable": ("可用库款余额", "可动用库款"),
    "sanbao_need": ("三保支出需求", "三保需求数", "三保标准支出需求"),
    "sanbao_budget": ("三保预算安排", "三保支出预算", "三保预算数", "三保年初预算"),
    "sanbao_paid": ("三保支出", "三保已支出", "三保累计已支出", "三保支出进度数"),
    "wage_arrears": ("拖欠工资", "欠发工资额", "工资拖欠"),
    "available_resources": ("可用财力总额",),
    "comprehensive_resources": ("综合财力总额",),
    "debt_balance": ("政府债务余额", "地方政府法定债务余额", "债务余额"),
    "hidden_debt_balance": ("隐性债务", "存量隐性债务余额"),
    "debt_service_due": ("到期还本付息", "全年到期债务本息", "当年到期还本付息"),
    "debt_service_paid": ("已还本付息", "累计还本付息", "已偿还本息", "偿还到期本息"),
    "debt_service_next3m": ("未来3个月到期还本付息", "未来三个月到期债务本息"),
    "principal_next3m": ("未来3个月到期本金", "未来三个月到期债务本金"),
    "interest_next3m": ("未来3个月到期利息", "未来三个月到期债务利息"),
    "refinancing_next3m": ("未来三个月再融资债券", "未来3个月预计到位再融资债券", "预计再融资债券"),
    "overdue_debt": ("逾期债务余额", "逾期债务金额"),
    "wages_due": ("应发工资", "当月应发工资数"),
    "wages_paid": ("实发工资", "当月实发工资数"),
    "social_insurance_arrears": ("欠缴社保费", "欠缴社会保险费用"),
    "transfers_received": ("上级转移支付", "转移支付", "上级补助收入"),
    "remittances_up": ("上解", "上解上级支出"),
    "interest_general": ("一般债务利息支出", "一般债务利息"),
    "interest_special": ("专项债务利息支出", "专项债务利息"),
    "gpb_expenditure": ("一般公共预算支出预算", "一般公共预算支出预算数"),
    "fund_expenditure": ("政府性基金预算支出预算", "政府性基金支出预算"),
    "advances_balance": ("暂付款", "暂付性款项余额"),
    "advances_prev_yearend": ("年初暂付款余额", "上年末暂付性款项余额"),
}

#: The flows of a cash plan (库款预测), with their Chinese names: outflows, then inflows.
CASH_FLOWS: dict[str, str] = {"wages": "工资", "sanbao": "三保支出", "debt_principal": "到期本金",
                              "debt_interest": "到期利息", "other_out": "其他流出", "refinancing": "再融资债券",
                              "transfers": "转移支付", "own_revenue": "自有收入", "other_in": "其他流入"}
CASH_OUTFLOWS = ("wages", "sanbao", "debt_principal", "debt_interest", "other_out")

#: The cash plan: one row per region × future month × flow (positive amounts).
CASH_PLAN_ALIASES: dict[str, tuple[str, ...]] = {
    **_ID_ALIASES,
    "period": MONTHLY_ALIASES["period"],
    "flow": ("资金流向", "收支类别", "项目", "类别", "流量", "收支项目"),
    "amount": ("金额", "预计金额", "计划金额", "数额"),
    **_UNIT_ALIAS,
    **_TEXT_ALIASES,
}

#: The special-factors table (可比口径): what moved an item's revenue away from its underlying course.
SPECIAL_ALIASES: dict[str, tuple[str, ...]] = {
    **_ID_ALIASES,
    "period": MONTHLY_ALIASES["period"],
    "item": MONTHLY_ALIASES["item"],
    "year": MONTHLY_ALIASES["year"],
    "label": ("特殊因素", "因素", "特殊因素名称", "因素名称", "说明", "事项", "减收因素", "增收因素"),
    "ytd_effect": ("累计影响", "影响金额", "影响数", "累计影响金额", "影响额", "影响收入", "增减收影响", "ytd effect"),
    # Written as a reduction (减收, 退税): a positive figure lowered revenue.
    "ytd_reduction": ("减收金额", "减收额", "减收", "退税金额", "退税额", "留抵退税额"),
    **_UNIT_ALIAS,
    "source": _TEXT_ALIASES["source"],
    "note": ("备注", "注"),
}

RISK_ALIASES: dict[str, tuple[str, ...]] = {
    **_ID_ALIASES,
    "parent_code": REGION_ALIASES["parent_code"],
    "period": MONTHLY_ALIASES["period"],
    "grade": REGION_ALIASES["grade"],
    **{column: (zh, *_RISK_VARIANTS.get(column, ())) for column, zh in RISK_AMOUNTS.items()},
    **_UNIT_ALIAS,
    **_TEXT_ALIASES,
}

#: Chinese labels of canonical columns, for reports and the summary.
COLUMN_ZH: dict[str, str] = {
    "region_code": "地区编码",
    "region": "地区",
    "parent_code": "上级编码",
    "level": "级次",
    "grade": "风险等级",
    "period": "期间",
    "year": "年度",
    "item": "项目",
    "ytd": "累计",
    "yoy_pct": "同比增长(%)",
    "yoy_change": "同比增减额",
    "completion_pct": "预算完成率(%)",
    "unit": "单位",
    "budget": "年初预算",
    "adjusted_budget": "调整预算",
    "outturn": "全年完成",
    **RISK_AMOUNTS,
}


def item_zh(key: str) -> str:
    """Chinese name of an item key, or the key itself when the registry does not know it.

    >>> item_zh("gpb_revenue")
    '一般公共预算收入'
    """
    item = ITEMS.get(key)
    return item.zh if item else key


def odds_text(p: float) -> str:
    """完成预算概率 as the report writes it: never a flat 0% or 100%.

    >>> odds_text(0.0001), odds_text(0.5), odds_text(0.9995)
    ('<1%', '50%', '>99%')
    """
    if not math.isfinite(p):
        return ""
    return "<1%" if p < 0.005 else ">99%" if p > 0.995 else f"{p:.0%}"
