"""Run every benchmark in one process and print the figures (also written to benchmarks/RESULTS.md).

    python benchmarks/run.py            # the full runs (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller panels, for a smoke test

Accuracy and speed figures are ratios and counts measured in this one run; nothing is copied from
elsewhere.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # this checkout's fiscalmon, whatever copy is installed

import bench_forecast  # noqa: E402
import bench_report  # noqa: E402
import bench_risk  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        print(f"# fiscalmon benchmarks\n\ncommand: `python benchmarks/run.py{' --quick' if args.quick else ''}` "
              f"on {platform.machine()}, Python {platform.python_version()}\n")
        bench_forecast.main(["--quick"] if args.quick else [])
        print("\n## Risk flags\n\n```")
        bench_risk.main(["--counties", "300"] if args.quick else [])
        print("```")
        print("\n## Monthly report\n\n```")
        bench_report.main(["--quick"] if args.quick else [])
        print("```")
    text = buffer.getvalue()
    print(text)
    if not args.quick:
        (HERE / "RESULTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
