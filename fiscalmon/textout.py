"""How the command line shows a table and where it puts its output (shared by every command)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .args import ArgumentError
from .writers import atomic_write, neutralise_csv_text


#: Encodings a command may write its file in: UTF-8 (the default, for other tools), UTF-8 with a BOM
#: or GBK (for Excel on a Chinese Windows, which otherwise shows UTF-8 Chinese as mojibake).
OUTPUT_ENCODINGS = ("utf-8", "utf-8-sig", "gbk")


def emit(text: str, args) -> None:
    """Print, or write whole to ``args.output`` in ``args.encoding`` (never half-written) and say where."""
    if args.output is None:
        sys.stdout.write(text)
        return
    encoding = getattr(args, "encoding", "utf-8")
    if encoding == "gbk":
        text = text.replace("\u2212", "-")  # GBK has no minus sign (−); the hyphen-minus means the same
    try:
        text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise ArgumentError("--encoding", encoding, f"an encoding that has every character written "
                            f"({text[exc.start:exc.end]!r} has no {encoding} code)", "Write utf-8-sig instead.") from None
    path = atomic_write(args.output, lambda tmp: Path(tmp).write_text(text, encoding=encoding))
    print(f"wrote {path}", file=sys.stderr)


def add_encoding_argument(parser) -> None:
    """The ``--encoding`` option of a command that writes a file with ``-o``."""
    parser.add_argument("--encoding", choices=OUTPUT_ENCODINGS, default="utf-8",
                        help="encoding of the file written with -o (default utf-8; utf-8-sig or gbk for Excel on "
                             "a Chinese Windows; gbk writes the minus sign − as -)")


def render_table(table: pd.DataFrame, fmt: str, *, decimals: int = 2) -> str:
    """A table as CSV (``fmt='csv'``, full precision) or as aligned text for the screen (Chinese-aware).

    In CSV, text a spreadsheet would evaluate (``=…``, ``+…``, ``-…``, ``@…``) gets a leading ``'``,
    on the screen as in a file: the same CSV may be redirected into a file that Excel opens.
    """
    table = table.copy()
    for name in table.columns:
        if isinstance(table[name].dtype, pd.PeriodDtype):
            table[name] = table[name].astype(str)
    if fmt == "csv":
        return neutralise_csv_text(table).to_csv(index=False, float_format="%.8g")
    if table.empty:
        return "(none)\n"
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250,
                           "display.max_colwidth", 400, "display.unicode.east_asian_width", True):
        return table.to_string(index=False, float_format=lambda v: f"{v:,.{decimals}f}", na_rep="") + "\n"
