"""How the command line shows a table and where it puts its output (shared by every command)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .io import atomic_write


def emit(text: str, output: str | None) -> None:
    """Print, or write whole to a file (never half-written) and say where."""
    if output is None:
        sys.stdout.write(text)
        return
    path = atomic_write(output, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    print(f"wrote {path}", file=sys.stderr)


def render_table(table: pd.DataFrame, fmt: str, *, decimals: int = 2) -> str:
    """A table as CSV (``fmt='csv'``, full precision) or as aligned text for the screen (Chinese-aware)."""
    table = table.copy()
    for name in table.columns:
        if isinstance(table[name].dtype, pd.PeriodDtype):
            table[name] = table[name].astype(str)
    if fmt == "csv":
        return table.to_csv(index=False, float_format="%.8g")
    if table.empty:
        return "(none)\n"
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250,
                           "display.max_colwidth", 400, "display.unicode.east_asian_width", True):
        return table.to_string(index=False, float_format=lambda v: f"{v:,.{decimals}f}", na_rep="") + "\n"
