"""Measure the projection errors that series without any history of their own borrow.

A report such as Changji's gives only a YTD growth path, one YTD amount and perhaps last year's
outturn: no past year to backtest on. For such series fiscalmon takes its interval from the errors
the same method made, with the same sparse information, at the same as-of month, on the REAL
monthly series the project ships (Texas tax collections and sales taxes, FY2004–FY2025; see
data/real/README.md). This script measures those errors and writes
data/reference/reference_errors.csv. Run: python scripts/make_reference_errors.py
"""

from __future__ import annotations

from pathlib import Path

from dataclasses import fields, replace

import numpy as np
import pandas as pd

import fiscalmon
from fiscalmon.forecast.history import combine
from fiscalmon.forecast.registry import BUREAU_METHODS
from fiscalmon.forecast.panel import Panel, build_panel
from fiscalmon.writers import atomic_write

OUT = Path(__file__).resolve().parent.parent / "data" / "reference" / "reference_errors.csv"
SOURCE = ("backtest on data/real/texas_*.csv (Texas Comptroller, via NikoV11/Dashboard@d35a724e); "
          "sparse inputs: YTD growth path, one YTD amount, last year's outturn or not; "
          "scripts/make_reference_errors.py")


def sparse_view(panel: Panel, t: int, m: int, with_outturn: bool) -> Panel:
    """What a report gives at month m of year t: the YTD growth path, the YTD amount, maybe A'."""
    two = panel.subset([0])
    arrays = {f.name: getattr(two, f.name)[:, t - 1: t + 1] for f in fields(Panel)
              if isinstance(getattr(two, f.name), np.ndarray) and getattr(two, f.name).ndim >= 2}
    two = replace(two, years=panel.years[t - 1: t + 1], **arrays)
    ytd = np.full((1, 2, 12), np.nan)
    ytd[0, 1, m - 1] = panel.ytd[0, t, m - 1]
    yoy = np.full((1, 2, 12), np.nan)
    yoy[0, 1, :m] = (panel.ytd[0, t, :m] / panel.ytd[0, t - 1, :m] - 1) * 100
    outturn = np.full((1, 2), np.nan)
    if with_outturn:
        outturn[0, 0] = panel.outturn[0, t - 1]
    return replace(two, ytd=ytd, yoy=yoy, outturn=outturn, budget=np.full((1, 2), np.nan))


def measure() -> pd.DataFrame:
    rows = []
    for series in fiscalmon.datasets.TEXAS_SERIES:
        panel = build_panel(*fiscalmon.datasets.texas(series))
        for t in range(1, len(panel.years)):
            actual = panel.outturn[0, t]
            for m in range(1, 12):
                for variant, with_outturn in (("with_outturn", True), ("without_outturn", False)):
                    view = sparse_view(panel, t, m, with_outturn)
                    points = {name: fn(view, 1, m).point for name, fn in BUREAU_METHODS.items()}
                    points["combination"] = combine(points, {name: 1 / len(points) for name in points})
                    for name, point in points.items():
                        if np.isfinite(point[0]):
                            rows.append((name, variant, m, series, int(panel.years[t]), float(np.log(actual / point[0]))))
    table = pd.DataFrame(rows, columns=["method", "variant", "as_of_month", "series", "fiscal_year", "log_error"])
    table["log_error"] = table["log_error"].round(6)
    table["source"] = SOURCE
    return table


if __name__ == "__main__":
    table = measure()
    atomic_write(OUT, lambda tmp: table.to_csv(tmp, index=False))
    summary = table.groupby(["method", "variant", "as_of_month"])["log_error"].agg(
        n="count", mape=lambda e: float(np.mean(np.abs(np.exp(-e) - 1)) * 100))
    print(summary.round(2).to_string())
    print(f"wrote {len(table)} errors to {OUT}")
