"""What a projection and a backtest return: one type each, shown in Jupyter, convertible to a DataFrame."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class CombinationWeights:
    """The combination's weights for one item, and the past errors behind them.

    ``weights`` is empty when there were too few past errors to weight by: then each series averages
    the members it has.
    """

    weights: dict[str, float]
    years: int
    errors: int

    @property
    def plain_average(self) -> bool:
        return not self.weights


@dataclass
class Projection:
    """The full-year projections of :func:`fiscalmon.forecast_full_year`.

    Attributes
    ----------
    table : DataFrame
        One row per region × item × method (:data:`fiscalmon.forecast.OUTPUT_COLUMNS` and
        :data:`~fiscalmon.forecast.EXTRA_COLUMNS`).
    month : Period
        The month the projections are made at (``as_of`` is the same).
    weights : dict
        Per item, the combination's :class:`CombinationWeights` (when the combination was asked for).
    notes : list of str
        What a reader of the table should know: where the budgets came from, how the combination
        was weighted, which series fell back to another method.
    """

    table: pd.DataFrame
    month: pd.Period
    weights: dict[str, CombinationWeights] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def as_of(self) -> pd.Period:
        return self.month

    def to_frame(self) -> pd.DataFrame:
        """The projection table (a copy)."""
        return self.table.copy()

    def __len__(self) -> int:
        return len(self.table)

    def __repr__(self) -> str:
        methods = ", ".join(self.table["requested_method"].unique()) if len(self.table) else "none"
        return (f"Projection(as of {self.month}: {self.table['region_code'].nunique()} region(s), "
                f"{self.table['item'].nunique()} item(s), methods {methods}; .table, .weights, .notes)")

    def _repr_html_(self) -> str:
        from markupsafe import escape

        shown = self.table.drop(columns=["assumptions", "note"], errors="ignore")
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        return (f"<p><b>全年预计（截至{self.month}）</b>，单位亿元；区间为80%/95%；p_attain为完成预算的概率。</p>"
                f"{shown.to_html(index=False, na_rep='', float_format=lambda v: f'{v:,.2f}')}"
                + (f"<ul>{notes}</ul>" if notes else ""))


@dataclass
class Backtest:
    """How far methods missed in past years (:func:`fiscalmon.backtest`).

    Attributes
    ----------
    summary : DataFrame
        Per method × as-of month (:data:`fiscalmon.forecast.BACKTEST_COLUMNS`).
    detail : DataFrame
        Every past projection scored (:data:`fiscalmon.forecast.backtest.DETAIL_COLUMNS`).
    items : list of str
        The items tested (pooled in the summary).
    """

    summary: pd.DataFrame
    detail: pd.DataFrame
    items: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """The summary table (a copy)."""
        return self.summary.copy()

    def __repr__(self) -> str:
        return (f"Backtest({len(self.detail)} past projections scored, methods "
                f"{', '.join(self.summary['method'].unique()) if len(self.summary) else 'none'}; .summary, .detail)")

    def _repr_html_(self) -> str:
        return ("<p><b>历史回测</b>：以往各年同月预计全年与实际的误差（mape、bias_pct 为%，coverage 为覆盖率）。</p>"
                + self.summary.to_html(index=False, na_rep="", float_format=lambda v: f"{v:,.3f}"))
