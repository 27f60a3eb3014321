"""Errors and warnings about input data.

A reader never stops at the first bad cell: it collects every :class:`Problem` it finds and raises
one :class:`FiscalDataError` listing them all, so an analyst can fix a file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located well enough to find and fix it.

    ``row`` is the row number as a spreadsheet shows it (the header row of a plain CSV is row 1), or
    ``None`` when the problem concerns the whole file or a whole column.
    """

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str
    action: str
    kind: str = ""  # for a note: which kind (see NOTE_KINDS), so that a run shows one line per kind

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        found = "" if self.value is None else f"found {self.value!r}; "
        return f"{', '.join(where)}: {found}expected {self.expected}. {self.action}"


class FiscalDataError(ValueError):
    """Input data that fiscalmon will not use, with every problem found.

    Attributes
    ----------
    problems : list of Problem
        Every problem, in file order.
    """

    def __init__(self, problems: list[Problem]):
        # File order: by file, then row (whole-file problems first), keeping discovery order within a row.
        self.problems = sorted(problems, key=lambda p: (p.file, -1 if p.row is None or not isinstance(p.row, int) else p.row))
        files = sorted({p.file for p in self.problems})
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {', '.join(files)}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


#: Kinds of notes, in the order a run shows them: first those that change numbers.
NOTE_KINDS = {
    "units": "units of amounts",
    "joins": "tables joined to each other",
    "regions": "region names and codes",
    "budgets": "which budget is used",
    "comparable": "comparable basis (可比口径)",
    "revisions": "revised figures",
    "values": "unusual values",
    "period": "period or year taken from the title",
    "items": "items not in the registry",
    "columns": "columns not used",
    "sheet": "which sheet was read",
    "footnotes": "note and signature lines skipped",
    "": "other",
}


class FiscalDataWarning(UserWarning):
    """Something in the input that fiscalmon used, but that a person should look at.

    ``notes`` holds the located :class:`Problem` s behind the message (all of one ``kind``), so that
    the command line can show one line per kind of note with a count and an example.
    """

    def __init__(self, message: str, notes: list[Problem] | None = None, kind: str = ""):
        super().__init__(message)
        self.notes = list(notes or [])
        self.kind = kind


class Collector:
    """Problems (errors) and notes (warnings) found while reading one table."""

    def __init__(self, label: str):
        self.label = label
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, row, column, value, expected, action):
        self.problems.append(Problem(self.label, row, column, value, expected, action))

    def warn(self, row, column, value, expected, action, kind: str = ""):
        self.warnings.append(Problem(self.label, row, column, value, expected, action, kind))


def note_warnings(notes: list[Problem], label: str) -> list[FiscalDataWarning]:
    """One :class:`FiscalDataWarning` per kind of note, numbers-changing kinds first.

    >>> [w.kind for w in note_warnings([Problem("f", 2, None, None, "x", "y", "columns"),
    ...                                  Problem("f", 3, None, None, "x", "y", "units")], "f")]
    ['units', 'columns']
    """
    order = list(NOTE_KINDS)
    kinds = sorted({n.kind for n in notes}, key=lambda k: order.index(k) if k in order else len(order))
    result = []
    for kind in kinds:
        these = [n for n in notes if n.kind == kind]
        lines = "\n".join(f"  - {n}" for n in these)
        result.append(FiscalDataWarning(f"{len(these)} note(s) on {label} ({NOTE_KINDS.get(kind, kind)}):\n{lines}",
                                        these, kind))
    return result


class ForecastWarning(UserWarning):
    """A projection made in a simpler way than asked (a model fell back to a bureau method)."""
