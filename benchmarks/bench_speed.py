"""End to end: ``fiscalmon forecast`` on 3,000 SYNTHETIC counties × 11 years, beside statsforecast AutoETS.

    python benchmarks/bench_speed.py                  # 3,000 counties (396,000 rows)
    python benchmarks/bench_speed.py --counties 300   # a smoke test
    python benchmarks/bench_speed.py --peer-python .venv-bench/bin/python   # where statsforecast lives

What is timed, in this one run:

Wall times on a shared machine move with its load; CPU seconds are printed beside them.

1. the command a user types, ``fiscalmon forecast monthly.csv --annual annual.csv --month 2023-06
   --format csv -o out.csv``, as a fresh process (import, reading the CSVs, the default combination
   with its path members, intervals, writing): wall seconds and the child's peak memory (ru_maxrss);
2. the same work in this process, split into reading (``read_monthly`` + ``read_annual``) and
   projecting (``forecast_full_year``), so a reader sees where the time goes;
3. statsforecast's AutoETS (season 12) fitted to every county's single months up to 2023-06 and
   forecasting the other six, in the environment that has statsforecast (it pins pandas < 3):
   fitting time only, data handed over in memory, no reading, no intervals.

Data: SYNTHETIC (trend, seasonality, noise, budgets), written as canonical long CSVs: 3,000 counties ×
2013–2023 × 12 months of YTD amounts in 亿元.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

MONTH = "2023-06"
FIRST, LAST = 2013, 2023


def synthetic_tables(counties: int, seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SYNTHETIC canonical monthly (YTD) and annual (outturn, budget) tables, amounts in 亿元."""
    rng = np.random.default_rng(seed)
    periods = pd.period_range(f"{FIRST}-01", f"{LAST}-12", freq="M")
    season = np.array([0.9, 0.6, 1.1, 1.1, 1.0, 1.0, 0.9, 0.9, 1.0, 1.0, 1.1, 1.4])
    level = rng.lognormal(1.0, 0.8, counties)[:, None]
    growth = rng.normal(0.06, 0.03, counties)[:, None]
    t = np.arange(len(periods))[None, :]
    single = (level / 12 * season[periods.month.to_numpy() - 1][None, :] * np.exp(growth * t / 12)
              * rng.lognormal(0, 0.12, (counties, len(periods))))
    ytd = np.cumsum(single.reshape(counties, -1, 12), axis=2).reshape(counties, -1)
    codes = np.array([f"S{i:05d}" for i in range(counties)])
    monthly = pd.DataFrame({"region_code": np.repeat(codes, len(periods)),
                            "region": np.repeat([f"合成县{i}" for i in range(counties)], len(periods)),
                            "period": np.tile(periods.astype(str), counties), "item": "gpb_revenue",
                            "ytd": ytd.ravel().round(6), "unit": "亿元"})
    outturn = ytd.reshape(counties, -1, 12)[:, :, 11]
    years = np.arange(FIRST, LAST + 1)
    annual = pd.DataFrame({"region_code": np.repeat(codes, len(years)), "year": np.tile(years, counties),
                           "item": "gpb_revenue", "outturn": outturn.ravel().round(6), "unit": "亿元"})
    annual.loc[annual["year"] == LAST, "outturn"] = np.nan  # the year being projected
    budget = outturn[:, -2] * rng.uniform(1.0, 1.12, counties)
    annual.loc[annual["year"] == LAST, "budget"] = budget.round(6)
    return monthly, annual


def run_command(monthly_csv: Path, annual_csv: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of ``fiscalmon forecast`` as a fresh process."""
    code = ("import sys; from fiscalmon.cli import main; sys.exit(main(sys.argv[1:]))")
    args = [sys.executable, "-c", code, "forecast", str(monthly_csv), "--annual", str(annual_csv),
            "--month", MONTH, "--format", "csv", "-o", str(out), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"fiscalmon forecast failed:\n{done.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, after.ru_maxrss / 1024  # the largest child so far: this one (the first run)


def split(monthly_csv: Path, annual_csv: Path) -> dict[str, float]:
    """Seconds of reading and of projecting, in this process."""
    import warnings

    import fiscalmon

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        monthly = fiscalmon.read_monthly(monthly_csv)
        annual = fiscalmon.read_annual(annual_csv)
    read = time.perf_counter() - start
    start = time.perf_counter()
    table = fiscalmon.forecast_full_year(monthly, annual, MONTH).table
    project = time.perf_counter() - start
    sources = table["interval_source"].value_counts().to_dict()
    return {"read": read, "project": project, "rows": len(table), "sources": sources}


def autoets_seconds(monthly_csv: Path) -> float:
    """Seconds for statsforecast AutoETS over every county (run in the environment that has it)."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    table = pd.read_csv(monthly_csv, usecols=["region_code", "period", "ytd"])
    table = table[table["period"] <= MONTH]
    year = table["period"].str[:4]
    single = table["ytd"] - table.groupby([table["region_code"], year])["ytd"].shift().fillna(0)
    frame = pd.DataFrame({"unique_id": table["region_code"], "ds": pd.to_datetime(table["period"]), "y": single})
    start, cpu = time.perf_counter(), time.process_time()
    StatsForecast(models=[AutoETS(season_length=12)], freq="MS", n_jobs=1).forecast(df=frame, h=6)
    return time.perf_counter() - start, time.process_time() - cpu


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=3000)
    parser.add_argument("--peer-python", default=str(ROOT / ".venv-bench" / "bin" / "python"),
                        help="a Python with statsforecast (default: .venv-bench)")
    parser.add_argument("--autoets-only", help=argparse.SUPPRESS)  # the peer's half, run in its environment
    args = parser.parse_args(argv)
    if args.autoets_only:
        wall, cpu = autoets_seconds(Path(args.autoets_only))
        print(json.dumps({"seconds": wall, "cpu": cpu}))
        return
    with tempfile.TemporaryDirectory() as folder:
        monthly_csv, annual_csv, out = (Path(folder) / name for name in ("monthly.csv", "annual.csv", "out.csv"))
        monthly, annual = synthetic_tables(args.counties)
        monthly.to_csv(monthly_csv, index=False)
        annual.to_csv(annual_csv, index=False)
        seconds, cpu, peak_mb = run_command(monthly_csv, annual_csv, out)
        projected = len(pd.read_csv(out))
        parts = split(monthly_csv, annual_csv)
        peer = None
        if Path(args.peer_python).exists():
            done = subprocess.run([args.peer_python, __file__, "--autoets-only", str(monthly_csv)],
                                  capture_output=True, text=True)
            peer = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
            if peer is None:
                print(f"AutoETS failed: {done.stderr[-1500:]}", file=sys.stderr)
    lines = [
        "### End to end: `fiscalmon forecast`, 3,000 counties" if args.counties == 3000 else
        f"### End to end: `fiscalmon forecast`, {args.counties:,} counties", "",
        f"command: `python benchmarks/bench_speed.py --counties {args.counties}`  ",
        f"SYNTHETIC panel: {args.counties:,} counties × {LAST - FIRST + 1} years × 12 months = {len(monthly):,} rows, "
        f"projected as of {MONTH} with the default combination (progress_ratio, ses, theta) and intervals", "",
        f"- `fiscalmon forecast` (fresh process: import, read both CSVs, project, write {projected:,} rows): "
        f"**{seconds:.2f} s** wall, {cpu:.2f} s CPU, peak memory **{peak_mb:,.0f} MB** (targets: < 2 s, < 1,024 MB)",
        f"- of which, measured in-process: reading {parts['read']:.2f} s, projecting {parts['project']:.2f} s "
        f"(interval sources: {parts['sources']})",
    ]
    if peer is not None:
        lines.append(f"- statsforecast AutoETS (season 12) on the same {args.counties:,} single-month series, fit and "
                     f"6-month forecast only (no reading, no intervals, n_jobs=1): {peer['seconds']:.2f} s wall, "
                     f"{peer['cpu']:.2f} s CPU: fiscalmon's whole command takes {seconds / peer['seconds']:.3f}× its "
                     f"wall time ({peer['seconds'] / seconds:.0f}× faster; CPU {peer['cpu'] / cpu:.0f}×)")
    else:
        lines.append("- statsforecast AutoETS: not run (no Python with statsforecast; see --peer-python)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
