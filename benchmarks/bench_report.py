"""How long the monthly report takes and how much memory it needs, HTML and Excel, 300 and 3,000 counties.

The scope is SYNTHETIC: the monthly and annual tables are ``bench_forecast.synthetic_panel`` (10.5
years of monthly YTD, budgets for 2023), the risk table is ``bench_risk.synthetic_risk_table`` (the
demo risk table tiled and perturbed) renamed to the same counties, 20 counties to a prefecture code.
No figure here describes a real county. The report is the default one (every county, no
``prefecture``), as of 2023-06.

Each report is built and written in a fresh process, so that its peak memory (resident set, see
:func:`peak`) is its own; the times are wall-clock seconds of one run.

Run from the repository root:

    python benchmarks/bench_report.py            # 300 and 3,000 counties
    python benchmarks/bench_report.py --quick    # 300 counties only
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# The working copy's fiscalmon, not an installed one: the benchmark measures the code beside it.
sys.path[:0] = [str(ROOT), str(HERE)]

AS_OF = "2023-06"
PER_PREFECTURE = 20


def synthetic_scope(counties: int):
    """(monthly, annual, risk) canonical tables of ``counties`` SYNTHETIC counties sharing codes and names."""
    import numpy as np

    from bench_forecast import synthetic_panel
    from bench_risk import synthetic_risk_table

    monthly, annual = synthetic_panel(counties)
    risk = synthetic_risk_table(counties)
    codes = monthly["region_code"].drop_duplicates().to_numpy()
    names = monthly.drop_duplicates("region_code").set_index("region_code")["region"]
    number = {code: k for k, code in enumerate(risk["region_code"].drop_duplicates())}
    position = risk["region_code"].map(number).to_numpy()
    risk = risk.assign(region_code=codes[position], region=names.reindex(codes[position]).to_numpy(),
                       parent_code=[f"P{k // PER_PREFECTURE:04d}" for k in position])
    assert risk["region_code"].nunique() == counties and np.isin(risk["region_code"], codes).all()
    return monthly, annual, risk


def peak() -> float:
    """This process's peak resident memory in MB.

    ``ru_maxrss`` of a process started by another carries over the starter's own peak (Linux records
    it at exec), so under ``benchmarks/run.py`` it would count the earlier benchmarks' memory: on
    Linux the peak of this process's own address space (``VmHWM``) is read instead.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(module, name: str, seconds: dict) -> None:
    """Wrap ``module.name`` so that the seconds spent in it add up in ``seconds[name]``."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start

    setattr(module, name, wrapper)


def measure(counties: int, suffix: str) -> dict:
    """Build and write one report in this process; seconds of each step and peak memory in MB."""
    import fiscalmon
    from fiscalmon.report import build

    monthly, annual, risk = synthetic_scope(counties)
    seconds: dict = {}
    _timed(build, "forecast_full_year", seconds)
    _timed(build, "_track_record", seconds)
    data_mb = peak()
    start = time.perf_counter()
    report = fiscalmon.monthly_report(monthly, annual, risk, AS_OF)
    seconds["build"] = time.perf_counter() - start
    build_mb = peak()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        path = report.to_html(Path(folder) / "r.html") if suffix == "html" else report.to_excel(Path(folder) / "r.xlsx")
        seconds["write"] = time.perf_counter() - start
        size = path.stat().st_size
    assert len(report.projections) == counties
    return {"counties": counties, "format": suffix, "seconds": seconds, "data_mb": data_mb, "build_mb": build_mb,
            "peak_mb": peak(), "file_mb": size / 1e6}


def _child(counties: int, suffix: str) -> dict:
    """:func:`measure` in a fresh Python process (its own peak memory), timed from outside as well."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", str(counties), suffix], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {counties}-county {suffix} report failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - start
    return result


def _line(r: dict) -> str:
    s = r["seconds"]
    other = s["build"] - s.get("forecast_full_year", 0.0) - s.get("_track_record", 0.0)
    return (f"{r['counties']:>6,} counties  .{r['format']:<4}  build {s['build']:6.2f} s "
            f"(projection {s.get('forecast_full_year', 0.0):5.2f}, track record {s.get('_track_record', 0.0):5.2f}, "
            f"risk and the rest {other:5.2f})  write {s['write']:6.2f} s  = {s['build'] + s['write']:6.2f} s; "
            f"peak memory {r['peak_mb']:7,.0f} MB (data {r['data_mb']:,.0f}, after build {r['build_mb']:,.0f}); "
            f"file {r['file_mb']:6.1f} MB; whole process (imports and synthetic data too) {r['process_seconds']:.1f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 counties only")
    parser.add_argument("--child", nargs=2, metavar=("COUNTIES", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(int(args.child[0]), args.child[1])))
        return 0
    import numpy as np
    import pandas as pd

    sizes = [300] if args.quick else [300, 3000]
    print(f"command: python benchmarks/bench_report.py{' --quick' if args.quick else ''}")
    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"{platform.machine()} ({platform.system()})")
    print(f"SYNTHETIC scope (bench_forecast.synthetic_panel + the demo risk table tiled, {PER_PREFECTURE} counties "
          f"to a prefecture), default report (every county) as of {AS_OF}; one run each, a fresh process each")
    worst = 0.0
    for counties in sizes:
        for suffix in ("html", "xlsx"):
            result = _child(counties, suffix)
            worst = max(worst, result["peak_mb"])
            print(_line(result), flush=True)
    print(f"largest peak memory: {worst:,.0f} MB (target < 1,024 MB): {'met' if worst < 1024 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
