"""Errors and warnings about input data, and the error for an output that cannot be written.

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


#: How many problems of one kind (same file, column and advice) a message shows; the rest are counted.
SHOWN_PER_KIND = 5
#: How many of one kind a reader keeps; beyond that it only counts them (a million bad rows).
KEPT_PER_KIND = 200


def _kind_of(problem: Problem) -> tuple:
    return problem.file, problem.column, problem.action


class FiscalDataError(ValueError):
    """Input data that fiscalmon will not use, with every problem found.

    The message shows the first few problems of each kind (the same file, column and advice) and
    counts the rest, so that a file with 200,000 bad rows gives a page, not 50 MB.

    Attributes
    ----------
    problems : list of Problem
        The problems, in file order (at most a few hundred of each kind; ``uncounted`` has the rest).
    uncounted : dict
        For a kind with more problems than were kept: (file, column, action) → how many more.
    """

    def __init__(self, problems: list[Problem], uncounted: dict | None = None):
        # File order: by file, then row (whole-file problems first), keeping discovery order within a row.
        self.problems = sorted(problems, key=lambda p: (p.file, -1 if p.row is None or not isinstance(p.row, int) else p.row))
        self.uncounted = dict(uncounted or {})
        files = sorted({p.file for p in self.problems})
        count = len(self.problems) + sum(self.uncounted.values())
        lines = [f"{count} problem{'s' if count != 1 else ''} in {', '.join(files)}:"]
        kinds: dict[tuple, list[Problem]] = {}
        for problem in self.problems:
            kinds.setdefault(_kind_of(problem), []).append(problem)
        for kind, these in kinds.items():
            lines += [f"  - {p}" for p in these[:SHOWN_PER_KIND]]
            hidden = these[SHOWN_PER_KIND:]
            more = len(hidden) + self.uncounted.get(kind, 0)
            if more:
                rows = [str(p.row) for p in hidden[:8] if p.row is not None]
                at = f" (rows {', '.join(rows)}{' …' if more > len(rows) else ''})" if rows else ""
                lines.append(f"  - … and {more} more like the one above{at}")
        super().__init__("\n".join(lines))


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

        self.uncounted: dict[tuple, int] = {}
        self._kept: dict[tuple, int] = {}

    def error(self, row, column, value, expected, action):
        problem = Problem(self.label, row, column, value, expected, action)
        kind = _kind_of(problem)
        if self._kept.get(kind, 0) >= KEPT_PER_KIND:
            self.uncounted[kind] = self.uncounted.get(kind, 0) + 1
            return
        self._kept[kind] = self._kept.get(kind, 0) + 1
        self.problems.append(problem)

    def fail(self) -> "FiscalDataError":
        """The error listing every problem found (raise it)."""
        return FiscalDataError(self.problems, self.uncounted)

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


class OutputError(OSError):
    """An output file that could not be written (the command line exits with status 2).

    Not a ``ValueError``: the input is fine, the place to write it is not (a directory, a read-only
    directory, a full disk). The message is ``无法写入 PATH：REASON``.

    Attributes
    ----------
    path : str
        The output path as given.
    reason : str
        Why, Chinese first with the system's English words in brackets, e.g. ``磁盘已满 (No space left on device)``.
    """

    def __init__(self, path, reason: str):
        super().__init__(f"无法写入 {path}：{reason}")
        self.path = str(path)
        self.reason = reason
