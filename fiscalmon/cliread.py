"""How every command reads its input files, and how it shows the notes the readers make.

Shared by the commands of :mod:`fiscalmon.cli` and :mod:`fiscalmon.risk.commands`: the unit of each
file (``--unit 元`` for all, ``--unit 'FILE=元'`` for one), the regions table over the shipped one
(``--regions-file``), the area a 合计 row totals (``--prefecture``), several files read as one table,
and the notes printed once per kind with a count and an example.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .args import ArgumentError
from .errors import NOTE_KINDS, FiscalDataWarning
from .joins import combine_tables


def add_reading_arguments(parser, *, prefecture: bool = True) -> None:
    """The options every command that reads bureau files has."""
    parser.add_argument("--unit", action="append", metavar="UNIT or FILE=UNIT",
                        help="unit of the amounts (元/万元/亿元) when a file does not say, or says wrongly; "
                             "FILE=UNIT for one file of several (repeat)")
    parser.add_argument("--regions-file", metavar="FILE",
                        help="regions table (codes, names, parents, levels, aliases) over the shipped Xinjiang one")
    parser.add_argument("--file-region", metavar="'CODE NAME'",
                        help="the region of one-region tables without a region column, e.g. '652300 昌吉州'")
    if prefecture:
        parser.add_argument("--prefecture", metavar="CODE",
                            help="the prefecture the files cover: its code for 合计/全州 rows (652300)")


def unit_for(args, path) -> str | None:
    """The unit --unit gives for ``path``: its own FILE=UNIT entry, else the entry without a file."""
    entries = getattr(args, "unit", None) or []
    general, own = None, None
    for entry in entries:
        file, sep, unit = entry.rpartition("=")
        if not sep:
            general = entry
        elif Path(file).name == Path(str(path)).name or Path(file) == Path(str(path)):
            own = unit
    return own or general


#: The arguments of the commands that name input files.
_INPUTS = ("file", "monthly", "annual", "risk", "risk_table")


def check_unit_entries(args) -> None:
    """Every --unit FILE=UNIT must name one of the files the command reads."""
    paths = [p for name in _INPUTS for p in (getattr(args, name, None) or [])]
    names = {Path(str(p)).name for p in paths} | {str(p) for p in paths}
    for entry in getattr(args, "unit", None) or []:
        file, sep, _ = entry.rpartition("=")
        if sep and file not in names and Path(file).name not in names:
            raise ArgumentError("--unit", entry, f"UNIT, or FILE=UNIT with FILE one of the files read "
                                                 f"({', '.join(sorted(names))})")


def read_files(reader, paths, args, kind: str, **options) -> pd.DataFrame:
    """One table from one file or several (a file a month): a figure in two files is an error."""
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    check_unit_entries(args)
    shared = {"region": getattr(args, "file_region", None), "region_table": getattr(args, "regions_file", None),
              "prefecture": getattr(args, "prefecture", None)}
    tables = [reader(path, unit=unit_for(args, path), **shared, **options) for path in paths]
    if len(tables) == 1:
        return tables[0]
    return combine_tables(tables, kind, region_table=shared["region_table"])


def print_notes(caught, stream=sys.stderr) -> None:
    """The readers' notes, one line per kind (numbers-changing kinds first) with a count and an example;
    other warnings (a model that fell back) one line each."""
    groups: dict[str, list] = {}
    others = []
    for warning in caught:
        if isinstance(warning.message, FiscalDataWarning) and warning.message.notes:
            groups.setdefault(warning.message.kind, []).extend(warning.message.notes)
        else:
            others.append(warning.message)
    order = list(NOTE_KINDS)
    for kind in sorted(groups, key=lambda k: order.index(k) if k in order else len(order)):
        notes = groups[kind]
        more = f" (and {len(notes) - 1} more like it)" if len(notes) > 1 else ""
        print(f"note [{NOTE_KINDS.get(kind, kind)}, {len(notes)}]: {notes[0]}{more}", file=stream)
    for message in others:
        print(f"note: {message}", file=stream)
