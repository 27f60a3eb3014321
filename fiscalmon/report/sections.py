"""The report's tables with their Chinese headers (units in the headers), shared by HTML and Excel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..forecast import METHOD_ZH

if TYPE_CHECKING:  # (the report's classes; no import at run time, so imports run one way)
    from .model import MonthlyReport

#: Columns that hold a risk level (shown as a coloured badge in HTML, coloured by rule in Excel).
LEVEL_COLUMNS = ("测算等级", "认定等级", "等级", "上月等级")
_CHANGE_SHOWN = ("new", "worsened", "improved", "cleared")


def risk_tables(report: MonthlyReport, *, complete: bool = False) -> dict[str, pd.DataFrame]:
    """County summary, red-level watch list, flag details and changes, red-level counties first.

    With ``complete=False`` (the HTML report) the details keep only flagged indicators (red, orange,
    yellow) and the changes only new, worsened, improved and cleared ones; the Excel workbook has all.
    """
    a = report.assessment
    counties = pd.DataFrame({
        "地区编码": a.counties["region_code"], "地区": a.counties["region"],
        "认定等级": a.counties["grade"], "测算等级": a.counties["computed_grade"],
        "红色": a.counties["n_red"], "橙色": a.counties["n_orange"], "黄色": a.counties["n_yellow"],
        "绿色": a.counties["n_green"], "未评估": a.counties["n_not_assessed"],
        "最需关注的指标": a.counties["worst_indicators"],
    })
    w = a.watch
    watch = pd.DataFrame({
        "地区": w["region"], "认定等级": w["grade"], "测算等级": w["computed_grade"], "库款口径": w["cash_basis"],
        "库款(亿元)": w["treasury_cash"], "库款保障水平(月)": w["treasury_coverage"],
        "欠发工资(亿元)": w["wage_arrears"], "未来三个月到期还本付息(亿元)": w["debt_service_next3m"],
        "合计需支付(亿元)": w["due_total"], "支付后库款(亿元)": w["cash_after"],
        "月均三保支出(亿元)": w["sanbao_monthly"], "可保障三保月数(月)": w["sanbao_months_after"], "说明": w["note"],
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
    return {"counties": counties, "watch": watch, "flags": flags, "changes": changes}


def notes(report: MonthlyReport) -> list[str]:
    """The method notes at the end of the report: what each figure rests on."""
    p = report.projections
    lines = [f"收入预测方法：{METHOD_ZH.get(p['method'].iloc[0], p['method'].iloc[0])}（{p['method'].iloc[0]}）。"
             if len(p) else "无收入预测。"]
    sources = p["interval_source"].value_counts().to_dict() if len(p) else {}
    if sources:
        lines.append("预测区间来源：" + "，".join(f"{k} {v} 个" for k, v in sources.items()) + "。")
    assumptions = sorted(set(p["assumptions"]) - {""}) if len(p) else []
    lines += [f"假设：{a}" for a in assumptions]
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
        lines.append("风险等级：各指标按阈值文件分级（边界按 [下限, 上限) 处理，除非来源另有规定）；县市区测算等级取其已评估指标中最差的等级；"
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


def projection_table(report: MonthlyReport) -> pd.DataFrame:
    """The projections section as shown (Chinese headers with units), one row per county."""
    p = report.projections
    return pd.DataFrame({
        "地区编码": p["region_code"], "地区": p["region"],
        "累计完成(亿元)": p["ytd"], "预算(亿元)": p["budget"], "预算完成率(%)": p["completion_pct"],
        "序时进度(%)": p["time_progress_pct"], "历年同期进度(%)": p["hist_progress_pct"],
        "全年预计(亿元)": p["point"], "80%区间下限(亿元)": p["lo80"], "80%区间上限(亿元)": p["hi80"],
        "完成预算概率": p["p_attain"], "剩余月份需增长(%)": p["required_rest_growth_pct"],
        "区间来源": p["interval_source"],
    })


def behind_mask(report: MonthlyReport) -> np.ndarray:
    p = report.projections
    return ((p["completion_pct"] < p["time_progress_pct"]) & (p["completion_pct"] < p["hist_progress_pct"])).to_numpy()
