"""How fast ``fiscalmon.risk.assess`` grades 3,000 counties × 24 months.

The risk table is SYNTHETIC: the demo risk table (itself synthetic, 97 counties × 24 months, see
data/demo/README.md) tiled to 3,000 counties spread over 31 province codes, each copy's amounts scaled
by a random factor per county and jittered per month (fixed seed), so the counties differ and cross
thresholds in different months. No figure here describes a real county.

Run from the repository root:

    python benchmarks/bench_risk.py [--counties 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time

import numpy as np
import pandas as pd

import fiscalmon
from fiscalmon.risk import assess, load_thresholds
from fiscalmon.schema import RISK_AMOUNTS

SEED = 20231106
PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
             54, 61, 62, 63, 64, 65]


def synthetic_risk_table(counties: int, seed: int = SEED) -> pd.DataFrame:
    """A SYNTHETIC canonical risk table of ``counties`` counties × the demo's 24 months, amounts in 亿元."""
    demo = fiscalmon.datasets.demo_risk()
    codes = demo["region_code"].drop_duplicates().to_numpy()
    rng = np.random.default_rng(seed)
    copies = -(-counties // len(codes))
    parts = []
    for copy in range(copies):
        part = demo.copy()
        number = copy * len(codes) + pd.Series(codes).reset_index().set_index(0)["index"].reindex(part["region_code"])
        number = number.to_numpy()
        province = np.array(PROVINCES)[number % len(PROVINCES)]
        part["region_code"] = [f"{p:02d}{n:04d}" for p, n in zip(province, number)]
        part["parent_code"] = [f"{p:02d}{(n // 10) % 100:02d}00" for p, n in zip(province, number)]
        part["region"] = part["region"] + f"-{copy}"
        scale = np.exp(rng.normal(0.0, 0.25, len(codes)))[number % len(codes)]
        for name in RISK_AMOUNTS:
            jitter = np.exp(rng.normal(0.0, 0.05, len(part)))
            part[name] = part[name] * scale * jitter
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    keep = table["region_code"].drop_duplicates().iloc[:counties]
    return table[table["region_code"].isin(keep)].reset_index(drop=True)


def _time(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    command = "python benchmarks/bench_risk.py" + "".join(
        f" --{k} {v}" for k, v in (("counties", args.counties), ("repeat", args.repeat)))
    table = synthetic_risk_table(args.counties)
    months = sorted(table["period"].unique())
    n = table["region_code"].nunique()
    thresholds = load_thresholds()
    print(f"command: {command}")
    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"{platform.machine()} ({platform.system()})")
    print(f"SYNTHETIC risk table (the demo tiled and perturbed, seed {SEED}): {n:,} counties × {len(months)} months "
          f"= {len(table):,} rows, {table['region_code'].str[:2].nunique()} province codes")

    last = months[-1]
    one = _time(lambda: assess(table, last, thresholds), args.repeat)
    result = assess(table, last, thresholds)
    print(f"assess one month ({last}): best {min(one):.2f} s, median {np.median(one):.2f} s over {args.repeat} runs "
          f"-> {n / min(one):,.0f} counties per second; {len(result.flags):,} flags")
    every = _time(lambda: [assess(table, month, thresholds) for month in months], args.repeat)
    print(f"assess all {len(months)} months, one call each: best {min(every):.2f} s, median {np.median(every):.2f} s "
          f"-> {n * len(months) / min(every):,.0f} county-months per second")
    print(f"ratio all months ÷ one month: {min(every) / min(one):.1f} (a month costs about the same whichever it is)")
    counts = result.counties["computed_grade"].value_counts().reindex(
        ["red", "orange", "yellow", "green", "not_assessed"], fill_value=0)
    print("computed grades in the last month (SYNTHETIC): " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
