"""Components: 一般公共预算收入 projected as 税收收入 plus 非税收入.

Tax and non-tax revenue move differently (Changji's H1 2023: tax −10.98%, non-tax +39.9%), so the sum
of their projections can be closer than the projection of the total. For every year of the total's
panel, each component is projected at the as-of month by the combination of the bureau methods
(weighted by that component's own earlier errors, on the comparable basis), and the two are added.
The total's combination takes the sum as one more member: the past errors decide, per as-of month,
how much to trust it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .comparable import restated
from .history import combination_weights, combine, past_combination, past_projections
from .panel import Panel, build_panel
from .registry import PANEL_METHODS

#: The items projected as the sum of their parts.
COMPONENTS = {"gpb_revenue": ("tax_revenue", "nontax_revenue")}


def component_points(table: pd.DataFrame, annual, special, target: Panel, m: int, members,
                     live_year: int | None = None) -> np.ndarray | None:
    """The sum of the components' projections at month ``m``, shape (target series, target years),
    on the comparable basis; ``None`` when the target is no sum of parts or a part has no figures."""
    item = target.keys["item"].iloc[0] if target.n else None
    if item not in COMPONENTS:
        return None
    total = np.zeros((target.n, len(target.years)))
    for part in COMPONENTS[item]:
        rows = table[table["item"] == part]
        if not rows["ytd"].notna().any() or not rows["region_code"].isin(target.keys["region_code"]).any():
            return None
        panel = restated(build_panel(table, annual, items=part, last_year=int(target.years.max()), special=special,
                                     live_year=live_year))
        total = total + _aligned(_combined(panel, m, list(members)), panel, target)
    return total if np.isfinite(total).any() else None


def _combined(panel: Panel, m: int, members: list[str]) -> np.ndarray:
    """The combination's projection at month ``m`` of every year: past years weighted by earlier years'
    errors only; a year without an outturn yet (the live one) by every earlier error."""
    past = past_projections(panel, m, members, len(panel.years))
    points = past_combination(past, members)
    for t in range(1, len(panel.years)):
        if np.isfinite(panel.outturn[:, t]).any():
            continue
        view = panel.as_of(int(panel.years[t]), m)
        weights, _, _ = combination_weights({name: past.errors(name)[:, :t] for name in members})
        points[:, t] = combine({name: PANEL_METHODS[name](view, t, m).point for name in members}, weights)
    return points


def _aligned(points: np.ndarray, panel: Panel, target: Panel) -> np.ndarray:
    """A component panel's (series × years) figures on the target's series (by region) and years."""
    rows = pd.Series(np.arange(panel.n), index=panel.keys["region_code"].to_numpy())
    years = pd.Series(np.arange(len(panel.years)), index=panel.years)
    row = rows.reindex(target.keys["region_code"].to_numpy()).to_numpy()
    col = years.reindex(target.years).to_numpy()
    out = np.full((target.n, len(target.years)), np.nan)
    have_row, have_col = np.isfinite(row), np.isfinite(col)
    out[np.ix_(have_row, have_col)] = points[np.ix_(row[have_row].astype(int), col[have_col].astype(int))]
    return out
