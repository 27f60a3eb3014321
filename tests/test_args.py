"""The front door: one parser per concept, errors naming the argument, one vocabulary, typed results."""

from __future__ import annotations

import pandas as pd
import pytest

import fiscalmon
from fiscalmon import args as check
from fiscalmon import cli as command_line
from fiscalmon.args import ArgumentError


@pytest.mark.parametrize("written", ["2023-06", "2023年6月", "2023年1-6月", "202306", "2023.6", "2023/06",
                                     pd.Period("2023-06", "M"), pd.Timestamp("2023-06-30"), 202306])
def test_one_month_parser_for_every_spelling(written):
    assert check.month_like(written) == pd.Period("2023-06", "M")


def test_2023_dot_10_is_october_not_january():
    assert check.month_like("2023.10") == pd.Period("2023-10", "M")


@pytest.mark.parametrize("written", ["June", "6月", "2023-13", "", None, 2023.5])
def test_a_bad_month_names_the_argument_and_the_accepted_spellings(written):
    with pytest.raises(ArgumentError) as caught:
        check.month_like(written, "--month")
    assert str(caught.value).startswith("--month must be a month") and "'2024年6月'" in str(caught.value)


@pytest.mark.parametrize("entry_point", ["forecast", "assess", "report"])
def test_every_entry_point_takes_the_same_month_spellings(entry_point):
    monthly, annual, risk = (fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual(),
                             fiscalmon.datasets.demo_risk())
    run = {"forecast": lambda m: fiscalmon.forecast_full_year(monthly, annual, m, items="gpb_revenue",
                                                              regions=["653101"], methods="carry_forward").month,
           "assess": lambda m: fiscalmon.assess(risk, m).month,
           "report": lambda m: fiscalmon.monthly_report(monthly, annual, risk, m, prefecture="653100").month}[entry_point]
    assert run("2023年6月") == run("202306") == run("2023-06") == pd.Period("2023-06", "M")
    with pytest.raises(ArgumentError, match="month must be a month"):
        run("June")


def test_items_by_key_or_chinese_name_and_an_item_the_table_lacks_names_what_it_holds():
    assert check.items_like("税收收入") == ["tax_revenue"]
    texas, outturns = fiscalmon.datasets.texas()
    with pytest.raises(ArgumentError) as caught:
        fiscalmon.backtest(texas, outturns, items="gpb_revenue", months=[6])
    assert "an item the table holds: tax_revenue" in str(caught.value)


def test_regions_not_in_the_table_are_named_with_some_it_holds():
    monthly = fiscalmon.datasets.changji_monthly()
    with pytest.raises(ArgumentError, match="regions must be a region code of the table \\(652300"):
        fiscalmon.forecast_full_year(monthly, None, "2023-06", regions=["999999"])


def test_methods_come_from_the_registry_everywhere():
    from fiscalmon.forecast import METHOD_ZH, METHODS

    assert list(METHOD_ZH) == list(METHODS)
    parser = command_line.build_parser()
    forecast = parser._subparsers._group_actions[0].choices["forecast"]
    choices = next(a.choices for a in forecast._actions if a.dest == "method")
    assert list(choices) == [*METHODS, "all"]
    with pytest.raises(ArgumentError, match="methods must be one of 'carry_forward'"):
        fiscalmon.forecast_full_year(fiscalmon.datasets.changji_monthly(), None, "2023-06", methods="arima2")


def test_results_have_one_type_each_and_convert_to_frames():
    monthly, annual = fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual()
    projection = fiscalmon.forecast_full_year(monthly, annual, "2023-06", items="gpb_revenue", regions=["653101"])
    assert isinstance(projection, fiscalmon.Projection) and projection.as_of == projection.month
    assert projection.to_frame().equals(projection.table) and projection.to_frame() is not projection.table
    assert "全年预计（截至2023-06）" in projection._repr_html_()
    assert projection.notes[0].startswith("budgets: 1 from the annual table")
    result = fiscalmon.backtest(monthly, annual, items="gpb_revenue", months=[6], regions=["653101", "653121"],
                                min_train_years=3)
    assert isinstance(result, fiscalmon.Backtest) and set(result.detail["region_code"]) <= {"653101", "653121"}
    assert result.to_frame().equals(result.summary) and result.items == ["gpb_revenue"]


def test_old_argument_names_still_work_with_a_deprecation_warning():
    monthly = fiscalmon.datasets.changji_monthly()
    new = fiscalmon.forecast_full_year(monthly, None, "2023-06", items="gpb_revenue", methods="growth_path").table
    with pytest.warns(DeprecationWarning, match="as_of= is deprecated; use month="):
        old = fiscalmon.forecast_full_year(monthly, as_of="2023-06", items="gpb_revenue", method="growth_path").table
    pd.testing.assert_frame_equal(new, old)


def test_the_same_historical_progress_in_the_library_and_the_projection():
    """One home per quantity: calendar.historical_progress_pct is the figure the projections and the report show."""
    monthly, annual = fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual()
    library = fiscalmon.calendar.historical_progress_pct(monthly, annual, as_of="2023-06")
    library = library[library["item"] == "gpb_revenue"].set_index("region_code")["hist_progress_pct"]
    shown = fiscalmon.forecast_full_year(monthly, annual, "2023-06", items="gpb_revenue",
                                         methods="carry_forward").table.set_index("region_code")["hist_progress_pct"]
    assert (library.loc[shown.index] - shown).abs().max() < 1e-9


def test_exit_status_2_for_an_argument_1_for_a_bug(monkeypatch, capsys):
    assert command_line.main(["forecast", str(fiscalmon.datasets.data_path("seeds/changji_2023h1_monthly.csv")),
                              "--month", "June", "--quiet"]) == 2
    assert "fiscalmon: month must be a month such as" in capsys.readouterr().err

    def broken(args):
        raise ValueError("an internal slip")

    monkeypatch.setattr(command_line, "cmd_items", broken)
    parser = command_line.build_parser
    monkeypatch.setattr(command_line, "build_parser", lambda: _with_items(parser(), broken))
    assert command_line.main(["items"]) == 1
    err = capsys.readouterr().err
    assert "unexpected error (ValueError: an internal slip)" in err and "--debug" in err


def _with_items(parser, run):
    parser._subparsers._group_actions[0].choices["items"].set_defaults(run=run)
    return parser
