"""Arguments checked at the door: one parser per concept, errors that name the argument and what it accepts.

Every public entry point (:func:`fiscalmon.forecast_full_year`, :func:`fiscalmon.backtest`,
:func:`fiscalmon.assess`, :func:`fiscalmon.monthly_report`) and every command calls these first, with
one vocabulary: ``month``, ``months``, ``items``, ``regions``, ``prefecture``, ``methods``. The work
behind them may then trust its arguments (sktime's "the public method checks, the private one works";
statsmodels' ``array_like``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import parse

__all__ = ["ArgumentError", "month_like", "months_like", "one_of", "names_like", "items_like", "codes_like",
           "table_like"]

#: The default of a deprecated keyword argument: not given.
UNSET = object()


def renamed(new, old, new_name: str, old_name: str):
    """The value of an argument passed under its old name (with a DeprecationWarning), else the new one."""
    if old is UNSET:
        return new
    import warnings

    warnings.warn(f"{old_name}= is deprecated; use {new_name}= (same meaning)", DeprecationWarning, stacklevel=3)
    return old


#: The spellings of a month every entry point accepts.
MONTH_FORMS = "'2024-06', '2024年6月', '2024年1-6月', '202406', '2024.6' or a pandas Period"


class ArgumentError(ValueError):
    """An argument fiscalmon cannot use: which one, what was given, what is accepted.

    The command line exits with status 2 on it, as on a :class:`~fiscalmon.errors.FiscalDataError`.
    """

    def __init__(self, name: str, value: object, accepted: str, hint: str = ""):
        self.name, self.value, self.accepted = name, value, accepted
        shown = value if isinstance(value, str) else repr(value)
        super().__init__(f"{name} must be {accepted}; got {shown!r}" + (f". {hint}" if hint else ""))


def month_like(value, name: str = "month") -> pd.Period:
    """A month (the end of a year-to-date span) from any spelling bureaus use.

    >>> month_like("2024年6月"), month_like("202406"), month_like("2024.6"), month_like("2024年1-6月")
    (Period('2024-06', 'M'), Period('2024-06', 'M'), Period('2024-06', 'M'), Period('2024-06', 'M'))
    """
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    if isinstance(value, (dt.date, pd.Timestamp, np.datetime64)):
        stamp = pd.Timestamp(value)
        return pd.Period(year=stamp.year, month=stamp.month, freq="M")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}\.\d{1,2}", text):  # 2024.6 typed as text: June (2024.10 is October)
            text = text.replace(".", "-")
        try:
            year, month = parse.parse_month_spec(text)
        except parse.CellError as exc:
            raise ArgumentError(name, value, f"a month such as {MONTH_FORMS}", exc.action) from None
        if year is not None:
            return pd.Period(year=year, month=month, freq="M")
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and 190001 <= int(value) <= 210012:
        return month_like(str(int(value)), name)
    raise ArgumentError(name, value, f"a month with its year, such as {MONTH_FORMS}")


def months_like(value, name: str = "months", *, low: int = 1, high: int = 12) -> list[int]:
    """Months of the year as numbers (``[3, 6, 9]``, ``"3,6,9"``, ``range(1, 12)``), each within [low, high].

    >>> months_like("3,6,9"), months_like(range(3, 6))
    ([3, 6, 9], [3, 4, 5])
    """
    items = value.split(",") if isinstance(value, str) else ([value] if isinstance(value, (int, np.integer)) else value)
    try:
        months = [int(str(m).strip()) for m in items]
    except (TypeError, ValueError):
        raise ArgumentError(name, value, f"months of the year as numbers {low}–{high}, such as [3, 6, 9] or '3,6,9'") from None
    if not months or any(not low <= m <= high for m in months):
        raise ArgumentError(name, value, f"months of the year as numbers {low}–{high}, such as [3, 6, 9] or '3,6,9'")
    return months


def one_of(value, name: str, options: Iterable[str]) -> str:
    """``value`` if it is one of ``options``.

    >>> one_of("mean", "stat", ("mean", "median"))
    'mean'
    """
    options = list(options)
    if not isinstance(value, str) or value not in options:
        raise ArgumentError(name, value, "one of " + ", ".join(map(repr, options)))
    return value


def names_like(value, name: str, options: Iterable[str] | None = None) -> list[str]:
    """One name or several as a list (``'ets'`` or ``['ets', 'sarima']``), each among ``options`` if given."""
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, Iterable) else None
    if not names or not all(isinstance(n, str) for n in names):
        raise ArgumentError(name, value, "a name or a list of names")
    if options is not None:
        options = list(options)
        unknown = [n for n in names if n not in options]
        if unknown:
            raise ArgumentError(name, unknown[0] if len(names) > 1 else value, "one of " + ", ".join(map(repr, options)))
    return names


def items_like(value, name: str = "items", available: Iterable[str] | None = None) -> list[str] | None:
    """Item keys from keys or Chinese names (``'税收收入'`` is ``'tax_revenue'``); ``None`` stays ``None``.

    With ``available`` (the items a table holds) an item the table lacks is an error naming what it holds.

    >>> items_like("税收收入"), items_like(["gpb_revenue", "非税收入"])
    (['tax_revenue'], ['gpb_revenue', 'nontax_revenue'])
    """
    if value is None:
        return None
    names = names_like(value, name)
    keys = [parse.item_key(n) or n for n in names]
    if available is not None:
        available = sorted(set(available))
        lacking = [n for n, k in zip(names, keys) if k not in available]
        if lacking:
            raise ArgumentError(name, lacking[0] if len(names) > 1 else value,
                                f"an item the table holds: {', '.join(available) or 'none'}")
    return keys


def codes_like(value, name: str = "regions", available: Iterable[str] | None = None) -> list[str] | None:
    """Region codes as text (``652300`` or ``'652300'``, one or a list); ``None`` stays ``None``.

    With ``available`` (the codes a table holds) a code the table lacks is an error listing some it holds.
    """
    if value is None:
        return None
    values = [value] if isinstance(value, (str, int, np.integer)) else list(value) if isinstance(value, Iterable) else None
    if not values:
        raise ArgumentError(name, value, "a region code such as '652300', or a list of them")
    try:
        codes = [parse.parse_code(v) for v in values]
    except parse.CellError:
        raise ArgumentError(name, value, "region codes such as '652300'") from None
    if any(c is None for c in codes):
        raise ArgumentError(name, value, "region codes such as '652300' (no empty ones)")
    if available is not None:
        available = sorted(set(available))
        lacking = [c for c in codes if c not in available]
        if lacking:
            shown = ", ".join(available[:12]) + (" …" if len(available) > 12 else "")
            raise ArgumentError(name, lacking[0] if len(codes) > 1 else value, f"a region code of the table ({shown})")
    return codes


def table_like(value, name: str, kind: str, required: Iterable[str], *, optional: bool = False) -> pd.DataFrame | None:
    """A canonical table of ``kind`` (as the readers return it) with the ``required`` columns."""
    if value is None and optional:
        return None
    readers = {"monthly": "read_monthly", "annual": "read_annual", "risk": "read_risk", "regions": "read_regions",
               "special": "read_special"}
    if not isinstance(value, pd.DataFrame):
        raise ArgumentError(name, type(value).__name__, f"a canonical {kind} table (a DataFrame from "
                            f"fiscalmon.{readers[kind]})")
    lacking = [c for c in required if c not in value]
    if lacking:
        raise ArgumentError(name, f"a table with columns {list(value.columns)[:8]}",
                            f"a canonical {kind} table with columns {', '.join(required)}",
                            f"Read the file with fiscalmon.{readers[kind]}(...) first.")
    if "period" in required and not isinstance(value["period"].dtype, pd.PeriodDtype):
        raise ArgumentError(name, str(value["period"].dtype), "a table whose period column holds monthly Periods",
                            f"Read the file with fiscalmon.{readers[kind]}(...).")
    return value
