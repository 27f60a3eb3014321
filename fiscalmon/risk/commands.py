"""The ``fiscalmon flags`` and ``fiscalmon thresholds`` commands.

:func:`add_commands` registers them on the main parser's subparsers; ``fiscalmon.cli.main`` runs
``args.run(args)`` and turns a :class:`~fiscalmon.errors.FiscalDataError` into exit status 2.
Bad input (a file, a month, a thresholds file) is reported as located problems, never as a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..args import ArgumentError, month_like
from ..cliread import add_reading_arguments, read_files
from ..io import read_cash_plan, read_risk
from ..textout import add_encoding_argument, emit, render_table
from .assess import assess
from .indicators import CHANGE_ZH
from .thresholds import load_thresholds

__all__ = ["add_commands", "cmd_flags", "cmd_thresholds"]

_TABLES = ("flags", "counties", "changes", "watch", "outlook")


def add_commands(subparsers) -> None:
    """Register ``flags`` and ``thresholds`` on an argparse subparsers object.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="fiscalmon")
    >>> add_commands(parser.add_subparsers(dest="command", required=True))
    >>> parser.parse_args(["flags", "risk.csv", "--month", "2023-06"]).month
    '2023-06'
    """
    flags = subparsers.add_parser(
        "flags", help="risk flags of every county for one month, red-level counties first",
        description="Grade every county's 三保, debt, treasury cash and temporary-advance indicators for one "
                    "month against the thresholds in force, with a Chinese message quoting the numbers.")
    flags.add_argument("risk_table", nargs="+",
                       help="county risk table(s): .csv (UTF-8/GBK) or .xlsx (docs/data-format.md, Risk); several "
                            "files (a file a month) are read as one table")
    flags.add_argument("--month", required=True, help="month to assess, YYYY-MM")
    flags.add_argument("--thresholds", help="a province's thresholds TOML file, over the shipped defaults")
    flags.add_argument("--cash-plan", dest="cash_plan", metavar="FILE",
                       help="cash plan (现金流计划: 地区, 月份, 资金流向, 金额) for the months after --month: projects "
                            "month-end treasury cash over the next three months (库款预测, indicator cash_outlook)")
    flags.add_argument("--table", choices=_TABLES,
                       help="print only this table (default: a report of all four; with --format csv, flags)")
    flags.add_argument("--sheet", help="worksheet name of an .xlsx file (default: the first, unless another sheet holds this table)")
    add_reading_arguments(flags)
    flags.add_argument("--format", choices=("table", "csv"), default="table")
    flags.add_argument("-o", "--output", help="write to this file instead of the screen")
    add_encoding_argument(flags)
    flags.set_defaults(run=cmd_flags)

    thresholds = subparsers.add_parser(
        "thresholds", help="every risk threshold in force, with its unit, date, source and confidence tag",
        description="Print the shipped default thresholds (and a province's file over them), one row per band.")
    thresholds.add_argument("--thresholds", help="a province's thresholds TOML file, over the shipped defaults")
    thresholds.add_argument("--month", help="only the bands in force in this month, YYYY-MM")
    thresholds.add_argument("--province", help="with --month: the province (GB/T 2260 code such as 650000)")
    thresholds.add_argument("--format", choices=("table", "csv"), default="table")
    thresholds.add_argument("-o", "--output", help="write to this file instead of the screen")
    add_encoding_argument(thresholds)
    thresholds.set_defaults(run=cmd_thresholds)


def cmd_flags(args) -> None:
    label = ", ".join(Path(p).name for p in args.risk_table)
    month = month_like(args.month, "--month")
    thresholds = load_thresholds(args.thresholds)
    table = read_files(read_risk, args.risk_table, args, "risk", sheet=args.sheet)
    plan = read_files(read_cash_plan, [args.cash_plan], args, "cash_plan") if getattr(args, "cash_plan", None) else None
    result = assess(table, month, thresholds, cash_plan=plan)
    if args.table or args.format == "csv":
        chosen = getattr(result, args.table or "flags")
        emit(render_table(chosen, args.format), args)
        return
    emit(_report(result, label, args.thresholds), args)


def _report(result, label: str, thresholds_file: str | None) -> str:
    counties, flags, changes = result.counties, result.flags, result.changes
    red = counties[counties["red_level"]]
    source = "the shipped defaults" + (f" with {Path(thresholds_file).name} over them" if thresholds_file else "")
    head = [
        f"Risk flags for {result.month} from {label}: {len(counties)} counties × {flags['indicator'].nunique()} "
        f"indicators; thresholds: {source} (fiscalmon thresholds lists them with their sources).",
        "computed_grade = 指标测算最高预警等级, the worst level among a county's assessed 财政运行 indicators "
        "(not an official grade; the debt colour grade is debt_risk_grade, apart). "
        f"Red-level counties (official 财政运行红色等级 only): {len(red)}; counties with a red indicator: "
        f"{int((counties['computed_grade'] == 'red').sum())}.",
        "",
        "Counties, red-level first:",
    ]
    shown = counties.drop(columns=["period", "red_level"])
    watch = result.watch[["region_code", "region", "grade", "computed_grade", "debt_risk_grade", "cash_basis",
                          "treasury_cash", "wage_arrears", "debt_own_need_next3m", "due_total", "cash_after",
                          "sanbao_months_after", "outlook_lowest_cash", "outlook_short_period"]]
    flagged = flags[~flags["level"].isin(["green"])][["region_code", "region", "indicator_zh", "level", "message"]]
    moved = changes[~changes["change"].isin(["unchanged"])]
    counts = changes["change"].value_counts()
    tally = ", ".join(f"{name} {counts.get(name, 0)}" for name in CHANGE_ZH)
    parts = [
        "\n".join(head), render_table(shown, "table"),
        "Watch list (official red-level counties, then counties with a red indicator; 亿元): treasury cash against "
        "wage and social-insurance arrears and the debt service the budget must find in the next three months "
        "(due − refinancing expected); sanbao_months_after = cash left ÷ (三保 budget ÷ 12); outlook = the cash "
        "plan's lowest month-end cash and first month short.",
        render_table(watch, "table"),
        "Flags other than green (--format csv gives every row, green included):",
        render_table(flagged, "table"),
        f"Changes since the previous month: {tally}.",
        render_table(moved[["region_code", "region", "indicator_zh", "previous_period", "previous_level", "level",
                       "change"]], "table"),
    ]
    if len(result.outlook):
        outlook = result.outlook[["region_code", "region", "period", "start_cash", "inflow", "outflow", "end_cash",
                                  "coverage", "missing_inflows", "missing_outflows"]]
        parts[4:4] = ["Cash outlook (库款预测; 亿元): month-end cash over the next three months from the cash plan; "
                      "coverage = end cash ÷ average monthly outflow; a flow the plan leaves out is listed, not taken as 0.",
                      render_table(outlook, "table")]
    return "\n".join(parts)


def cmd_thresholds(args) -> None:
    thresholds = load_thresholds(args.thresholds)
    if args.province and not args.month:
        raise ArgumentError("--province", args.province, "given with --month",
                            "Add --month 2023-06 to see the bands in force for a province in a month.")
    if args.province and not re.fullmatch(r"\d{2}0000", args.province):
        raise ArgumentError("--province", args.province, "a GB/T 2260 province code such as 650000")
    month = month_like(args.month, "--month") if args.month else None
    table = thresholds.table(month, args.province)
    if args.format == "csv":
        emit(render_table(table, "csv"), args)
        return
    lines = [f"Risk thresholds ({', '.join(thresholds.files)}); bands are [lower, upper) unless shown otherwise.",
             "tag: C confirmed in a public source; P one province only or a secondary source; "
             "U common practice, no source found (a configurable default).", ""]
    keys = ["indicator", "indicator_zh", "scope", "in_force", "origin", "unit"]
    for (key, zh, scope, in_force, origin, unit), bands in table.groupby(keys, sort=False):
        lines.append(f"{zh} {key} ({unit}); provinces: {scope}; {in_force}; {origin}")
        width = max(len(band) for band in bands["band"])
        for band in bands.itertuples():
            dated = f" effective {band.effective}" if band.effective else ""
            lines.append(f"  {band.level:<7} {band.band:<{width}}  {band.label}  [{band.tag}]{dated}")
            lines.append(f"          source: {band.source}")
            if band.note:
                lines.append(f"          note: {band.note}")
        lines.append("")
    emit("\n".join(lines), args)
