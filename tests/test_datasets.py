"""The bundled data: the demo panel is reproducible and calibrated to the seed report; the
summary command gives the same figures whatever the file's encoding, headers, units or format."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import fiscalmon
from conftest import DATA, ROOT


def test_demo_panel_is_regenerated_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_demo_panel.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    for written in tmp_path.iterdir():
        assert written.read_bytes() == (DATA / "demo" / written.name).read_bytes(), written.name


def test_demo_changji_matches_the_seed_report():
    """652300 in the demo: 1-6月 2023 一般公共预算收入 118.91亿元 and the YTD growth path of the seed
    report (−9.37, 0.68, 4.1, 3.02, 2.36, 0.45 %), computed from the demo's 2023 and 2022 YTD."""
    monthly = fiscalmon.datasets.demo_monthly()
    gpb = monthly.query("region_code == '652300' and item == 'gpb_revenue'").set_index("period")["ytd"]
    this = gpb[[pd.Period(f"2023-{m:02d}", freq="M") for m in range(1, 7)]].to_numpy()
    last = gpb[[pd.Period(f"2022-{m:02d}", freq="M") for m in range(1, 7)]].to_numpy()
    growth = np.round((this / last - 1) * 100, 2)
    assert growth.tolist() == [-9.37, 0.68, 4.1, 3.02, 2.36, 0.45]
    assert this[-1] == pytest.approx(118.91, abs=1e-9)


def test_demo_panel_is_named_synthetic_and_every_grade_occurs():
    assert all("synthetic" in p.name for p in (DATA / "demo").glob("*.csv"))
    grades = fiscalmon.datasets.demo_regions()["grade"].value_counts()
    assert set(grades.index) == {"red", "orange", "yellow", "green"} and grades.min() >= 3


def test_demo_monthly_has_ten_years_and_weak_februaries():
    monthly = fiscalmon.datasets.demo_monthly().query("item == 'gpb_revenue'")
    assert monthly["period"].min() == pd.Period("2013-01", freq="M")
    derived = fiscalmon.calendar.derive(monthly)
    by_month = derived.groupby(derived["period"].dt.month)["month_amount"].sum()
    assert by_month[2] < by_month[1] and by_month[2] < by_month[3]


def test_summary_is_the_same_for_canonical_gbk_and_xlsx(cli):
    """data/examples/ holds the Changji seed figures as a bureau exports them: GBK with Chinese headers,
    a title line and 万元; and .xlsx. `fiscalmon summary --format csv` must print identical figures."""
    outputs = []
    for path in (DATA / "seeds" / "changji_2023h1_monthly.csv", DATA / "examples" / "changji_2023h1_bureau_gbk.csv",
                 DATA / "examples" / "changji_2023h1_bureau.xlsx"):
        result = cli("summary", str(path), "--format", "csv")
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert "652300,昌吉回族自治州,gpb_revenue,2023-06,118.91,0.45,reported,亿元" in outputs[0]


def test_summary_table_says_what_was_read(cli):
    result = cli("summary", str(DATA / "examples" / "changji_2023h1_bureau_gbk.csv"))
    assert result.returncode == 0
    assert "encoding gb18030" in result.stdout and "3 regions" in result.stdout and "亿元" in result.stdout


def test_texas_series_cumulate_to_the_workbook_totals():
    """The months of each fiscal year add up to the workbook's own total within 2 thousand dollars
    (data/real/README.md), i.e. 2e-5 in 亿美元."""
    monthly, annual = fiscalmon.datasets.texas()
    december = monthly[monthly["period"].dt.month == 12]
    december = december.set_index(december["period"].dt.year)["ytd"]
    totals = annual.set_index("year")["outturn"]
    assert (december - totals.loc[december.index]).abs().max() <= 2e-5 + 1e-9  # float rounding
