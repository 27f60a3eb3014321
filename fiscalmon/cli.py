"""The ``fiscalmon`` command line.

Bad input never produces a traceback: data problems are listed and the command exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

from . import __version__
from .args import ArgumentError
from .errors import FiscalDataError, FiscalDataWarning, ForecastWarning, OutputError
from .cliread import add_reading_arguments, print_notes, read_files
from .io import read_annual, read_monthly
from .joins import join_tables
from .schema import ITEMS
from .summary import coverage, latest_by_region
from .textout import add_encoding_argument, emit, render_table

EXIT_DATA_ERROR = 2


def _read_monthly_files(paths: list[str], args, **options) -> pd.DataFrame:
    return read_files(read_monthly, paths, args, "monthly", **options)


def cmd_summary(args) -> None:
    monthly = _read_monthly_files(args.file, args, sheet=args.sheet, year=args.year)
    latest = latest_by_region(monthly)
    if args.format == "csv":
        emit(render_table(latest.drop(columns=["item_zh"]), "csv"), args)
        return
    info = coverage(monthly)
    source = monthly.attrs
    head = [
        f"{source.get('source_file')}  (encoding {source.get('encoding') or 'n/a'}, {source.get('layout')} layout)",
        f"{info['rows']} rows: {info['regions']} regions, {info['items']} items, "
        f"{info['months']} months from {info['first']} to {info['last']}; amounts in 亿元.",
        "",
    ]
    shown = latest.drop(columns=["unit"]).rename(columns={"ytd": "ytd (亿元)"})
    emit("\n".join(head) + render_table(shown, "table"), args)


def _read_inputs(args):
    """The monthly table(s) and the annual table, joined: names to codes, units and budgets checked."""
    monthly = _read_monthly_files(args.monthly, args)
    annual = read_files(read_annual, args.annual, args, "annual") if args.annual else None
    return join_tables(monthly, annual)


def _read_special(args):
    """The special-factors table(s) of --special (可比口径), or None."""
    from .io import read_special

    return read_files(read_special, args.special, args, "special") if args.special else None


def cmd_forecast(args) -> None:
    from .forecast import OUTPUT_COLUMNS, forecast_full_year

    monthly, annual = _read_inputs(args)
    result = forecast_full_year(monthly, annual, args.month, methods=args.method, items=args.item,
                                regions=args.region, special=_read_special(args), progress=not args.quiet)
    table = result.table
    if args.format == "csv":
        emit(render_table(table[OUTPUT_COLUMNS], "csv"), args)
        for line in result.notes:
            print(f"note: {line}", file=sys.stderr)
        for source, count in table["interval_source"].value_counts().items():
            print(f"note: {count} interval(s) from {source}", file=sys.stderr)
        return
    shown = table[["region_code", "region", "item", "method", "ytd", "budget", "completion_pct", "point", "lo80",
                   "hi80", "p_attain", "required_rest_growth_pct", "interval_source"]].copy()
    fell_back = table["method"] != table["requested_method"]
    shown.loc[fell_back, "method"] = table["requested_method"][fell_back] + "→" + table["method"][fell_back]
    head = (f"Full-year projection as of {result.month} (亿元; interval 80%; p_attain = P(full year ≥ "
            "budget); required_rest_growth_pct = growth the remaining months need over last year's).\n"
            f"{result.notes[0]}\n")
    emit(head + render_table(shown, "table") + "".join(f"{line}\n" for line in result.notes[1:]), args)


def cmd_backtest(args) -> None:
    from .forecast import backtest

    monthly, annual = _read_inputs(args)
    result = backtest(monthly, annual, methods=args.method, months=args.months or range(1, 12), items=args.item,
                      regions=args.region, special=_read_special(args), min_train_years=args.min_train_years)
    summary = result.summary
    if args.plot:
        _save_backtest_plot(summary, args.plot)
    if args.format == "csv":
        emit(render_table(summary, "csv"), args)
        return
    head = ("Backtest: for every past year and as-of month, the projection from the data known then vs the outturn.\n"
            f"items: {', '.join(result.items)}; mape and bias_pct in percent (bias > 0: too high); coverage as a "
            "share; winkler80 in percent of the outturn.\n")
    tail = ""
    if summary["coverage80"].isna().any():
        from .forecast.intervals import MIN_ERRORS

        tail = (f"coverage and winkler80 are blank where no interval could be calibrated: an interval needs at "
                f"least {MIN_ERRORS} errors from earlier years (more years or more regions give them).\n")
    emit(head + render_table(summary, "table", decimals=3) + tail, args)


def _save_backtest_plot(summary, path: str) -> None:
    """The error-against-as-of-month chart, written whole (PNG, SVG or PDF by the file's suffix)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from . import plot
    from .writers import atomic_write

    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("png", "svg", "pdf"):
        raise ArgumentError("--plot", path, "a file name ending in .png, .svg or .pdf")
    if summary.empty:
        raise ArgumentError("--plot", path, "a backtest that scored at least one projection (this one scored none)")
    figure = plot.backtest_errors(summary)
    written = atomic_write(path, lambda tmp: figure.savefig(tmp, format=suffix, dpi=150))
    plt.close(figure)
    print(f"wrote {written}", file=sys.stderr)


REPORT_SUFFIXES = (".html", ".xlsx", ".pdf", ".docx")


def cmd_report(args) -> None:
    from tqdm.auto import tqdm

    from .io import read_cash_plan, read_risk
    from .report import monthly_report

    suffix = Path(args.output).suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise ArgumentError("-o", args.output, "a file name ending in " + ", ".join(REPORT_SUFFIXES))
    if suffix == ".pdf":
        from .report.render_pdf import HOW_TO_GET, find_browser

        if find_browser() is None:     # say so before minutes of work
            raise OutputError(args.output, HOW_TO_GET)
    steps = ["reading the monthly table", "reading the annual table", "reading the risk table",
             "projecting the full year", "assessing risk flags", f"writing {suffix[1:]}"]
    with tqdm(total=len(steps), disable=args.quiet, delay=0.5, unit="step", file=sys.stderr) as bar:
        started = []

        def step(text: str) -> None:  # a step starts: the one before it is done
            if started:
                bar.update(1)
            started.append(text)
            bar.set_description(text)

        # The readers' notes go into the report's 数据说明 as well as to the screen.
        with warnings.catch_warnings(record=True) as reading:
            warnings.simplefilter("always", FiscalDataWarning)
            step(steps[0])
            monthly = _read_monthly_files(args.monthly, args)
            step(steps[1])
            annual = read_files(read_annual, args.annual, args, "annual") if args.annual else None
            monthly, annual = join_tables(monthly, annual)
            step(steps[2])
            risk = read_files(read_risk, args.risk, args, "risk") if args.risk else None
            special = _read_special(args)
            cash_plan = read_files(read_cash_plan, [args.cash_plan], args, "cash_plan") if args.cash_plan else None
        notes = [note for w in reading if isinstance(w.message, FiscalDataWarning) for note in w.message.notes]
        for w in reading:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        report = monthly_report(monthly, annual, risk, args.month, prefecture=args.prefecture, item=args.item,
                                method=args.method, thresholds=args.thresholds, special=special,
                                region_table=getattr(args, "regions_file", None), notes=notes, cash_plan=cash_plan,
                                progress=step)
        step(steps[-1])
        path = report.write(args.output)
        bar.update(1)
    print(f"report written: {Path(path).resolve()}")


def cmd_items(args) -> None:
    table = pd.DataFrame([(i.key, i.zh, i.kind, "、".join(i.aliases)) for i in ITEMS.values()],
                         columns=["key", "中文", "kind", "aliases"])
    emit(render_table(table, args.format), args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fiscalmon", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"fiscalmon {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of unexpected errors")
    commands = parser.add_subparsers(dest="command", required=True)

    summary = commands.add_parser("summary", help="regions, months covered, latest YTD and growth of a monthly table")
    summary.add_argument("file", nargs="+", help="monthly table(s): .csv (UTF-8/GBK) or .xlsx; several files are "
                                                  "read as one table")
    summary.add_argument("--sheet", help="worksheet name of an .xlsx file (default: the first, unless another sheet holds this table)")
    summary.add_argument("--year", type=int, help="year for periods written without one (1-6月)")
    summary.set_defaults(run=cmd_summary)

    items = commands.add_parser("items", help="the item keys and their Chinese names")
    items.set_defaults(run=cmd_items)

    from .forecast import METHODS

    forecast = commands.add_parser("forecast", help="project the full year with intervals and odds of reaching budget")
    forecast.add_argument("--month", "--as-of", dest="month", required=True,
                          help="last month of data to use: 2024-06, 2024年6月, 202406 or 2024.6 (--as-of is the old name)")
    forecast.add_argument("--method", default="combination", choices=[*METHODS, "all"])
    forecast.set_defaults(run=cmd_forecast)

    backtest = commands.add_parser("backtest", help="how far each method missed in past years, per as-of month")
    backtest.add_argument("--method", action="append", choices=METHODS,
                          help="method to test (repeat; default: the bureau methods and the combination)")
    backtest.add_argument("--months", help="as-of months to test, e.g. 3,6,9 (default 1-11)")
    backtest.add_argument("--min-train-years", type=int, default=5,
                          help="years used only to learn errors before scoring starts (default 5)")
    backtest.add_argument("--plot", metavar="FILE.png", help="also draw MAPE against as-of month, per method")
    backtest.set_defaults(run=cmd_backtest)

    report = commands.add_parser("report", help="the monthly report (HTML or Excel): projections and risk flags")
    report.add_argument("--monthly", required=True, nargs="+",
                        help="monthly table(s): .csv (UTF-8/GBK) or .xlsx; several files are read as one table")
    report.add_argument("--annual", nargs="+", help="annual table(s) (outturns, budgets)")
    report.add_argument("--risk", nargs="+", help="county risk table(s) (without it the report has no flags)")
    report.add_argument("--month", required=True, help="the month reported on: 2024-06, 2024年6月, 202406 or 2024.6")
    report.add_argument("--prefecture", help="report on this prefecture's counties (region code); also the code of "
                                             "the files' 合计/全州 rows")
    report.add_argument("--item", default="gpb_revenue", help="item projected (default gpb_revenue)")
    report.add_argument("--method", default="combination", choices=METHODS)
    report.add_argument("--thresholds", help="a province's thresholds file (TOML) over the defaults")
    report.add_argument("--quiet", action="store_true", help="no progress bar")
    report.add_argument("-o", "--output", required=True,
                        help="report.html, report.xlsx, report.pdf (printed by headless Chromium) or report.docx")
    report.set_defaults(run=cmd_report)

    from .risk.commands import add_commands

    add_commands(commands)

    for sub, annual_required in ((forecast, False), (backtest, True)):
        sub.add_argument("monthly", nargs="+",
                         help="monthly table(s): .csv (UTF-8/GBK) or .xlsx; several files are read as one table")
        sub.add_argument("--annual", nargs="+", required=annual_required, help="annual table(s) (outturns, budgets)")
        sub.add_argument("--region", action="append", help="region code to include (repeat; default all)")
        sub.add_argument("--item", action="append",
                         help="item key or Chinese name (repeat; default: every flow item, pooled in a backtest)")
        sub.add_argument("--quiet", action="store_true", help="no progress bar")

    for sub in (summary, forecast, backtest):
        add_reading_arguments(sub)
    for sub in (forecast, backtest, report):
        sub.add_argument("--special", nargs="+", metavar="FILE",
                         help="special factors (可比口径: refunds, one-off receipts …) to project on the comparable basis")
    report.add_argument("--cash-plan", dest="cash_plan", metavar="FILE",
                        help="cash plan (现金流计划) for the months after --month: the risk section projects month-end "
                             "库款 over the next three months and names the counties that would run short")
    add_reading_arguments(report, prefecture=False)

    for sub in (summary, items, forecast, backtest):
        sub.add_argument("--format", choices=("table", "csv"), default="table")
        sub.add_argument("-o", "--output", help="write to this file instead of the screen")
        add_encoding_argument(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FiscalDataWarning)
        warnings.simplefilter("always", ForecastWarning)
        try:
            args.run(args)
        except FiscalDataError as exc:
            print(f"fiscalmon: the input has problems; nothing was written.\n{exc}", file=sys.stderr)
            return EXIT_DATA_ERROR
        except (ArgumentError, FileNotFoundError, IsADirectoryError, PermissionError, OutputError) as exc:
            # an argument fiscalmon cannot use (or the data cannot answer: a month not in them), a missing
            # input file, an output that cannot be written
            print(f"fiscalmon: {exc}", file=sys.stderr)
            return EXIT_DATA_ERROR
        except Exception as exc:  # noqa: BLE001 - the command line shows a message, not a traceback
            if args.debug:
                raise
            print(f"fiscalmon: unexpected error ({type(exc).__name__}: {exc}). "
                  "Run again with --debug for the traceback and report it.", file=sys.stderr)
            return 1
        finally:
            print_notes([w for w in caught if issubclass(w.category, (FiscalDataWarning, ForecastWarning))])
    return 0


if __name__ == "__main__":
    sys.exit(main())
