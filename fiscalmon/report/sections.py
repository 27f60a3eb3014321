"""The report's tables with their Chinese headers (units in the headers), shared by HTML and Excel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..forecast import METHOD_ZH
from ..regions import OWN_LEVEL_SUFFIX
from ..risk.indicators import CASH_BASIS_ZH
from ..schema import odds_text

if TYPE_CHECKING:  # (the report's classes; no import at run time, so imports run one way)
    from .model import MonthlyReport

#: Columns that hold a risk level (shown as a coloured badge in HTML, coloured by rule in Excel).
LEVEL_COLUMNS = ("指标测算最高预警等级", "财政运行等级（认定）", "债务风险等级（测算）", "等级", "上月等级")
_CHANGE_SHOWN = ("new", "worsened", "improved", "cleared")


def shown_code(code: str) -> str:
    """A region code as a reader sees it: the area's own level (``652300-bj``) as 652300（本级）."""
    return f"{code.removesuffix(OWN_LEVEL_SUFFIX)}（本级）" if code.endswith(OWN_LEVEL_SUFFIX) else code


def risk_tables(report: MonthlyReport, *, complete: bool = False) -> dict[str, pd.DataFrame]:
    """County summary, red-level watch list, flag details and changes, red-level counties first.

    With ``complete=False`` (the HTML report) the details keep only flagged indicators (red, orange,
    yellow) and the changes only new, worsened, improved and cleared ones; the Excel workbook has all.
    """
    a = report.assessment
    counties = pd.DataFrame({
        "地区编码": a.counties["region_code"].map(shown_code), "地区": a.counties["region"],
        "财政运行等级（认定）": a.counties["grade"], "指标测算最高预警等级": a.counties["computed_grade"],
        "债务风险等级（测算）": a.counties["debt_risk_grade"],
        "红色": a.counties["n_red"], "橙色": a.counties["n_orange"], "黄色": a.counties["n_yellow"],
        "绿色": a.counties["n_green"], "未评估": a.counties["n_not_assessed"],
        "最需关注的指标": a.counties["worst_indicators"], "列入关注名单的原因": a.counties["watch_reason"],
    })
    w = a.watch
    watch = pd.DataFrame({
        "地区": w["region"], "财政运行等级（认定）": w["grade"], "指标测算最高预警等级": w["computed_grade"],
        "列入原因": w["watch_reason"],
        "库款口径": w["cash_basis"].map(CASH_BASIS_ZH).fillna(w["cash_basis"]),
        "库款(亿元)": w["treasury_cash"], "库款保障水平": w["treasury_coverage"],
        "欠发工资(亿元)": w["wage_arrears"], "欠缴社会保险费(亿元)": w["social_insurance_arrears"],
        "未来三个月到期还本付息(亿元)": w["debt_service_next3m"],
        "预计到位再融资债券(亿元)": w["refinancing_next3m"], "需自有资金偿还(亿元)": w["debt_own_need_next3m"],
        "合计需支付(亿元)": w["due_total"], "支付后库款(亿元)": w["cash_after"],
        "月均三保支出(亿元)": w["sanbao_monthly"], "可保障三保月数(月)": w["sanbao_months_after"],
        "预测最低月末库款(亿元)": w["outlook_lowest_cash"], "预计出现缺口月份": w["outlook_short_period"],
        "说明": w["note"],
    })
    f = a.flags if complete else a.flags[a.flags["level"].isin(["red", "orange", "yellow"])]
    flags = pd.DataFrame({
        "地区": f["region"], "指标": f["indicator_zh"], "数值": f["value"], "单位": f["unit"], "等级": f["level"],
        "说明": f["message"], "阈值来源": f["threshold_source"],
    })
    c = a.changes if complete else a.changes[a.changes["change"].isin(_CHANGE_SHOWN)]
    changes = pd.DataFrame({
        "地区": c["region"], "指标": c["indicator_zh"], "上月等级": c["previous_level"], "等级": c["level"],
        "上月数值": c["previous_value"], "本月数值": c["value"], "变化": c["change_zh"],
    })
    tables = {"counties": counties, "watch": watch, "flags": flags, "changes": changes}
    o = getattr(a, "outlook", None)
    if o is not None and len(o):
        names = a.counties.set_index("region_code")["region"]
        tables["outlook"] = pd.DataFrame({
            "地区": o["region_code"].map(names).fillna(o["region_code"]), "月份": o["period"].astype(str),
            "月初库款(亿元)": o["start_cash"], "流入(亿元)": o["inflow"], "流出(亿元)": o["outflow"],
            "月末库款(亿元)": o["end_cash"], "库款保障水平": o["coverage"],
            "缺少的流入": o["missing_inflows"], "缺少的流出": o["missing_outflows"],
        })
    return tables


def notes(report: MonthlyReport) -> list[str]:
    """The method notes at the end of the report: what each figure rests on."""
    p = _shown_rows(report)
    lines = grouped_notes(report)
    lines.append(f"收入预测方法：{METHOD_ZH.get(p['method'].iloc[0], p['method'].iloc[0])}。" if len(p) else "无收入预测。")
    sources = p["interval_source"].map(INTERVAL_ZH).fillna(p["interval_source"]).value_counts() if len(p) else {}
    if len(sources):
        lines.append("预测区间来源：" + "，".join(f"{k}{v}个" for k, v in sources.items()) + "。")
    assumed = p.loc[p["assumptions"] != "", "assumptions"].value_counts() if len(p) else pd.Series(dtype=int)
    lines += [f"假设（{count}个地区）：{text}" for text, count in assumed.items()]
    if len(p) and p["budget"].isna().all():
        lines.append("未提供预算（年度表的预算数，或月度表的预算完成率）：预算完成进度、完成全年预算的概率和剩余月份所需增速不可得。")
    if report.scope_basis:
        lines.append(report.scope_basis)
    track = report.summary.track_record
    if track:
        covered = "" if np.isnan(track.coverage80) else f"，80%区间覆盖了其中{track.coverage80:.0%}的实际值"
        lines.append(f"历史检验：以往各年{report.month.month}月末用同一方法预计全年，平均绝对百分比误差"
                     f"{track.mape:.1f}%（{track.n}个县年{covered}；fiscalmon backtest 可复核）。")
    if report.assessment is not None:
        lines.append("风险等级：各指标按阈值文件分级（边界按 [下限, 上限) 处理，除非来源另有规定）；指标测算最高预警等级取县市区已评估的财政运行指标中最差的等级，不含债务风险等级，也不是认定的财政运行等级；"
                     "缺少输入的指标为“未评估”，不视为绿色。阈值及其来源见 fiscalmon thresholds。")
    lines.append(f"报告生成时间 {report.generated_at}；同样的输入生成同样的报告（生成时间除外）。")
    return lines


def summary_lines(report: MonthlyReport) -> list[list]:
    """The summary sheet of the workbook: label, number."""
    s = report.summary
    rows = [["项目", "数值"], [report.title, None], ["数据截至", str(report.month)],
            ["县市区数", s.counties], ["序时进度(%)", s.time_progress_pct],
            ["完成进度慢于序时和历年同期的县市区数", s.behind_both],
            ["完成全年预算概率低于50%的县市区数", s.unlikely]]
    if report.assessment is not None:
        changes = s.changes
        rows += [["测算红色等级县市区数", s.red_computed], ["认定红色等级县市区数", s.red_official],
                 ["较上月新增预警指标数", changes.get("new", 0)], ["较上月恶化指标数", changes.get("worsened", 0)],
                 ["较上月好转指标数", changes.get("improved", 0)], ["较上月消除预警指标数", changes.get("cleared", 0)]]
    track = s.track_record
    if track:
        rows += [[f"历史检验：以往{report.month.month}月末预计全年的平均绝对百分比误差(%)", track.mape],
                 ["历史检验：80%区间覆盖率", track.coverage80], ["历史检验：县年数", track.n]]
    rows.append(["报告生成时间", report.generated_at])
    return rows


#: Where an interval came from, as the report says it.
INTERVAL_ZH = {"backtest": "历史回测", "backtest-panel": "历史回测（汇集本表各地区误差）", "simulation": "模型模拟",
               "reference": "参考误差", "none": "无"}
#: Odds resting on fewer past years of the series' own errors than this are marked 参考.
FEW_YEARS = 3


def _shown_rows(report: MonthlyReport) -> pd.DataFrame:
    """The area's own rows (全州, 州本级) first, then the counties."""
    return pd.concat([report.area_rows, report.projections], ignore_index=True) if len(report.area_rows) \
        else report.projections


def odds_note(row) -> str:
    """What a reader should know about a row's odds: resting on few years, or pointing the other way
    than the point (the past errors at this month lean to one side)."""
    said = []
    if np.isfinite(row["p_attain"]) and row.get("past_years", FEW_YEARS) < FEW_YEARS:
        said.append(f"参考（仅{int(row['past_years'])}年同期误差）")
    if np.isfinite(row["p_attain"]) and np.isfinite(row["budget"]):
        if row["point"] < row["budget"] and row["p_attain"] > 0.5:
            said.append("预计值低于预算而概率过半：以往同月预测多偏低")
        elif row["point"] > row["budget"] and row["p_attain"] < 0.5:
            said.append("预计值高于预算而概率不足一半：以往同月预测多偏高")
    return "；".join(said)


def projection_table(report: MonthlyReport) -> pd.DataFrame:
    """The projections section as shown (Chinese headers with units): 全州 and 州本级, then the counties."""
    p = _shown_rows(report)
    table = pd.DataFrame({
        "地区编码": p["region_code"].map(shown_code), "地区": p["region"],
        "累计完成(亿元)": p["ytd"], "同比增长(%)": p["yoy_pct"],
    })
    if (p["special_full_year"].abs() > 0).any():
        table["可比增长(%)"] = p["yoy_comparable_pct"]
    table = table.assign(**{
        "预算(亿元)": p["budget"], "预算完成率(%)": p["completion_pct"],
        "序时进度(%)": p["time_progress_pct"], "历年同期进度(%)": p["hist_progress_pct"],
        "全年预计(亿元)": p["point"], "80%区间下限(亿元)": p["lo80"], "80%区间上限(亿元)": p["hi80"],
        "完成预算概率": p["p_attain"], "剩余月份需增长(%)": p["required_rest_growth_pct"],
        "区间来源": p["interval_source"].map(INTERVAL_ZH).fillna(p["interval_source"]),
        "说明": [odds_note(row) for _, row in p.iterrows()],
    })
    return table.reset_index(drop=True)


def behind_mask(report: MonthlyReport) -> np.ndarray:
    """Rows (as :func:`projection_table` shows them) behind both 序时进度 and 历年同期进度."""
    p = _shown_rows(report)
    return ((p["completion_pct"] < p["time_progress_pct"]) & (p["completion_pct"] < p["hist_progress_pct"])).to_numpy()


def quality_table(report: MonthlyReport) -> pd.DataFrame:
    """税收收入 and 非税收入 side by side, with the tax share and its change (empty without them)."""
    q = report.quality
    if q.empty:
        return q
    return pd.DataFrame({
        "地区": q["region"], "税收收入(亿元)": q["tax_ytd"], "税收同比增长(%)": q["tax_yoy_pct"],
        "税收完成预算(%)": q["tax_completion_pct"], "非税收入(亿元)": q["nontax_ytd"],
        "非税同比增长(%)": q["nontax_yoy_pct"], "非税完成预算(%)": q["nontax_completion_pct"],
        "税收占比(%)": q["tax_share_pct"], "税收占比较上年同期(百分点)": q["tax_share_change_pp"],
    }).dropna(axis=1, how="all")


def since_table(report: MonthlyReport) -> pd.DataFrame:
    """What moved since last month's report (empty in January)."""
    c = report.since_last_month
    if c.empty:
        return c
    state = np.where(c["newly_behind"], "新进入进度双落后", np.where(c["no_longer_behind"], "退出进度双落后", ""))
    return pd.DataFrame({
        "地区": c["region"], "上月全年预计(亿元)": c["previous_point"], "本月全年预计(亿元)": c["point"],
        "变动(亿元)": c["change"], "当月收入(亿元)": c["month_amount"], "当月收入同比(%)": c["month_yoy_pct"],
        "上月完成预算概率": c["previous_p_attain"], "本月完成预算概率": c["p_attain"], "进度": state,
    })


def _fmt(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}" if np.isfinite(value) else "—"


def _growth(value: float) -> str:
    """同比增长3.93% / 同比下降2.65% as bureaus write a signed growth."""
    if not np.isfinite(value):
        return ""
    return f"增长{value:.2f}%" if value >= 0 else f"下降{-value:.2f}%"


def opening(report: MonthlyReport) -> list[str]:
    """The paragraph a leader reads first, as bureaus write it; every number is one of the tables'."""
    s = report.summary
    s_item = s.item_zh
    lines = []
    area = report.area_rows
    period = report.period_words
    if len(area):
        total = area.iloc[0]
        said = f"{period}，{total['region']}{s_item}完成{_fmt(total['ytd'])}亿元，同比{_growth(total['yoy_pct'])}"
        if abs(total.get("special_full_year", 0) or 0) > 0 and np.isfinite(total["yoy_comparable_pct"]):
            said += f"（可比口径{_growth(total['yoy_comparable_pct'])}）"
        if np.isfinite(total["completion_pct"]):
            said += (f"，完成预算的{total['completion_pct']:.2f}%，序时进度{total['time_progress_pct']:.2f}%，"
                     f"历年同期进度{_fmt(total['hist_progress_pct'])}%")
        lines.append(said + "。")
        for _, own in area.iloc[1:].iterrows():
            lines.append(f"其中，{own['region']}完成{_fmt(own['ytd'])}亿元，同比{_growth(own['yoy_pct'])}。")
        if np.isfinite(total["point"]):
            odds = ""
            if np.isfinite(total["p_attain"]):
                odds = f"，完成全年预算{_fmt(total['budget'])}亿元的概率{odds_text(total['p_attain'])}"
            lines.append(f"按{METHOD_ZH.get(total['method'], total['method'])}，预计全年完成{_fmt(total['point'])}亿元"
                         f"（80%区间{_fmt(total['lo80'])}—{_fmt(total['hi80'])}亿元）{odds}。")
    if s.counties:
        behind = f"，进度双落后的{s.behind_both}个（{'、'.join(s.behind_names[:10])}{'等' if len(s.behind_names) > 10 else ''}）" \
            if s.behind_both else "，无进度双落后的县市区"
        unlikely = f"；完成全年预算概率低于50%的{s.unlikely}个" if s.with_budget else ""
        lines.append(f"{s.counties}个县市区中{behind}{unlikely}。")
    if report.assessment is not None:
        said = f"认定红色等级县市区{s.red_official}个；指标测算最高预警等级为红色的县市区{s.red_computed}个"
        if s.cash_short_names:
            said += f"；按现金流计划，预计三个月内库款出现缺口的{len(s.cash_short_names)}个（{named(s.cash_short_names, 10)}）"
        lines.append(said + "。")
    return lines


#: Headings of the report's sections, shared by HTML and Word (Excel names its sheets more briefly).
HEADINGS = {"summary": "一、摘要", "projection": "二、全年收入预测", "quality": "收入质量：税收收入与非税收入",
            "since": "较上月报告的变化", "risk": "三、风险提示（认定红色等级县市区优先）", "counties": "县市区汇总",
            "watch": "关注名单：认定红色等级县市区及指标测算红色预警县市区（工资、三个月内需自筹债务本息与库款）", "flags": "预警指标明细",
            "changes": "较上月变化", "outlook": "库款预测：未来三个月月末库款（按现金流计划）", "notes": "说明"}
#: What the month-over-month table's figures are.
SINCE_NOTE = "变动为本月与上月同一方法预计全年之差；当月收入为本月累计减上月累计，同比为与上年同月相比。"


def meta_line(report: MonthlyReport) -> str:
    """The line under the title: data month, scope, item, run time."""
    s = report.summary
    return (f"数据截至 {report.month.year} 年 {report.month.month} 月 · 范围：{report.scope}（{s.counties} 个县市区）"
            f" · 预测项目：{s.item_zh} · 生成时间 {report.generated_at}")


def cards(report: MonthlyReport) -> list[tuple[int, str, bool]]:
    """The opening figures as (number, what it counts, whether it calls for attention)."""
    s = report.summary
    shown = [(s.behind_both, f"个县市区收入完成进度慢于序时进度（{s.time_progress_pct:.2f}%）和历年同期进度", s.behind_both > 0),
             (s.unlikely, f"个县市区完成全年预算的概率低于 50%（有预算的 {s.with_budget} 个）", s.unlikely > 0)]
    if report.assessment is not None:
        worse = s.changes.get("new", 0) + s.changes.get("worsened", 0)
        shown += [(s.red_computed, f"个县市区指标测算最高预警等级为红色（认定红色等级 {s.red_official} 个）", s.red_computed > 0),
                  (worse, f"项指标较上月新增或恶化；好转 {s.changes.get('improved', 0)} 项，"
                          f"消除 {s.changes.get('cleared', 0)} 项", False)]
    return shown


def name_lists(report: MonthlyReport) -> list[tuple[str, str]]:
    """The counties a leader asks about by name: (label, the names joined), only lists that are not empty."""
    s = report.summary
    lists = [("认定红色等级县市区", s.red_names),
             ("指标测算最高预警等级为红色（非认定红色等级）", s.red_computed_names),
             ("预计三个月内库款出现缺口（月份）", s.cash_short_names),
             ("完成预算可能性低", s.unlikely_names), ("进度双落后", s.behind_names)]
    return [(label, named(names)) for label, names in lists if names]


#: How many names a list in the opening section shows; the tables below list every county.
NAMES_SHOWN = 30


def named(names: list[str], shown: int = NAMES_SHOWN) -> str:
    """Names joined with 、, at most ``shown`` of them and how many in all, so a province's list stays
    a paragraph: 甲县、乙县等33个（其余31个见下表）."""
    if len(names) <= shown:
        return "、".join(names)
    return "、".join(names[:shown]) + f"等{len(names)}个（其余{len(names) - shown}个见下表）"


def projection_note(report: MonthlyReport) -> str:
    """What the projection table's figures rest on, under the table."""
    p = report.projections
    method = METHOD_ZH.get(p["method"].iloc[0], p["method"].iloc[0]) if len(p) else ""
    return (f"全年预计为{method}；80%区间来自同一方法在以往年份同月的预测误差（历史回测）、模型模拟或随附的参考误差。"
            "完成预算概率为全年收入不低于预算（调整预算批准后为调整预算）的概率，与预计值和区间出自同一误差分布；"
            "依据不足三年同期误差的标注“参考”。剩余月份需增长为达到预算所需的剩余月份较上年同期增幅。")


def grouped_notes(report: MonthlyReport) -> list[str]:
    """The readers' notes, one line per kind with a count, those that change numbers first."""
    from ..errors import NOTE_KINDS

    order = list(NOTE_KINDS)
    groups: dict[str, list] = {}
    for note in report.data_notes:
        groups.setdefault(getattr(note, "kind", ""), []).append(note)
    lines = []
    for kind in sorted(groups, key=lambda k: order.index(k) if k in order else len(order)):
        first = groups[kind][0]
        lines.append(f"数据说明（{NOTE_KINDS.get(kind, kind)}，{len(groups[kind])}条）：{first.action}")
    return lines

