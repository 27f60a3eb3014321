"""Readers and writers for the canonical tables (see ``docs/data-format.md``).

The readers accept what analysts have: CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16,
Excel ``.xlsx``, a title line and a ``单位：万元`` line above the header, Chinese headers, the long
layout and the wide layouts bureaus export. They return the canonical long table with every amount
in 亿元, or raise one :class:`~fiscalmon.errors.FiscalDataError` that lists every problem found.

A pandas DataFrame is accepted wherever a path is, and goes through the same checks.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import parse, regions, validate
from .args import ArgumentError
from .errors import FiscalDataError, FiscalDataWarning, Problem
from .canonical import TEXT_COLUMNS, canonical_table, ordered
from .errors import Collector, note_warnings
from .grids import excel_sheets, load_grids
from .layout import TableSpec, describe_columns, grid_to_cells, header_of, locate_header, pick_sheet
from .joins import PRIOR_YEAR_NOTE, combine_tables, own_rows  # noqa: F401 - combine_tables re-exported
from .writers import atomic_write, write_table  # noqa: F401 - re-exported
from .schema import (
    ANNUAL_ALIASES,
    ITEMS,
    MONTHLY_ALIASES,
    REGION_ALIASES,
    RISK_ALIASES,
    SPECIAL_ALIASES,
    CASH_PLAN_ALIASES,
    RISK_AMOUNTS,
)

__all__ = [
    "read_monthly",
    "read_annual",
    "read_regions",
    "read_risk",
    "read_workbook",
    "Workbook",
    "write_table",
    "combine_tables",
]


MONTHLY_COLUMNS = ["region_code", "region", "period", "item", "ytd", "yoy_pct", "yoy_comparable_pct", "yoy_change",
                   "completion_pct", "yoy_pct_min", "budget", "adjusted_budget", "unit", "source_unit"]
ANNUAL_COLUMNS = ["region_code", "region", "year", "item", "budget", "adjusted_budget", "outturn",
                  "target_growth_pct", "adjusted_budget_date",
                  "unit", "source_unit"]
REGION_COLUMNS = ["region_code", "region", "parent_code", "level", "grade", "aliases"]
CASH_PLAN_COLUMNS = ["region_code", "region", "period", "flow", "amount", "unit", "source_unit"]
SPECIAL_COLUMNS = ["region_code", "region", "period", "item", "label", "ytd_effect", "unit", "source_unit"]
RISK_COLUMNS = ["region_code", "region", "parent_code", "period", "ten_day", "grade", *RISK_AMOUNTS, "unit",
                "source_unit"]

# ---- the table reader --------------------------------------------------------------------------

#: The columns each kind of table needs before its rows can be checked.
_KEY_COLUMNS = {"monthly": ("region_code", "period", "item"), "annual": ("region_code", "year", "item"),
                "regions": ("region_code",), "risk": ("region_code", "period"),
                "special": ("region_code", "period", "item"), "cash_plan": ("region_code", "period", "flow")}
#: Every kind of table by name (to say which kind a file that fails as one looks like).
_SPECS: dict[str, TableSpec] = {}
_MONTHLY = TableSpec("monthly", MONTHLY_ALIASES, ("ytd", "yoy_change", "ytd_prior", "budget", "adjusted_budget"),
                     ("yoy_pct", "yoy_comparable_pct", "completion_pct", "yoy_pct_min"),
                     "region, period, item and an amount or growth (地区, 月份, 项目, 累计, 同比增长)",
                     wide=("item", "month"), default_measure="ytd",
                     measures=("ytd", "yoy_pct", "yoy_comparable_pct", "completion_pct", "yoy_change", "ytd_prior",
                               "budget", "adjusted_budget"),
                     distinctive=("period", "item"))
_ANNUAL = TableSpec("annual", ANNUAL_ALIASES, ("budget", "adjusted_budget", "outturn"), ("target_growth_pct",),
                    "region, year, item and budget or outturn (地区, 年度, 项目, 预算数, 决算数)",
                    wide=("item", "year"), measures=("budget", "adjusted_budget", "outturn"),
                    distinctive=("year", "item"))
_REGIONS = TableSpec("regions", REGION_ALIASES, (), (), "region code, name and level (地区编码, 地区, 级次)",
                     distinctive=("level", "parent_code"))
_SPECIAL = TableSpec("special", SPECIAL_ALIASES, ("ytd_effect", "ytd_reduction"), (),
                     "region, period, item and the effect of a special factor (地区, 月份, 项目, 特殊因素, 累计影响)",
                     distinctive=("label",))
_CASH_PLAN = TableSpec("cash_plan", CASH_PLAN_ALIASES, ("amount",), (),
                       "region, future month, flow and amount (地区, 月份, 资金流向, 金额)", distinctive=("flow",))
_RISK = TableSpec("risk", RISK_ALIASES, tuple(RISK_AMOUNTS), (), "region, period and risk indicators (地区, 月份, 月末库款余额 …)",
                  distinctive=("period", "grade"))
_SPECS.update({spec.name: spec for spec in (_MONTHLY, _ANNUAL, _REGIONS, _RISK, _SPECIAL, _CASH_PLAN)})


def _region_argument(region) -> tuple[str | None, str | None] | None:
    """region= as (code, name): '652300 昌吉州', '652300' or '昌吉州'."""
    if region is None:
        return None
    text = parse.clean_text(region)
    if text is None:
        raise ArgumentError("region", region, "a code, a name, or both ('652300 昌吉州')")
    first, _, rest = text.partition(" ")
    if any(ch.isdigit() for ch in first):
        return parse.parse_code(first), parse.clean_text(rest)
    return None, text


def _read_table(source, spec: TableSpec, *, sheet=None, unit=None, year=None, encoding=None,
                region=None, region_table=None, prefecture=None) -> pd.DataFrame:
    region = _region_argument(region)
    if unit is not None:
        try:
            parse.parse_unit(unit)
        except parse.CellError:
            raise ArgumentError("unit", unit, "one of 元, 万元, 亿元 (the unit of the file's amounts)") from None
    grids = load_grids(source, sheet=sheet, encoding=encoding)
    out = Collector(grids[0].label)
    grid = pick_sheet(grids, spec, out) if len(grids) > 1 else grids[0]
    try:
        table, layout = _read_grid(grid, spec, out, unit=unit, year=year, region=region, region_table=region_table,
                                   prefecture=prefecture)
    except FiscalDataError as exc:
        hint = _other_kind(grid, spec)
        raise FiscalDataError(exc.problems + ([hint] if hint else []), exc.uncounted) from None
    hint = _other_kind(grid, spec, clearly=True)
    if hint is not None:  # read, but as the wrong kind of table (a risk table as monthly balances)
        raise FiscalDataError([hint])
    _emit_warnings(out)
    table = table.drop(columns="_row").reset_index(drop=True)
    table.attrs.update({"source_file": grid.label, "encoding": grid.encoding, "layout": layout})
    return table


def _read_grid(grid, spec: TableSpec, out: Collector, *, unit, year, region, region_table, prefecture):
    cells, layout, context = grid_to_cells(grid, spec, out, year=year, region=region)
    _something_usable(cells, context.headers, spec, out)
    directory = region_directory(region_table) if spec.name != "regions" else None
    if directory is not None and "region_code" not in cells and "region" not in cells:
        _region_from_title(cells, context, directory, out)
    table = canonical_table(cells, spec, out, unit_above=context.unit, unit_arg=unit, year=year)
    if any(name not in table for name in _KEY_COLUMNS[spec.name]) or any(p.row is None for p in out.problems):
        raise out.fail()  # (a column missing or the table's shape is wrong: reported; no row to check)
    unreadable = {p.row for p in out.problems}
    if "region_code" in table and directory is not None:
        table = regions.resolve(table, directory, out, prefecture=prefecture, title_lines=context.lines)
    if "ytd_prior" in table:
        table = _prior_year_rows(table, cells, out)
    if "region_code" in table:
        checked = Collector(grid.label)
        table = validate.check(table, spec.name, checked, unreadable_rows=unreadable,
                               levels=directory.levels if directory else None)
        _name_columns_as_written(checked, cells, out)
    if table.empty and not out.problems:
        out.error(None, None, None, "at least one row of figures below the header",
                  "The file has a header and no figures: check that this is the right file, or the right "
                  "sheet of a workbook (pass sheet= to choose one).")
    if out.problems:
        raise out.fail()
    return table, layout


def _region_from_title(cells: pd.DataFrame, context, directory: regions.Directory, out: Collector) -> None:
    """A one-region table without a region column: the region its title names (木垒县2024年…), noted."""
    code = directory.region_in(context.lines)
    if code is None:
        return
    line = next(l for l in context.lines if directory.region_in([l]) == code)
    cells["region_code"], cells["_hdr_region_code"] = code, line
    out.warn(None, None, line, "a region column (地区)",
             f"The table has none: every row is read as {code} {directory.name(code)}, the region its title names. "
             "Pass region= (--file-region) if that is wrong.", kind="regions")


def _something_usable(cells: pd.DataFrame, headers: list[str], spec: TableSpec, out: Collector) -> None:
    """A risk table with none of the indicator columns would grade every county 'not assessed': refuse it,
    listing the columns found and those expected."""
    if spec.name != "risk" or any(name in cells for name in RISK_AMOUNTS):
        return
    out.error(None, None, ", ".join(headers) or None, "at least one risk indicator column, such as "
              + ", ".join(list(RISK_AMOUNTS.values())[:6]) + " …",
              "No column of this table is a risk indicator fiscalmon knows (docs/data-format.md, Risk): rename "
              "the headers, or check that this is the risk table.")
    raise out.fail()


def _other_kind(grid, spec: TableSpec, clearly: bool = False) -> Problem | None:
    """The kind of table a file looks like, if another kind fits its headers better than ``spec`` (for a
    file that failed), or at least twice as well (``clearly``: for a file read as the wrong kind)."""
    try:
        header_rows, _, _ = header_of(grid, spec)
    except FiscalDataError:
        header_rows = None

    def fit(candidate: TableSpec) -> tuple[int, list[str]]:
        lookup = parse.header_lookup(candidate.aliases)
        try:
            rows = header_rows if header_rows is not None else locate_header(grid, lookup, candidate)[0]
        except FiscalDataError:
            return 0, []
        columns = describe_columns([grid.rows[i] for i in rows], lookup, candidate)
        own = {*candidate.amounts, *candidate.percents, *candidate.distinctive} - {"year"}
        named = [c.header for c in columns if c.field in own or (c.item and candidate.wide)]
        return len(named), named

    mine, _ = fit(spec)
    best = max((k for k in _SPECS if k != spec.name), key=lambda k: fit(_SPECS[k])[0])
    score, named = fit(_SPECS[best])
    if score < max(2, mine + 2) or clearly and score < max(2 * mine, mine + 3):
        return None
    reader = {"monthly": "read_monthly (--monthly)", "annual": "read_annual (--annual)",
              "regions": "read_regions (--regions-file)", "risk": "read_risk (fiscalmon flags, --risk)"}[best]
    article = "an" if spec.name == "annual" else "a"
    return Problem(grid.label, None, None, ", ".join(named[:6]), f"{article} {spec.name} table",
                   f"This looks like a {best} table (its headers name {', '.join(named[:6])}): read it with {reader}.")


def region_directory(region_table=None) -> regions.Directory:
    """The regions fiscalmon knows: the shipped Xinjiang directory, with a user's regions table over it
    (a canonical regions table, or a path read with :func:`read_regions`)."""
    if region_table is None:
        return _shipped_directory()
    if not isinstance(region_table, pd.DataFrame):
        region_table = read_regions(region_table)
    return regions.Directory.of(_shipped_directory().table, region_table)


@functools.lru_cache(maxsize=1)
def _shipped_directory() -> regions.Directory:
    from .datasets import xinjiang_regions  # (datasets reads through this module)

    return regions.Directory.of(xinjiang_regions())


def _prior_year_rows(table: pd.DataFrame, cells: pd.DataFrame, out: Collector) -> pd.DataFrame:
    """Last year's YTD from a 上年同期 column, as rows of last year's same month.

    Where the table has last year's own row too, that row is kept; a 上年同期 figure that differs from
    it (often a comparable-basis 可比口径 figure) is noted.
    """
    given = table[table["ytd_prior"].notna() & table["period"].notna()]
    keys = ["region_code", "period", "item"]
    # Last year's rows carry last year's YTD only: this year's growth, rates and budgets are not theirs.
    derived = given.assign(period=given["period"] - 12, ytd=given["ytd_prior"], yoy_pct=np.nan, yoy_change=np.nan,
                           completion_pct=np.nan, yoy_pct_min=np.nan, budget=np.nan, adjusted_budget=np.nan)
    derived = derived.drop(columns=[c for c in ("revision",) if c in derived])
    derived["note"] = PRIOR_YEAR_NOTE + " " + given["period"].astype(str)
    own = own_rows(derived, table, keys)
    reported = own["ytd_own"]
    header = cells["_hdr_ytd_prior"].iloc[0] if "_hdr_ytd_prior" in cells and len(cells) else "ytd_prior"
    for index in derived.index[own["differs"]]:
        out.warn(derived.at[index, "_row"], header, validate.as_written(derived.at[index, "ytd"], derived.at[index, "source_unit"]),
                 f"the same as last year's own row for {derived.at[index, 'period']} "
                 f"({validate.as_written(reported[index], derived.at[index, 'source_unit'])})",
                 "Kept last year's own row; 上年同期 is often on a comparable basis (可比口径).", kind="comparable")
    return pd.concat([table, derived[reported.isna()]], ignore_index=True).drop(columns="ytd_prior")


def _name_columns_as_written(checked: Collector, cells: pd.DataFrame, out: Collector) -> None:
    """Move the table-level checks' problems to ``out``, naming each column by its header in the file
    (库款余额 rather than treasury_balance) where one header held that field."""
    written = {}
    for column in cells.columns:
        if column.startswith("_hdr_"):
            headers = cells[column].dropna().unique()
            if len(headers) == 1:
                written[column.removeprefix("_hdr_")] = str(headers[0])
    for problems, into in ((checked.problems, out.problems), (checked.warnings, out.warnings)):
        into.extend(replace(p, column=written.get(p.column, p.column)) for p in problems)
    for (file, column, action), count in checked.uncounted.items():
        key = (file, written.get(column, column), action)
        out.uncounted[key] = out.uncounted.get(key, 0) + count


def _emit_warnings(out: Collector) -> None:
    for warning in note_warnings(out.warnings, out.label):
        warnings.warn(warning, stacklevel=4)


# ---- public readers ----------------------------------------------------------------------------

def read_monthly(source, *, sheet: str | int | None = None, unit: str | None = None,
                 year: int | None = None, encoding: str | None = None, region: str | None = None,
                 region_table=None, prefecture: str | None = None) -> pd.DataFrame:
    """Read a monthly year-to-date table into the canonical long form, amounts in 亿元.

    Parameters
    ----------
    source : path or DataFrame
        CSV (UTF-8, UTF-8 BOM, GBK/GB18030, UTF-16) or ``.xlsx``; long layout, one column per month,
        or one column per item; English or Chinese headers (docs/data-format.md).
    sheet : str or int, optional
        Worksheet of an Excel file (default: the first, unless another sheet's header names more of
        this table's columns: then that one, with a warning).
    unit : {'元', '万元', '亿元'}, optional
        Unit of the amounts when the file does not state it, or states it wrongly (amounts in 元
        under 单位：万元): it wins over what the file says, with a note quoting that.
    year : int, optional
        Year for periods written without one (``1-6月``).
    encoding : str, optional
        Force a text encoding instead of detecting it.
    region : str, optional
        The region of a one-region table without a region column, as ``'652300 昌吉州'``, a code or a
        name (a bureau's own 收支情况表). A table with no period column takes the period its title line
        names (``昌吉州2023年1-6月…``), with a warning.
    region_table : DataFrame or path, optional
        Regions (codes, names, parents, levels, aliases) over the shipped Xinjiang directory; names
        without codes are matched through them (木垒县 → 652328).
    prefecture : str, optional
        The code of the area a 合计/全州 row totals (its 州本级 row is ``<code>-bj``), when the title
        does not name it.

    Returns
    -------
    DataFrame
        Columns ``region_code, region, period (Period[M]), item, ytd, yoy_pct, yoy_change,
        completion_pct, yoy_pct_min, unit ('亿元'), source_unit`` and any of ``revision, source, note``.
        ``attrs`` holds ``source_file``, ``encoding`` and ``layout``.

    Raises
    ------
    FiscalDataError
        Listing every problem found (file, row, column, value, what was expected, what to do).

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区": ["昌吉回族自治州"], "地区编码": ["652300"], "月份": ["2023年1-6月"],
    ...                     "项目": ["一般公共预算收入"], "累计(万元)": [1189100], "同比增长(%)": [0.45]})
    >>> fiscalmon.read_monthly(raw)[["region_code", "period", "item", "ytd", "yoy_pct"]]
      region_code   period         item    ytd  yoy_pct
    0      652300  2023-06  gpb_revenue  118.91     0.45
    """
    table = _read_table(source, _MONTHLY, sheet=sheet, unit=unit, year=year, encoding=encoding, region=region,
                        region_table=region_table, prefecture=prefecture)
    return ordered(table, MONTHLY_COLUMNS, ["region_code", "item", "period"])


def read_annual(source, *, sheet: str | int | None = None, unit: str | None = None,
                encoding: str | None = None, region: str | None = None, region_table=None,
                prefecture: str | None = None) -> pd.DataFrame:
    """Read an annual table (budget 年初预算, adjusted_budget 调整预算, outturn 决算) in 亿元.

    Parameters are as for :func:`read_monthly`. A table whose columns are items
    (``地区 | 一般公共预算收入 | 税收收入``) takes the year and the figure from its title
    (``昌吉州2024年各县市一般公共预算收入预算表``), or from a header row above the items.

    Returns
    -------
    DataFrame
        ``region_code, region, year, item, budget, adjusted_budget, outturn, unit ('亿元'), source_unit``.

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区": ["昌吉市"], "年度": [2023], "项目": ["一般公共预算收入"],
    ...                     "预算数": [251000], "单位": ["万元"]})
    >>> fiscalmon.read_annual(raw)[["region", "year", "item", "budget"]]
      region  year         item  budget
    0    昌吉市  2023  gpb_revenue    25.1
    """
    table = _read_table(source, _ANNUAL, sheet=sheet, unit=unit, encoding=encoding, region=region,
                        region_table=region_table, prefecture=prefecture)
    return ordered(table, ANNUAL_COLUMNS, ["region_code", "item", "year"])


def read_regions(source, *, sheet: str | int | None = None, encoding: str | None = None) -> pd.DataFrame:
    """Read a region list: code, name, parent, level and the officially assigned risk grade.

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区编码": ["652328"], "地区": ["木垒哈萨克自治县"], "上级编码": ["652300"],
    ...                     "级次": ["县"], "风险等级": ["橙"]})
    >>> fiscalmon.read_regions(raw).iloc[0].to_dict()
    {'region_code': '652328', 'region': '木垒哈萨克自治县', 'parent_code': '652300', 'level': 'county', 'grade': 'orange'}
    """
    table = _read_table(source, _REGIONS, sheet=sheet, encoding=encoding)
    return ordered(table, REGION_COLUMNS, ["region_code"])


def read_risk(source, *, sheet: str | int | None = None, unit: str | None = None,
              encoding: str | None = None, region: str | None = None, region_table=None,
              prefecture: str | None = None) -> pd.DataFrame:
    """Read the county risk table (one row per county × month), amounts in 亿元.

    Every indicator column is optional; a missing one stays empty (NaN), never zero. Parameters are
    as for :func:`read_monthly`.

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区": ["木垒哈萨克自治县"], "月份": ["2023-06"], "月末库款余额": [3200],
    ...                     "当月库款流出": [10000], "单位": ["万元"]})
    >>> fiscalmon.read_risk(raw)[["region", "period", "treasury_balance", "treasury_outflow"]]
           region   period  treasury_balance  treasury_outflow
    0  木垒哈萨克自治县  2023-06              0.32               1.0
    """
    table = _read_table(source, _RISK, sheet=sheet, unit=unit, encoding=encoding, region=region,
                        region_table=region_table, prefecture=prefecture)
    return ordered(table, RISK_COLUMNS, ["region_code", "period"])


def read_special(source, *, sheet: str | int | None = None, unit: str | None = None, year: int | None = None,
                 encoding: str | None = None, region: str | None = None, region_table=None,
                 prefecture: str | None = None) -> pd.DataFrame:
    """Read a special-factors table (可比口径): what moved an item's revenue off its underlying course.

    One row per region × period × item × factor: ``ytd_effect`` is the factor's cumulative effect on
    the item's revenue from January to ``period`` (亿元, signed: −15,760 for refunds that lowered
    revenue, +45 for a one-off receipt). A column written as a reduction (减收金额, 退税金额) is read
    with its sign turned. Rows after the as-of month of a projection are the analyst's declared
    expectation for the rest of the year. Parameters are as for :func:`read_monthly`.

    Returns
    -------
    DataFrame
        ``region_code, region, period, item, label, ytd_effect, unit ('亿元'), source_unit``.

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区": ["新疆维吾尔自治区"], "月份": ["2023-06"], "项目": ["非税收入"],
    ...                     "特殊因素": ["和田火烧云铅锌矿探矿权出让收益"], "累计影响(亿元)": [45]})
    >>> fiscalmon.read_special(raw)[["region_code", "period", "item", "ytd_effect"]]
      region_code   period            item  ytd_effect
    0      650000  2023-06  nontax_revenue        45.0
    """
    table = _read_table(source, _SPECIAL, sheet=sheet, unit=unit, year=year, encoding=encoding, region=region,
                        region_table=region_table, prefecture=prefecture)
    reduction = table.pop("ytd_reduction") if "ytd_reduction" in table else None
    if reduction is not None:
        table["ytd_effect"] = table["ytd_effect"].combine_first(-reduction)
    return ordered(table, SPECIAL_COLUMNS, ["region_code", "item", "period"])


def read_cash_plan(source, *, sheet: str | int | None = None, unit: str | None = None, year: int | None = None,
                   encoding: str | None = None, region: str | None = None, region_table=None,
                   prefecture: str | None = None) -> pd.DataFrame:
    """Read a cash plan (库款预测): the flows expected in each coming month, one row per region × month × flow.

    ``flow`` is one of :data:`fiscalmon.schema.CASH_FLOWS` (工资, 三保支出, 到期本金, 到期利息, 再融资债券,
    转移支付, 自有收入, 其他流入, 其他流出); amounts are positive, in 亿元 once read. Parameters are as
    for :func:`read_monthly`.

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区": ["木垒县"], "月份": ["2024-07"], "资金流向": ["工资"], "金额(万元)": [1500]})
    >>> fiscalmon.read_cash_plan(raw)[["region_code", "period", "flow", "amount"]]
      region_code   period   flow  amount
    0      652328  2024-07  wages    0.15
    """
    table = _read_table(source, _CASH_PLAN, sheet=sheet, unit=unit, year=year, encoding=encoding, region=region,
                        region_table=region_table, prefecture=prefecture)
    return ordered(table, CASH_PLAN_COLUMNS, ["region_code", "period", "flow"])


@dataclass
class Workbook:
    """The tables of one workbook; a table the workbook lacks is ``None``."""

    monthly: pd.DataFrame | None = None
    annual: pd.DataFrame | None = None
    regions: pd.DataFrame | None = None
    risk: pd.DataFrame | None = None


#: Sheet names recognised by :func:`read_workbook`, per table.
SHEET_NAMES = {
    "monthly": ("monthly", "月度", "月报", "月度数据", "收支月报"),
    "annual": ("annual", "年度", "年报", "预算", "年度数据", "预决算"),
    "regions": ("regions", "地区", "区划", "地区列表"),
    "risk": ("risk", "风险", "运行监测", "风险监测"),
}
_READERS = {"monthly": read_monthly, "annual": read_annual, "regions": read_regions, "risk": read_risk}


def read_workbook(path, *, unit: str | None = None) -> Workbook:
    """Read every recognised sheet of a workbook (monthly/月度, annual/年度, regions/地区, risk/风险).

    Problems in all sheets are reported together in one :class:`FiscalDataError`.

    Examples
    --------
    >>> book = read_workbook("bureau.xlsx")  # doctest: +SKIP
    >>> book.monthly.head()                  # doctest: +SKIP
    """
    path = Path(path)
    sheets = excel_sheets(path)
    found: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table, names in SHEET_NAMES.items():
        name = next((s for s in sheets if s.strip().lower() in names), None)
        if name is None:
            continue
        kwargs = {"sheet": name} if table == "regions" else {"sheet": name, "unit": unit}
        try:
            found[table] = _READERS[table](path, **kwargs)
        except FiscalDataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FiscalDataError(problems)
    if not found:
        raise FiscalDataError([Problem(path.name, None, None, list(sheets),
                                       "a sheet named monthly/月度, annual/年度, regions/地区 or risk/风险",
                                       "Rename the sheets, or read one sheet with read_monthly(path, sheet=…).")])
    return Workbook(**found)
