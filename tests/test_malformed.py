"""Every validation rule, exercised by a malformed file in tests/data/malformed/.

For each file the command line must: exit with status 2, print no traceback, name the file, the
row and the column, say what was expected, and write no output file.
"""

from __future__ import annotations

import pytest

import fiscalmon
from conftest import MALFORMED

# file, row, column named in the message, a phrase of what was expected
CASES = [
    ("missing_column.csv", None, None, "item"),
    ("non_numeric_amount.csv", 3, "ytd", "a number"),
    ("unknown_unit.csv", 2, "unit", "one of 元, 万元, 亿元"),
    ("no_unit.csv", 2, "ytd", "a unit (元, 万元 or 亿元)"),
    ("conflicting_units.csv", 2, "unit", "one unit for the amounts"),
    ("duplicate_rows.csv", 4, "region_code × period × item", "(row 2 has the same)"),
    ("month_out_of_range.csv", 2, "period", "a month between 1 and 12"),
    ("unparsable_period.csv", 2, "period", "a month such as 2023-06"),
    ("ytd_falls.csv", 4, "ytd", "does not fall within a year"),
    ("growth_below_minus_100.csv", 2, "yoy_pct", "-100% or more"),
    ("region_code_conflict.csv", 3, "region_code", "the code of 阜康市 (652302)"),
    ("unreadable_encoding.csv", None, None, "UTF-8, GBK/GB18030 or UTF-16"),
    ("no_header.csv", None, None, "a header row"),
    ("header_only.csv", None, None, "at least one row of figures"),
]


@pytest.mark.parametrize("name, row, column, expected", CASES, ids=[c[0] for c in CASES])
def test_cli_reports_each_rule_and_writes_nothing(cli, tmp_path, name, row, column, expected):
    output = tmp_path / "summary.csv"
    result = cli("summary", str(MALFORMED / name), "--format", "csv", "-o", str(output))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert name in result.stderr
    assert expected in result.stderr
    if row is not None:
        assert f"row {row}," in result.stderr
    if column is not None:
        assert f"column '{column}'" in result.stderr
    assert not output.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


@pytest.mark.parametrize("name, row, column, expected", CASES, ids=[c[0] for c in CASES])
def test_library_raises_with_located_problems(name, row, column, expected):
    with pytest.raises(fiscalmon.FiscalDataError) as caught:
        fiscalmon.read_monthly(MALFORMED / name)
    problems = caught.value.problems
    assert any(expected in p.expected for p in problems)
    assert all(p.file == name for p in problems)
    if row is not None:
        assert any(p.row == row for p in problems)


def test_every_problem_in_a_file_is_listed_in_row_order():
    """many_problems.csv has four bad rows, one problem each: all four are reported together."""
    with pytest.raises(fiscalmon.FiscalDataError) as caught:
        fiscalmon.read_monthly(MALFORMED / "many_problems.csv")
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [(2, "ytd"), (3, "period"), (4, "yoy_pct"), (5, "unit")]


def test_every_malformed_file_is_covered():
    covered = {c[0] for c in CASES} | {"many_problems.csv"}
    assert covered == {p.name for p in MALFORMED.glob("*.csv")}
