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
from .errors import FiscalDataError, FiscalDataWarning
from .io import atomic_write, read_monthly
from .schema import ITEMS
from .summary import coverage, latest_by_region

EXIT_DATA_ERROR = 2


def _emit(text: str, output: str | None) -> None:
    """Print, or write whole to a file (never half-written)."""
    if output is None:
        sys.stdout.write(text)
        return
    path = atomic_write(output, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    print(f"wrote {path}", file=sys.stderr)


def _format_table(table: pd.DataFrame, fmt: str, *, decimals: int = 2) -> str:
    table = table.copy()
    for name in table.columns:
        if isinstance(table[name].dtype, pd.PeriodDtype):
            table[name] = table[name].astype(str)
    if fmt == "csv":
        return table.to_csv(index=False, float_format="%.8g")
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.unicode.east_asian_width", True):
        return table.to_string(index=False, float_format=lambda v: f"{v:,.{decimals}f}", na_rep="") + "\n"


def cmd_summary(args) -> None:
    monthly = read_monthly(args.file, sheet=args.sheet, unit=args.unit, year=args.year)
    latest = latest_by_region(monthly)
    if args.format == "csv":
        _emit(_format_table(latest.drop(columns=["item_zh"]), "csv"), args.output)
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
    _emit("\n".join(head) + _format_table(shown, "table"), args.output)


def cmd_items(args) -> None:
    table = pd.DataFrame([(i.key, i.zh, i.kind, "、".join(i.aliases)) for i in ITEMS.values()],
                         columns=["key", "中文", "kind", "aliases"])
    _emit(_format_table(table, args.format), args.output)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fiscalmon", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"fiscalmon {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of unexpected errors")
    commands = parser.add_subparsers(dest="command", required=True)

    summary = commands.add_parser("summary", help="regions, months covered, latest YTD and growth of a monthly table")
    summary.add_argument("file", help="monthly table: .csv (UTF-8/GBK) or .xlsx")
    summary.add_argument("--sheet", help="worksheet name of an .xlsx file (default: the first)")
    summary.add_argument("--unit", help="unit of the amounts if the file does not say (元/万元/亿元)")
    summary.add_argument("--year", type=int, help="year for periods written without one (1-6月)")
    summary.set_defaults(run=cmd_summary)

    items = commands.add_parser("items", help="the item keys and their Chinese names")
    items.set_defaults(run=cmd_items)

    for sub in (summary, items):
        sub.add_argument("--format", choices=("table", "csv"), default="table")
        sub.add_argument("-o", "--output", help="write to this file instead of the screen")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FiscalDataWarning)
        try:
            args.run(args)
        except FiscalDataError as exc:
            print(f"fiscalmon: the input has problems; nothing was written.\n{exc}", file=sys.stderr)
            return EXIT_DATA_ERROR
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            print(f"fiscalmon: {exc}", file=sys.stderr)
            return EXIT_DATA_ERROR
        except Exception as exc:  # noqa: BLE001 - the command line shows a message, not a traceback
            if args.debug:
                raise
            print(f"fiscalmon: unexpected error ({type(exc).__name__}: {exc}). "
                  "Run again with --debug for the traceback and report it.", file=sys.stderr)
            return 1
        finally:
            for warning in caught:
                if issubclass(warning.category, FiscalDataWarning):
                    print(f"note: {warning.message}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
