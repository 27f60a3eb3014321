"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MALFORMED = Path(__file__).resolve().parent / "data" / "malformed"

#: A province's own thresholds file (test data): Xinjiang (650000) in 2023 sets its treasury-coverage
#: warning line at 0.6 months instead of the shipped 0.4.
PROVINCE_THRESHOLDS = """\

[[threshold]]
indicator = "treasury_coverage"
province = "650000"
year = 2023
source = "某省库款考核办法（测试用）"
tag = "P"
  [[threshold.bands]]
  level = "red"
  label = "预警"
  upper = 0.6
  [[threshold.bands]]
  level = "green"
  label = "正常"
  lower = 0.6
"""


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed command line as a user would, in a separate process."""
    return subprocess.run([sys.executable, "-m", "fiscalmon.cli", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=600)


@pytest.fixture
def cli():
    return run_cli


def pytest_collection_modifyitems(items):
    """Tests that run the command line in a process, a notebook or a browser are slow: ``pytest -m 'not slow'``
    is the fast loop; the README's command runs everything."""
    for item in items:
        if "cli" in getattr(item, "fixturenames", ()) or item.path.name == "test_notebooks.py" \
                or "chromium" in item.name:
            item.add_marker(pytest.mark.slow)
