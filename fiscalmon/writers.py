"""Writers: every file fiscalmon writes goes through :func:`atomic_write`, whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

import pandas as pd

__all__ = ["atomic_write", "write_table"]


def write_table(table: pd.DataFrame, path, *, encoding: str = "utf-8") -> Path:
    """Write a table to CSV or ``.xlsx`` atomically: the file appears whole or not at all.

    Periods are written as ``YYYY-MM``. ``encoding='gbk'`` writes a CSV for older Excel versions.

    Examples
    --------
    >>> write_table(fiscalmon.datasets.changji_monthly(), "changji.csv")  # doctest: +SKIP
    """
    path = Path(path)
    out = table.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.PeriodDtype):
            out[name] = out[name].astype(str)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"path must end in .csv or .xlsx; got {path.name!r}")

    def write(target: Path) -> None:
        if suffix == ".csv":
            out.to_csv(target, index=False, encoding=encoding)
        else:
            out.to_excel(target, index=False, engine="openpyxl")

    return atomic_write(path, write)


def atomic_write(path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path`` and rename it into place on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
