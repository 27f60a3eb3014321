"""How fast the command line answers before it does any work: ``--version`` and ``--help``.

Each command runs in a fresh interpreter (as a user's shell runs it), several times; the median wall
time is printed beside that of ``python -c "import pandas"`` in the same run, the floor any command that
touched pandas could not go below, and of a bare ``python -c pass``.

    python benchmarks/bench_startup.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    'python -c "import pandas"': [sys.executable, "-c", "import pandas"],
    "fiscalmon --version": [sys.executable, "-m", "fiscalmon.cli", "--version"],
    "fiscalmon --help": [sys.executable, "-m", "fiscalmon.cli", "--help"],
    "fiscalmon report --help": [sys.executable, "-m", "fiscalmon.cli", "report", "--help"],
    "fiscalmon items": [sys.executable, "-m", "fiscalmon.cli", "items"],
}


def median_seconds(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    measured = {name: median_seconds(command, args.repeat) for name, command in COMMANDS.items()}
    pandas = measured['python -c "import pandas"']
    print(f"median of {args.repeat} fresh interpreters each")
    print(f"{'command':<28} {'seconds':>8} {'÷ import pandas':>16}")
    for name, seconds in measured.items():
        print(f"{name:<28} {seconds:8.3f} {seconds / pandas:16.2f}")


if __name__ == "__main__":
    main()
