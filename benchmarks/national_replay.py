"""The national replay (issue 13): what an analyst knew at the end of June 2022 and June 2023, projected
on the natural and on the comparable basis (可比口径), against the outturn.

The figures are the MOF releases as republished (data/reference/national_gpb_revenue.csv, each row quoting
its source): June YTD, December YTD (= the outturn) and, for 2022, the growth 扣除留抵退税因素后 the release
gives. Each case sees only the rows up to its month; the outturn is read only to score it.

    python benchmarks/national_replay.py
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's fiscalmon

import fiscalmon  # noqa: E402

METHODS = ("carry_forward", "combination")


def replay() -> list[dict]:
    table = fiscalmon.read_monthly(fiscalmon.datasets.data_path("reference/national_gpb_revenue.csv"))
    natural_table = table.assign(yoy_comparable_pct=float("nan"))   # the same figures without the 可比 growth
    rows = []
    for month in ("2022-06", "2023-06"):
        outturn = table.loc[table["period"] == f"{month[:4]}-12", "ytd"].item()
        for basis, source in (("自然口径", natural_table), ("可比口径", table)):
            known = source[source["period"] <= month]
            for method in METHODS:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    row = fiscalmon.forecast_full_year(known, month=month, methods=method).table.iloc[0]
                rows.append({"as_of": month, "basis": basis, "method": method, "growth": row["yoy_comparable_pct"],
                             "point": row["point"], "outturn": outturn,
                             "error_pct": (row["point"] / outturn - 1) * 100})
    return rows


def main() -> None:
    print(f"{'as of':<8} {'basis':<6} {'method':<14} {'H1 growth %':>11} {'point 亿元':>12} {'outturn':>11} {'error %':>8}")
    for r in replay():
        print(f"{r['as_of']:<8} {r['basis']:<6} {r['method']:<14} {r['growth']:11.2f} {r['point']:12,.0f} "
              f"{r['outturn']:11,.0f} {r['error_pct']:+8.2f}")


if __name__ == "__main__":
    main()
