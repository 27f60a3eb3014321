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

from .io import read_annual, read_monthly, read_regions, read_risk

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
