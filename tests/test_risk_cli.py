"""``fiscalmon flags`` and ``fiscalmon thresholds`` as a user runs them, in a separate process.

Bad input (a month, a thresholds file, a missing file) ends with exit status 2 and a message saying what
to fix, never a traceback.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

import fiscalmon
from fiscalmon.risk import INDICATORS
from fiscalmon.risk.assess import FLAG_COLUMNS, WATCH_COLUMNS
from conftest import DATA, PROVINCE_THRESHOLDS

DEMO = str(DATA / "demo" / "xinjiang_risk_synthetic.csv")



def _csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype={"region_code": str, "parent_code": str})


def test_flags_report_lists_red_level_counties_first(cli):
    result = cli("flags", DEMO, "--month", "2023-06")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"Risk flags for 2023-06 from xinjiang_risk_synthetic.csv: 97 counties × {len(INDICATORS)} indicators")
    for section in ("Counties, red-level first:", "Watch list", "Flags other than green", "Changes since"):
        assert section in out
    counties = out.split("Counties, red-level first:")[1].split("Watch list")[0]
    first = counties.strip().splitlines()[1]
    assert " red " in first and ("both" in first or "official" in first or "computed" in first)


def test_flags_with_a_cash_plan_projects_the_outlook(cli):
    """The SYNTHETIC demo plan: 麦盖提县 runs short from 2023-08 (fiscalmon.datasets.demo_cash_plan)."""
    plan = str(DATA / "demo" / "xinjiang_cash_plan_synthetic.csv")
    result = cli("flags", DEMO, "--month", "2023-06", "--cash-plan", plan, "--format", "csv")
    assert result.returncode == 0, result.stderr
    flags = _csv(result.stdout).set_index(["region_code", "indicator"])
    row = flags.loc[("653127", "cash_outlook")]
    assert row["level"] == "red" and "预计2023年8月末库款缺口" in row["message"]
    assert flags.loc[("650102", "cash_outlook"), "level"] == "not_assessed"   # the plan covers 喀什地区 only
    outlook = cli("flags", DEMO, "--month", "2023-06", "--cash-plan", plan, "--table", "outlook", "--format", "csv")
    assert outlook.returncode == 0 and len(_csv(outlook.stdout)) == 12 * 3
    report = cli("flags", DEMO, "--month", "2023-06", "--cash-plan", plan)
    assert "Cash outlook (库款预测" in report.stdout


def test_flags_csv_has_one_row_per_county_and_indicator(cli):
    result = cli("flags", DEMO, "--month", "2023-06", "--format", "csv")
    assert result.returncode == 0, result.stderr
    flags = _csv(result.stdout)
    assert list(flags.columns) == FLAG_COLUMNS
    assert len(flags) == 97 * len(INDICATORS)
    assert set(flags["level"]) <= {"green", "yellow", "orange", "red", "not_assessed"}
    zone = flags[flags["region_code"] == "652300-zd"]
    assert (zone["level"] == "not_assessed").all() and zone["message"].str.contains("未评估").all()
    red = flags[flags["level"] == "red"]
    assert red["threshold_source"].str.match(r"^\[[CPU]\] ").all()


def test_one_table_to_a_file_written_atomically(cli, tmp_path):
    out = tmp_path / "watch.csv"
    result = cli("flags", DEMO, "--month", "2023-06", "--table", "watch", "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "wrote" in result.stderr
    watch = pd.read_csv(out, dtype={"region_code": str})
    assert list(watch.columns) == WATCH_COLUMNS
    assert {"653122", "653127", "653131", "653226", "653227", "654221"} <= set(watch["region_code"])
    assert not list(tmp_path.glob(".watch.csv.*")), "no temporary file left behind"


def test_province_thresholds_file_changes_the_flags(cli, tmp_path):
    path = tmp_path / "xinjiang.toml"
    path.write_text(PROVINCE_THRESHOLDS, encoding="utf-8")
    default = _csv(cli("flags", DEMO, "--month", "2023-06", "--format", "csv").stdout)
    own = _csv(cli("flags", DEMO, "--month", "2023-06", "--format", "csv", "--thresholds", str(path)).stdout)
    pick = lambda t: t[t["indicator"] == "treasury_coverage"].set_index("region_code")  # noqa: E731
    d, o = pick(default), pick(own)
    between = d[(d["value"] >= 0.4) & (d["value"] < 0.6)].index
    assert len(between) > 0
    assert (d.loc[between, "level"] == "green").all() and (o.loc[between, "level"] == "red").all()
    assert o.loc[between, "threshold_source"].str.contains("xinjiang.toml").all()


# arguments, words in the message, why
BAD_INPUT = [
    (("flags", DEMO, "--month", "2023-13"), "month must be a month such as", "a month that does not exist"),
    (("flags", DEMO, "--month", "2024-01"), "2021-07 … 2023-06", "a month the table does not cover"),
    (("flags", "no_such_file.csv", "--month", "2023-06"), "no such file", "a missing risk table"),
    (("thresholds", "--thresholds", "no_such.toml"), "no such thresholds file", "a missing thresholds file"),
    (("thresholds", "--month", "2023-06", "--province", "新疆"), "province code", "a province by name"),
]


@pytest.mark.parametrize("args, words, why", BAD_INPUT, ids=[b[2] for b in BAD_INPUT])
def test_bad_input_exits_2_without_traceback(cli, args, words, why):
    result = cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and words in result.stderr


def test_bad_thresholds_file_lists_every_problem_with_its_line(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[[threshold]]\nindicator = "debt_grade"\nsource = "s"\ntag = "C"\neffective = 2023-01-01\n'
                    '  [[threshold.bands]]\n  level = "green"\n  upper = 120\n'
                    '  [[threshold.bands]]\n  level = "crimson"\n  lower = 130\n', encoding="utf-8")
    result = cli("flags", DEMO, "--month", "2023-06", "--thresholds", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr
    assert "bad.toml, row 10, column 'threshold[1].bands[2].level': found 'crimson'" in result.stderr
    assert "bad.toml, row 8, column 'threshold[1].bands[1].upper'" in result.stderr  # 120 does not meet 130


def test_thresholds_command_names_a_source_for_every_value(cli):
    result = cli("thresholds", "--format", "csv")
    assert result.returncode == 0, result.stderr
    table = _csv(result.stdout)
    assert set(table["indicator"]) == set(INDICATORS)
    assert table["source"].notna().all() and table["source"].str.strip().ne("").all()
    assert set(table["tag"]) <= {"C", "P", "U"}
    assert table.loc[table["tag"] == "C", "effective"].notna().all()     # a quoted document is dated
    assert table.loc[table["tag"] == "U", "effective"].isna().all()      # a default is not
    grade = table[table["indicator"] == "debt_grade"]
    assert grade["band"].tolist() == ["x < 120%", "120% ≤ x < 200%", "200% ≤ x < 300%", "x ≥ 300%"]
    assert grade["level"].tolist() == ["green", "yellow", "orange", "red"]


def test_thresholds_command_shows_a_province_file_in_force(cli, tmp_path):
    path = tmp_path / "xinjiang.toml"
    path.write_text(PROVINCE_THRESHOLDS, encoding="utf-8")
    result = cli("thresholds", "--thresholds", str(path), "--month", "2023-06", "--province", "650000",
                 "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = _csv(result.stdout).query("indicator == 'treasury_coverage'")
    assert rows["band"].tolist() == ["x < 0.6", "x ≥ 0.6"] and (rows["origin"] == "xinjiang.toml").all()
    text = cli("thresholds").stdout
    assert text.startswith("Risk thresholds (thresholds.toml)") and "tag: C confirmed" in text


@pytest.mark.parametrize("encoding, first_bytes", [("gbk", None), ("utf-8-sig", b"\xef\xbb\xbf"), ("utf-8", None)])
def test_flags_csv_in_the_encoding_excel_on_a_chinese_windows_reads(cli, tmp_path, encoding, first_bytes):
    demo = fiscalmon.datasets.data_path("demo") / "xinjiang_risk_synthetic.csv"
    output = tmp_path / "flags.csv"
    result = cli("flags", str(demo), "--month", "2023-06", "--format", "csv", "-o", str(output), "--encoding", encoding)
    assert result.returncode == 0, result.stderr
    raw = output.read_bytes()
    assert first_bytes is None or raw.startswith(first_bytes)
    table = pd.read_csv(output, encoding=encoding, dtype=str)
    assert "库款保障水平" in set(table["indicator_zh"])
    if encoding == "gbk":  # the minus sign (−), which GBK lacks, is written as -
        assert "\u2212" not in raw.decode("gbk")
