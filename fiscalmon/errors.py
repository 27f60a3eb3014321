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


class FiscalDataWarning(UserWarning):
    """Something in the input that fiscalmon used, but that a person should look at."""


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
