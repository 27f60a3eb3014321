"""The data fiscalmon ships: figures of the two seed reports, Xinjiang's regions, the demo panel.

Every loader reads a bundled CSV through the normal readers, so the tables come back canonical
(amounts in 亿元). Seed rows keep their ``source`` column: the seed file and the sentence quoted.

The demo panel is **synthetic** (real region names and codes, invented numbers calibrated to the
Changji seed report); see ``data/demo/README.md``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from .args import one_of
from .io import read_annual, read_cash_plan, read_monthly, read_regions, read_risk, read_special

__all__ = [
    "data_path",
    "changji_monthly",
    "changji_annual",
    "xinjiang_monthly",
    "xinjiang_annual",
    "xinjiang_prefecture_growth",
    "xinjiang_regions",
    "demo_monthly",
    "demo_annual",
    "demo_regions",
    "demo_risk",
    "demo_cash_plan",
    "texas",
    "reference_errors",
]


def data_path(relative: str) -> Path:
    """Path of a bundled data file, e.g. ``data_path("demo/xinjiang_monthly_synthetic.csv")``.

    Works from an installed wheel (``fiscalmon/_data``) and from a source checkout (``data/``).
    """
    for base in (Path(str(resources.files("fiscalmon"))) / "_data", Path(__file__).resolve().parent.parent / "data"):
        candidate = base / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"bundled data file {relative!r} not found; is fiscalmon installed completely?")


def changji_monthly() -> pd.DataFrame:
    """Changji (昌吉州) H1 2023 figures from the seed report, incl. the YTD growth path −9.37 … 0.45%."""
    return read_monthly(data_path("seeds/changji_2023h1_monthly.csv"))


def changji_annual() -> pd.DataFrame:
    """Changji's 2023 amounts set for the year (debt limits, debt service budgeted) from the seed report."""
    return read_annual(data_path("seeds/changji_2023h1_annual.csv"))


def xinjiang_monthly() -> pd.DataFrame:
    """Xinjiang (全区 and 自治区本级) H1 2023 figures from the seed report."""
    return read_monthly(data_path("seeds/xinjiang_2023h1_monthly.csv"))


def xinjiang_annual() -> pd.DataFrame:
    """Xinjiang's 2023 amounts set for the year (debt limits, 三保 budget) from the seed report."""
    return read_annual(data_path("seeds/xinjiang_2023h1_annual.csv"))


def xinjiang_special() -> pd.DataFrame:
    """The special factor the Xinjiang report names for H1 2023: the 45亿元 one-off mining-rights receipt
    (和田火烧云铅锌矿首期探矿权出让收益) in 非税收入 and so in 一般公共预算收入, each row quoting the report.

    The report's other factor, the low 2022 base left by the VAT credit refunds (留抵退税), is given
    without a Xinjiang amount, so it is not a row: supply it, or a reported comparable growth, yourself.
    """
    return read_special(data_path("seeds/xinjiang_2023h1_special.csv"))


def changji_special() -> pd.DataFrame:
    """Changji's 州本级 H1 2023 special factor: the prefecture's 20% of the 14.2亿元 水土保持补偿费 from
    准东开发区, 2.84亿元 in 非税收入 and 一般公共预算收入. The report gives no 2022 amount of the fee, so
    2.84亿元 is the most the one-off can have added (the label says so)."""
    return read_special(data_path("seeds/changji_2023h1_special.csv"))


def xinjiang_prefecture_growth() -> pd.DataFrame:
    """H1 2023 general budget revenue growth of the 14 prefectures, as the Xinjiang report states it."""
    return read_monthly(data_path("seeds/xinjiang_2023h1_prefecture_growth.csv"))


def xinjiang_regions() -> pd.DataFrame:
    """Xinjiang's province, prefectures, counties, 本级 and zones with GB/T 2260 codes (no grades)."""
    return read_regions(data_path("regions/xinjiang_regions.csv"))


def demo_monthly() -> pd.DataFrame:
    """SYNTHETIC monthly YTD panel, 2013-01 … 2023-06, every Xinjiang county (see data/demo/README.md)."""
    return read_monthly(data_path("demo/xinjiang_monthly_synthetic.csv"))


def demo_annual() -> pd.DataFrame:
    """SYNTHETIC budgets and outturns 2013–2023 for the demo panel."""
    return read_annual(data_path("demo/xinjiang_annual_synthetic.csv"))


def demo_regions() -> pd.DataFrame:
    """Xinjiang's regions with SYNTHETIC risk grades, for the demo panel."""
    return read_regions(data_path("demo/xinjiang_regions_synthetic.csv"))


def demo_risk() -> pd.DataFrame:
    """SYNTHETIC county risk table, 2021-07 … 2023-06, for the risk flags."""
    return read_risk(data_path("demo/xinjiang_risk_synthetic.csv"))


def demo_cash_plan() -> pd.DataFrame:
    """SYNTHETIC cash plan (现金流计划) of 喀什地区's counties for 2023-07 … 2023-09, for the cash outlook.

    Every flow of every month is written (0 where nothing flows). Made from the demo risk table's June 2023
    figures (wages and other 三保 from the 三保 budget ÷ 12, August's maturities from the debt service due in
    the next three months, transfers and own revenue a random share of the monthly outflow, seed 15).
    At 2023-06 two counties run short: 麦盖提县 from August (lowest −0.90亿元 in September) and 岳普湖县
    in August (−0.15亿元). The file is not made by ``scripts/make_demo_panel.py``.
    """
    return read_cash_plan(data_path("demo/xinjiang_cash_plan_synthetic.csv"))


TEXAS_SERIES = {"total_tax_collections": "texas_total_tax_collections.csv", "sales_taxes": "texas_sales_taxes.csv"}


def texas(series: str = "total_tax_collections") -> tuple[pd.DataFrame, pd.DataFrame]:
    """REAL monthly tax collections of the State of Texas, FY2003–FY2025, as canonical tables.

    The only long real monthly revenue series the project has (see ``data/real/README.md``), used to
    backtest the projection methods. Mapped as that README says: fiscal year N runs September N−1 to
    August N, so fiscal month k becomes period ``N-k`` (2003-01 is September 2002); months are
    cumulated into YTD amounts; the workbook's fiscal-year totals are the outturns. Amounts are in
    100 million **US dollars**, carried in the canonical amount columns (a percentage error does not
    depend on the currency); ``unit`` says ``亿美元`` so they cannot be mistaken for yuan.

    Returns
    -------
    (monthly, annual)
        Canonical tables with region_code ``TX``; no budgets (the files have none).

    Examples
    --------
    >>> monthly, annual = texas()                                  # doctest: +SKIP
    >>> annual.query("year == 2025")["outturn"].round(1).tolist()  # doctest: +SKIP
    [894.1]
    """
    one_of(series, "series", sorted(TEXAS_SERIES))
    raw = pd.read_csv(data_path(f"real/{TEXAS_SERIES[series]}"))
    to_100m_usd = 1e3 / 1e8  # the files are in thousands of US dollars
    months = raw[raw["kind"] == "month"].sort_values(["fiscal_year", "fiscal_month"])
    ytd = months.groupby("fiscal_year")["value"].cumsum() * to_100m_usd
    region = f"Texas {series.replace('_', ' ')}"
    monthly = pd.DataFrame({
        "region_code": "TX", "region": region,
        "period": pd.PeriodIndex([pd.Period(year=y, month=int(k), freq="M")
                                  for y, k in zip(months["fiscal_year"], months["fiscal_month"])]),
        "item": "tax_revenue", "ytd": ytd.to_numpy(), "yoy_pct": float("nan"), "yoy_change": float("nan"),
        "completion_pct": float("nan"), "yoy_pct_min": float("nan"), "unit": "亿美元", "source_unit": "USD thousands",
    })
    totals = raw[raw["kind"] == "fy_total"]
    annual = pd.DataFrame({
        "region_code": "TX", "region": region, "year": totals["fiscal_year"].to_numpy(), "item": "tax_revenue",
        "budget": float("nan"), "adjusted_budget": float("nan"), "outturn": totals["value"].to_numpy() * to_100m_usd,
        "unit": "亿美元", "source_unit": "USD thousands",
    })
    return monthly.reset_index(drop=True), annual.reset_index(drop=True)


def reference_errors() -> pd.DataFrame:
    """Errors of each projection method at each as-of month, measured by backtest on the REAL Texas
    series, for series that have no history of their own (such as a report's growth path).

    Columns ``method, variant, as_of_month, series, fiscal_year, log_error`` (log of outturn ÷
    projection) and ``source``. ``variant`` says what the projection had: ``with_outturn`` (last
    year's outturn known) or ``without_outturn``; neither had any monthly history, only the YTD
    growth path of the year and its YTD amount. Regenerate with
    ``python scripts/make_reference_errors.py``.
    """
    return pd.read_csv(data_path("reference/reference_errors.csv"))
