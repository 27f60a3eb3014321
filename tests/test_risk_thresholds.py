"""Thresholds as data: the shipped defaults, their sources, province and year overrides, bad files."""

from __future__ import annotations

import datetime as dt
import doctest
import math

import pytest

from fiscalmon import FiscalDataError
from fiscalmon.risk import thresholds as thresholds_module
from fiscalmon.risk.indicators import INDICATORS
from fiscalmon.risk.thresholds import TAGS, load_thresholds, province_of

INF = math.inf


def _bands(indicator, province=None, month="2023-06", thresholds=None):
    chosen = (thresholds or load_thresholds()).resolve(indicator, province, month)
    return [(b.level, b.lower, b.upper) for b in chosen.bands], chosen.closed


# ---- the confirmed defaults the issue requires ---------------------------------------------------

# indicator, bands, closed, the tags of its bands, the rule: each default as its public source gives it
SHIPPED = [
    ("debt_grade", [("green", -INF, 120), ("yellow", 120, 200), ("orange", 200, 300), ("red", 300, INF)], "left",
     {"P"}, "debt colour grade: red ≥ 300%, orange 200–300%, yellow 120–200%, green < 120% (secondary source)"),
    ("interest_burden_general", [("green", -INF, 10), ("red", 10, INF)], "right", {"P"},
     "general-debt interest above 10% of general expenditure: restructuring trigger (88号, paraphrase only)"),
    ("interest_burden_special", [("green", -INF, 10), ("red", 10, INF)], "right", {"P"},
     "special-debt interest above 10% of fund expenditure: restructuring trigger (88号, paraphrase only)"),
    ("sanbao_gap", [("green", -INF, 0), ("orange", 0, INF)], "right", {"C"},
     "any 三保 budget gap is flagged (财预〔2020〕12号, quoted)"),
    ("wage_arrears", [("green", -INF, 0), ("red", 0, INF)], "right", {"P"}, "any wage arrears: red (Xinjiang)"),
    ("wage_payment", [("green", -INF, 0), ("red", 0, INF)], "right", {"P"},
     "wages paid below wages due this month: arrears, red (Xinjiang: wages first every month)"),
    ("social_insurance_arrears", [("green", -INF, 0), ("red", 0, INF)], "right", {"P"},
     "unpaid social insurance, with wage arrears: red (Xinjiang)"),
    ("overdue_debt", [("green", -INF, 0), ("red", 0, INF)], "right", {"U"}, "any overdue debt: red (a default)"),
    ("cash_outlook", [("red", -INF, 0), ("green", 0, INF)], "left", {"U"}, "projected cash below zero: red"),
    ("capacity_gap", [("green", -INF, 0), ("orange", 0, INF)], "right", {"U"}, "rigid spending above 可用财力"),
    ("treasury_coverage", [("red", -INF, 0.2), ("yellow", 0.2, 0.4), ("green", 0.4, 2.0), ("yellow", 2.0, INF)],
     "left", {"U"}, "nominal balance: 预警 < 0.2, 偏低 below the 0.4 floor, 正常, 闲置 ≥ 2 (all defaults)"),
    ("treasury_coverage_usable", [("red", -INF, 0.1), ("yellow", 0.1, 0.33), ("green", 0.33, INF)], "left", {"U"},
     "usable cash: 预警 < 0.1, 偏低 under one 旬, 正常; no idle ceiling on this basis"),
]


@pytest.mark.parametrize("indicator, bands, closed, tags, rule", SHIPPED, ids=[c[4] for c in SHIPPED])
def test_shipped_defaults_and_their_tags(indicator, bands, closed, tags, rule):
    assert _bands(indicator) == (bands, closed)
    assert {b.tag for b in load_thresholds().resolve(indicator, None, "2023-06").bands} == tags


def test_treasury_statuses_follow_the_monitoring_platforms():
    labels = [b.label for b in load_thresholds().resolve("treasury_coverage", None, "2023-06").bands]
    assert labels == ["预警", "偏低", "正常", "闲置"]
    usable = [b.label for b in load_thresholds().resolve("treasury_coverage_usable", None, "2023-06").bands]
    assert usable == ["预警", "偏低", "正常"]


def test_every_band_has_value_unit_source_and_tag_and_only_sourced_bands_a_date():
    table = load_thresholds().table()
    assert set(table["indicator"]) == set(INDICATORS)
    for column in ("band", "unit", "source", "tag"):
        assert table[column].astype(str).str.strip().ne("").all(), column
    assert set(table["tag"]) <= set(TAGS)
    # A band without a public source says so, in Chinese, and carries no effective date.
    unsourced = table[table["tag"] == "U"]
    assert len(unsourced) and (unsourced["source"] == "fiscalmon默认值（无公开依据）").all()
    assert (unsourced["effective"] == "").all()
    # A [C] band quotes its primary source (a 文号 and a quotation) and is dated.
    confirmed = table[table["tag"] == "C"]
    assert len(confirmed) and confirmed["source"].str.contains("〔").all() and confirmed["source"].str.contains("“").all()
    for day in confirmed["effective"]:
        dt.date.fromisoformat(day)


INTERNAL = ("DOMAIN", "TERMS", "STYLE", ".md", ".txt", "seed", "risk_sources", "/work", "notes")


def test_no_source_or_note_names_an_internal_file():
    table = load_thresholds().table()
    for text in [*table["source"], *table["note"]]:
        assert not any(word in text for word in INTERNAL), text
    # sources are written in Chinese
    assert table["source"].str.contains(r"[\u4e00-\u9fff]").all()


def test_a_flag_quotes_the_source_without_a_future_effective_date():
    from fiscalmon.risk import assess
    import pandas as pd

    table = pd.DataFrame({"region_code": ["653100"], "period": pd.PeriodIndex(["2023-06"], freq="M"),
                          "overdue_debt": [0.1], "sanbao_need": [1.0], "sanbao_budget": [0.9]})
    flags = assess(table, "2023-06").flags.set_index("indicator")
    assert flags.loc["overdue_debt", "threshold_source"] == "[U] fiscalmon默认值（无公开依据）"
    assert flags.loc["sanbao_gap", "threshold_source"].startswith("[C] 财政部《关于有效应对新冠肺炎疫情影响")
    assert flags.loc["sanbao_gap", "threshold_source"].endswith("（生效2020-03-04）")
    assert not flags["threshold_source"].str.contains("生效2026").any()


# value, expected level: every boundary of the confirmed bands, and a value either side
BOUNDARIES = [
    ("debt_grade", 119.99, "green"), ("debt_grade", 120, "yellow"), ("debt_grade", 199.99, "yellow"),
    ("debt_grade", 200, "orange"), ("debt_grade", 299.99, "orange"), ("debt_grade", 300, "red"),
    ("interest_burden_general", 9.99, "green"), ("interest_burden_general", 10, "green"),
    ("interest_burden_general", 10.01, "red"),
    ("sanbao_gap", -0.5, "green"), ("sanbao_gap", 0, "green"), ("sanbao_gap", 0.01, "orange"),
    ("wage_arrears", 0, "green"), ("wage_arrears", 0.01, "red"),
    ("treasury_coverage", 0.19, "red"), ("treasury_coverage", 0.2, "yellow"), ("treasury_coverage", 0.39, "yellow"),
    ("treasury_coverage", 0.4, "green"), ("treasury_coverage", 2, "yellow"),
    ("treasury_coverage_usable", 0.09, "red"), ("treasury_coverage_usable", 0.1, "yellow"),
    ("treasury_coverage_usable", 0.32, "yellow"), ("treasury_coverage_usable", 0.33, "green"),
    ("treasury_coverage_usable", 5, "green"),
    ("cash_outlook", -0.01, "red"), ("cash_outlook", 0, "green"),
    ("overdue_debt", 0, "green"), ("overdue_debt", 0.01, "red"),
]


@pytest.mark.parametrize("indicator, value, level", BOUNDARIES, ids=[f"{i} {v} → {lv}" for i, v, lv in BOUNDARIES])
def test_classify_on_and_around_each_boundary(indicator, value, level):
    bands = load_thresholds().resolve(indicator, None, "2023-06")
    assert bands.bands[bands.classify([value])[0]].level == level


def test_missing_value_falls_in_no_band():
    bands = load_thresholds().resolve("debt_grade", None, "2023-06")
    assert bands.classify([float("nan")]).tolist() == [-1]


def test_province_of_region_codes():
    assert [province_of(c) for c in ("653122", "652300-zd", "620102", "TX")] == ["650000", "650000", "620000", None]


# ---- overrides per province and per year ----------------------------------------------------------

OVERRIDE = """
title = "某省库款管理（测试用）"

[[threshold]]
indicator = "treasury_coverage"
province = "650000"
year = 2023
source = "某省财政厅库款考核办法（测试用）"
tag = "P"

  [[threshold.bands]]
  level = "red"
  label = "预警"
  upper = 0.6

  [[threshold.bands]]
  level = "green"
  label = "正常"
  lower = 0.6
  upper = 1.5

  [[threshold.bands]]
  level = "yellow"
  label = "闲置"
  lower = 1.5

[[threshold]]
indicator = "advances_share"
effective = 2023-03-01
source = "本省规定（测试用）"
tag = "P"

  [[threshold.bands]]
  level = "green"
  upper = 3

  [[threshold.bands]]
  level = "orange"
  lower = 3
"""


@pytest.fixture
def override(tmp_path):
    path = tmp_path / "province.toml"
    path.write_text(OVERRIDE, encoding="utf-8")
    return load_thresholds(path)


# indicator, province, month, expected bands' cut points, why
RESOLVE_CASES = [
    ("treasury_coverage", "650000", "2023-06", [0.6, 1.5], "Xinjiang in 2023: the province's year entry"),
    ("treasury_coverage", "650000", "2022-12", [0.2, 0.4, 2.0], "Xinjiang in 2022: before the year entry, defaults"),
    ("treasury_coverage", "650000", "2024-01", [0.2, 0.4, 2.0], "Xinjiang in 2024: the year entry is over"),
    ("treasury_coverage", "620000", "2023-06", [0.2, 0.4, 2.0], "another province: defaults"),
    ("treasury_coverage", None, "2023-06", [0.2, 0.4, 2.0], "a region without a province code: defaults"),
    ("advances_share", "620000", "2023-03", [3.0], "entry for every province, in force from 2023-03-01"),
    ("advances_share", "650000", "2023-02", [5.0], "the month before it took effect: defaults"),
    ("advances_share", "650000", "2025-12", [3.0], "no end date: still in force"),
]


@pytest.mark.parametrize("indicator, province, month, cuts, why", RESOLVE_CASES, ids=[c[4] for c in RESOLVE_CASES])
def test_overrides_apply_per_province_and_year(override, indicator, province, month, cuts, why):
    assert override.resolve(indicator, province, month).cuts.tolist() == cuts


def test_override_bands_inherit_source_tag_and_date_from_their_entry(override):
    bands = override.resolve("treasury_coverage", "650000", "2023-06")
    assert {(b.source, b.tag, b.effective) for b in bands.bands} == {
        ("某省财政厅库款考核办法（测试用）", "P", dt.date(2023, 1, 1))}
    assert bands.origin == "province.toml" and bands.period_text == "2023 only"


def test_table_in_force_shows_the_province_bands_with_their_source(override):
    table = override.table("2023-06", "650000")
    rows = table[table["indicator"] == "treasury_coverage"]
    assert rows["band"].tolist() == ["x < 0.6", "0.6 ≤ x < 1.5", "x ≥ 1.5"]
    assert (rows["origin"] == "province.toml").all() and (rows["scope"] == "650000").all()
    assert table["indicator"].nunique() == len(INDICATORS)  # one band set per indicator, the province's where set


def test_a_later_entry_of_the_same_scope_wins(tmp_path):
    entry = """
[[threshold]]
indicator = "advances_share"
effective = {date}
source = "s"
tag = "U"
  [[threshold.bands]]
  level = "green"
  upper = {cut}
  [[threshold.bands]]
  level = "yellow"
  lower = {cut}
"""
    path = tmp_path / "t.toml"
    path.write_text(entry.format(date="2022-01-01", cut=4) + entry.format(date="2023-01-01", cut=6), encoding="utf-8")
    loaded = load_thresholds(path)
    assert loaded.resolve("advances_share", "650000", "2022-06").cuts.tolist() == [4.0]
    assert loaded.resolve("advances_share", "650000", "2023-06").cuts.tolist() == [6.0]


# ---- bad files: every problem located ------------------------------------------------------------

GOOD_BANDS = """
  [[threshold.bands]]
  level = "green"
  upper = 120
  [[threshold.bands]]
  level = "red"
  lower = 120
"""
HEAD = '[[threshold]]\nindicator = "debt_grade"\nsource = "s"\ntag = "C"\neffective = 2023-01-01\n'

# file text, the key the problem names, words the message must contain, why
BAD_FILES = [
    ("[[threshold]\nindicator = 1\n", None, "valid TOML", "a syntax error"),
    (HEAD.replace("debt_grade", "debt_grde") + GOOD_BANDS, "threshold[1].indicator", "debt_ratio, debt_grade",
     "an unknown indicator: the message lists the known ones"),
    (HEAD + GOOD_BANDS.replace('"red"', '"crimson"'), "threshold[1].bands[2].level", "green, yellow, orange, red",
     "a level that is not a colour"),
    (HEAD + GOOD_BANDS.replace("lower = 120", "lower = 130"), "threshold[1].bands[1].upper", "130",
     "a gap between 120 and 130"),
    (HEAD + GOOD_BANDS.replace('level = "green"', 'level = "green"\n  lower = 0'), "threshold[1].bands[1].lower",
     "no lower bound", "the lowest band has a lower bound: negative values would fall in none"),
    (HEAD.replace('source = "s"\n', "") + GOOD_BANDS, "threshold[1].bands[1].source", "where the value comes from",
     "no source"),
    (HEAD.replace('tag = "C"', 'tag = "X"') + GOOD_BANDS, "threshold[1].tag", "C, P or U",
     "an unknown tag on the entry: reported once, on the entry's line"),
    (HEAD + 'unit = "万元"\n' + GOOD_BANDS, "threshold[1].unit", "'%'", "a unit other than the indicator's"),
    (HEAD + "year = 2023\n" + GOOD_BANDS, "threshold[1].year", "either effective", "both effective and year"),
    (HEAD + 'province = "新疆"\n' + GOOD_BANDS, "threshold[1].province", "650000", "a province by name"),
    (HEAD + GOOD_BANDS.replace("upper = 120", "uppper = 120"), "threshold[1].bands[1].uppper", "a key among",
     "a misspelt key"),
    (HEAD, "threshold[1].bands", "bands", "an entry without bands"),
    (HEAD.replace("effective = 2023-01-01\n", "") + GOOD_BANDS, "threshold[1].bands[1].effective", "YYYY-MM-DD",
     "no date"),
    (HEAD + GOOD_BANDS + HEAD + GOOD_BANDS, "threshold[2].indicator", "entry 1 has the same", "the same entry twice"),
]


@pytest.mark.parametrize("text, key, words, why", BAD_FILES, ids=[b[3] for b in BAD_FILES])
def test_bad_threshold_files_raise_located_problems(tmp_path, text, key, words, why):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FiscalDataError) as caught:
        load_thresholds(path)
    problems = caught.value.problems
    assert all(p.file == "bad.toml" for p in problems)
    located = [p for p in problems if p.column == key] if key else problems
    assert located, [str(p) for p in problems]
    problem = located[0]
    assert problem.row is not None, "the line of the problem"
    assert words in str(problem) and problem.action


def test_line_numbers_point_at_the_key(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(HEAD + GOOD_BANDS.replace('"red"', '"crimson"'), encoding="utf-8")
    with pytest.raises(FiscalDataError) as caught:
        load_thresholds(path)
    line = caught.value.problems[0].row
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].strip() == 'level = "crimson"'


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_thresholds(tmp_path / "none.toml")


def test_docstring_examples_run():
    from fiscalmon.risk import bands as bands_module

    results = [doctest.testmod(module) for module in (thresholds_module, bands_module)]
    assert sum(r.attempted for r in results) > 5 and all(r.attempted for r in results)
    assert sum(r.failed for r in results) == 0
