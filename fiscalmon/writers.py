"""Writers: every file fiscalmon writes goes through :func:`atomic_write`, whole or not at all.

Text from input cells never becomes a formula: in an ``.xlsx`` file every text cell is stored as a
string (:func:`store_text_as_text`); in a CSV file, text that a spreadsheet would evaluate gets a
leading ``'`` (:func:`neutralise_csv_text`). See ``docs/outputs.md``.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Callable

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .args import ArgumentError
from .errors import OutputError

__all__ = ["atomic_write", "xml_safe_text", "neutralise_csv_text", "store_text_as_text", "write_table"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection), and
#: their full-width forms, which Chinese input methods type.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

#: Seconds after which a temporary file beside an output whose writer is gone counts as litter.
#: A write takes seconds; the margin keeps a slow write on a shared (network) disk safe.
STALE_AFTER = 600

# Paths naming a descriptor the caller already holds open (the shell's ``> file``): written into, never replaced.
_DESCRIPTOR_PATH = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/(self|\d+)/fd/\d+")

_REASONS = {errno.ENOSPC: "磁盘已满", errno.EDQUOT: "超出磁盘配额", errno.EACCES: "没有写入权限",
            errno.EPERM: "没有写入权限", errno.EROFS: "只读文件系统", errno.ENOTDIR: "路径中有一级不是目录",
            errno.EISDIR: "是一个目录", errno.EPIPE: "读取方已关闭"}


def write_table(table: pd.DataFrame, path, *, encoding: str = "utf-8") -> Path:
    """Write a table to CSV or ``.xlsx`` atomically: the file appears whole or not at all.

    Periods are written as ``YYYY-MM``. ``encoding='gbk'`` writes a CSV for older Excel versions.
    No text cell becomes a formula: CSV text starting with ``= + - @``, a tab or CR gets a leading
    ``'`` (:func:`neutralise_csv_text`); ``.xlsx`` text is stored as text, with the control
    characters a workbook cannot hold shown as ``�``.

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
        raise ArgumentError("path", path.name, "a file name ending in .csv or .xlsx")

    def write(target: Path) -> None:
        if suffix == ".csv":
            neutralise_csv_text(out).to_csv(target, index=False, encoding=encoding)
            return
        with pd.ExcelWriter(target, engine="openpyxl") as book:
            _map_text(out, xml_safe_text).to_excel(book, index=False, sheet_name="Sheet1")
            store_text_as_text(book.sheets["Sheet1"])

    return atomic_write(path, write)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would evaluate ``text`` typed into a cell: it starts with a character of
    :data:`FORMULA_STARTS` and is not a plain number (``-3.5`` and ``+2`` are read as numbers)."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise_csv_text(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells (and column names) a spreadsheet would evaluate get a leading ``'``.

    Only ``str`` values change: numbers stay numbers, negative ones included, and a text cell that
    is a plain number (``"-3.5"``) is left as it is, since Excel reads it as that number.

    >>> neutralise_csv_text(pd.DataFrame({"a": ['=1+1', '-3.5', '地区'], "b": [-1.0, 2.0, 3.0]}))["a"].tolist()
    ["'=1+1", '-3.5', '地区']
    """
    return _map_text(table, lambda text: "'" + text if looks_like_formula(text) else text)


def xml_safe_text(text: str) -> str:
    """``text`` with the control characters XML cannot hold shown as ``�``: a workbook (openpyxl refuses
    them) and a Word document (lxml refuses them) are XML inside."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def store_text_as_text(sheet) -> None:
    """Store every text cell of an openpyxl worksheet as a string, never as a formula or an error value.

    openpyxl reads a ``str`` starting with ``=`` as a formula (and ``#N/A`` as an error). Text that
    Excel would evaluate when typed also gets Excel's quote prefix, so that it stays text when an
    analyst edits the cell.
    """
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if looks_like_formula(cell.value):
                    cell.quotePrefix = True


def _map_text(table: pd.DataFrame, change: Callable[[str], str]) -> pd.DataFrame:
    """A copy of ``table`` with ``change`` applied to every ``str`` cell and column name."""
    out = table.copy()
    for name in out.columns:
        if out[name].dtype == object or pd.api.types.is_string_dtype(out[name].dtype):
            out[name] = out[name].map(lambda v: change(v) if isinstance(v, str) else v)
    out.columns = [change(c) if isinstance(c, str) else c for c in out.columns]
    return out


def atomic_write(path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file and put what it wrote at ``path``, whole or not at all.

    - A regular file, or a new path, is replaced by renaming the temporary file (made beside it) over
      it, so no reader ever sees it half-written. It keeps the permission bits of the file it
      replaces; a new file gets those the umask gives.
    - A symlink is followed: the file it points to is replaced and the link stays.
    - A named pipe, a character device (``/dev/null``, a terminal) or a descriptor path
      (``/dev/stdout``, ``/dev/fd/N``) is written through: the content is made in full in a scratch
      file first, then copied into it, since it cannot be renamed over.
    - A directory, block device or socket is refused.

    Temporary files that an earlier, killed write to the same file left beside it are removed once
    their process is gone and they are older than :data:`STALE_AFTER` seconds.

    Raises
    ------
    OutputError
        The output cannot be written (a directory, a read-only directory, a full disk …); the file
        at ``path`` is as it was. Any other exception from ``write`` passes through, also leaving it.
    """
    path = Path(path)
    if _writes_through(path):
        _write_through(path, write)
    else:
        _write_by_rename(path, Path(os.path.realpath(path)), write)
    return path


def _writes_through(path: Path) -> bool:
    """Whether ``path`` is written into (pipe, character device, held descriptor) rather than replaced."""
    if _DESCRIPTOR_PATH.fullmatch(str(path)):
        return True
    try:
        mode = path.stat().st_mode  # follows a symlink to what it points to
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from exc
    if stat.S_ISREG(mode):
        return False
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return True
    if stat.S_ISDIR(mode):
        raise OutputError(path, "是一个目录 (is a directory)")
    raise OutputError(path, "不是普通文件、管道或字符设备 (not a regular file, pipe or character device)")


def _write_by_rename(path: Path, target: Path, write: Callable[[Path], None]) -> None:
    with _as_output_error(path, unchanged=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target)
        mode = _mode_for(target)
        # The pid in the name tells a later write whether the process that made the file is still alive.
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=target.suffix,
                                        dir=target.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        with _as_output_error(path, unchanged=True):
            write(tmp)
            os.chmod(tmp, mode)  # mkstemp makes it private
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)  # left only when something failed


def _write_through(path: Path, write: Callable[[Path], None]) -> None:
    with _as_output_error(path, unchanged=False), tempfile.TemporaryDirectory(prefix="fiscalmon-") as scratch:
        tmp = Path(scratch) / f"output{path.suffix}"
        write(tmp)
        # Append: a descriptor path may be a file the shell opened (> or >>); never truncate what it holds.
        with open(tmp, "rb") as source, open(path, "ab") as sink:
            shutil.copyfileobj(source, sink)


@contextmanager
def _as_output_error(path: Path, *, unchanged: bool):
    """Report an ``OSError`` while writing ``path`` as an :class:`OutputError` saying why."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        note = "；原有文件未改动 (the previous file is unchanged)" if unchanged else ""
        raise OutputError(path, _reason(exc) + note) from exc


def _reason(exc: OSError) -> str:
    words = exc.strerror or str(exc)
    return f"{_REASONS[exc.errno]} ({words})" if exc.errno in _REASONS else words


def _mode_for(target: Path) -> int:
    """Permission bits for the new file at ``target``: the existing file's, else 0666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode) & 0o777  # set-id bits do not carry over to new content
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_stale_temps(target: Path) -> None:
    """Remove the temporary files killed writes to ``target`` left beside it.

    Their names are ``.<name>.<pid>.XXXXXXXX<suffix>`` (``.<name>.XXXXXXXX<suffix>`` before the pid
    was added). One goes when it is older than :data:`STALE_AFTER` and its process is gone.
    """
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:(\d+)\.)?[a-z0-9_]{{8}}{re.escape(target.suffix)}")
    with suppress(OSError), os.scandir(target.parent) as entries:  # tidying up must never stop a write
        for entry in entries:
            match = pattern.fullmatch(entry.name)
            with suppress(OSError):  # gone already: another write tidied up first
                if match and entry.is_file(follow_symlinks=False) and _is_stale(entry, match[1]):
                    os.unlink(entry.path)


def _is_stale(entry: os.DirEntry, pid: str | None) -> bool:
    age = time.time() - entry.stat(follow_symlinks=False).st_mtime
    return age > STALE_AFTER and not (pid is not None and _process_alive(int(pid)))


def _process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (on Windows unknown: age alone decides)."""
    if os.name != "posix" or pid <= 0:  # os.kill on Windows would end the process, not probe it
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # another user's process
        return True
    return True
