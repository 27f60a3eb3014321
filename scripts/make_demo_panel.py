"""Generate the SYNTHETIC Xinjiang demo panel in data/demo/.

    python scripts/make_demo_panel.py

Every run writes the same bytes: the seed is fixed, only numpy and pandas are used, and nothing is
fetched. The region codes and names are real, taken from data/regions/xinjiang_regions.csv. Every
number is invented, with one exception: the Changji (652300) calibration targets. Those come from the
seed report 001_0866035688bffaef.txt and are listed in CHANGJI_TARGETS below and in the README.

Outputs (each written to a temporary file, then renamed into place):

- data/demo/xinjiang_regions_synthetic.csv: the real region list plus a synthetic risk grade.
- data/demo/xinjiang_monthly_synthetic.csv: YTD amounts, 2013-01 … 2023-06, in 万元.
- data/demo/xinjiang_annual_synthetic.csv: budgets, adjusted budgets and outturns, 2013–2023, in 万元.
- data/demo/xinjiang_risk_synthetic.csv: the risk table, 2021-07 … 2023-06, in 万元.
- data/demo/README.md: what the files are, the calibration figures achieved, and which counties cross
  which thresholds. All of it is computed here.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20230821  # the date of the Changji report; any fixed number would do
ROOT = Path(__file__).resolve().parent.parent
REGIONS_CSV = ROOT / "data" / "regions" / "xinjiang_regions.csv"
OUT = ROOT / "data" / "demo"
COMMAND = "python scripts/make_demo_panel.py"

FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2013, 2023, 6
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))
NY = len(YEARS)
Y2021, Y2022, Y2023 = YEARS.index(2021), YEARS.index(2022), YEARS.index(2023)
UNIT = "万元"

MONTHLY_ITEMS = ("gpb_revenue", "tax_revenue", "nontax_revenue", "gpb_expenditure", "fund_revenue",
                 "fund_expenditure", "sanbao_expenditure")
ANNUAL_ITEMS = ("gpb_revenue", "tax_revenue", "nontax_revenue", "gpb_expenditure", "fund_revenue",
                "sanbao_expenditure")
RISK_AMOUNTS = ("treasury_balance", "treasury_outflow", "treasury_usable", "sanbao_need", "sanbao_budget",
                "sanbao_paid", "wage_arrears", "available_resources", "comprehensive_resources", "debt_balance",
                "hidden_debt_balance", "debt_service_due", "debt_service_paid", "debt_service_next3m",
                "interest_general", "interest_special", "gpb_expenditure", "fund_expenditure", "advances_balance",
                "advances_prev_yearend")
RISK_FIRST = (2021, 7)
RISK_MONTHS = 24

# Independent random streams: adding a stream at the end never changes the numbers of another.
STREAMS = ("grades", "levels", "revenue", "expenditure", "fund", "sanbao", "spikes", "seasonal", "budgets",
           "risk_design", "risk_annual", "risk_debt", "risk_treasury", "risk_sanbao", "risk_advances",
           "sanbao_weights", "fexp_budget")


def rng(name: str) -> np.random.Generator:
    return np.random.default_rng([SEED, STREAMS.index(name)])


# ---- design: levels --------------------------------------------------------------------------------

#: Synthetic 2022 general budget revenue (一般公共预算收入) of each county, zone and 本级, in 亿元.
#: Invented, with an order of magnitude that is plausible. The Changji rows are rescaled to the
#: seed report below.
LEVEL_2022 = {
    "650100-bj": 150, "650102": 48, "650103": 40, "650104": 45, "650105": 30, "650106": 30, "650107": 4,
    "650109": 28, "650121": 3,
    "650200-bj": 60, "650202": 15, "650203": 35, "650204": 6, "650205": 4,
    "650400-bj": 8, "650402": 10, "650421": 18, "650422": 12,
    "650500-bj": 15, "650502": 25, "650521": 10, "650522": 12,
    "652300-bj": 6.6, "652301": 26, "652302": 24, "652323": 12, "652324": 14, "652325": 15, "652327": 14,
    "652328": 5, "652300-zd": 120,
    "652700-bj": 6, "652701": 12, "652702": 6, "652722": 8, "652723": 2.5,
    "652800-bj": 20, "652801": 40, "652822": 10, "652823": 8, "652824": 12, "652825": 5, "652826": 5,
    "652827": 12, "652828": 4, "652829": 2,
    "652900-bj": 12, "652901": 20, "652902": 20, "652922": 6, "652924": 6, "652925": 3, "652926": 10,
    "652927": 2, "652928": 3, "652929": 1,
    "653000-bj": 4, "653001": 4, "653022": 3, "653023": 1.2, "653024": 2.5,
    "653100-bj": 10, "653101": 12, "653121": 3, "653122": 4, "653123": 1.8, "653124": 3, "653125": 5,
    "653126": 3.5, "653127": 2.5, "653128": 1.3, "653129": 2, "653130": 3.5, "653131": 1.2,
    "653200-bj": 6, "653201": 5, "653221": 2, "653222": 3, "653223": 1.5, "653224": 2, "653225": 1.2,
    "653226": 2, "653227": 1,
    "654000-bj": 20, "654002": 15, "654003": 12, "654004": 10, "654021": 4, "654022": 4, "654023": 5,
    "654024": 3, "654025": 5, "654026": 2.5, "654027": 2.5, "654028": 3.5,
    "654200-bj": 8, "654201": 4, "654202": 18, "654203": 12, "654221": 5, "654224": 5, "654225": 1.5,
    "654226": 8,
    "654300-bj": 6, "654301": 6, "654321": 3, "654322": 8, "654323": 4, "654324": 3, "654325": 2, "654326": 1.5,
}

#: Prefecture → economic group. The group sets ranges for the tax share, the expenditure multiple
#: (spending ÷ own revenue: most counties live on transfers) and land-sale (fund) revenue.
GROUP = {
    "650100": "capital", "650200": "oil", "650400": "east", "650500": "east", "652300": "north",
    "652700": "north", "652800": "bazhou", "652900": "aksu", "653000": "south", "653100": "south",
    "653200": "south", "654000": "north", "654200": "north", "654300": "north",
}
GROUP_PARAMS = {  # tax share, expenditure multiple, fund revenue ÷ general revenue, grade stress
    "capital": ((0.80, 0.90), (0.9, 1.4), (0.4, 0.8), -1.0),
    "oil": ((0.80, 0.90), (1.1, 1.6), (0.2, 0.5), -1.0),
    "east": ((0.65, 0.80), (2.0, 3.5), (0.2, 0.5), 0.1),
    "north": ((0.62, 0.80), (2.0, 4.5), (0.2, 0.6), 0.3),
    "bazhou": ((0.65, 0.80), (1.8, 4.5), (0.2, 0.5), 0.1),
    "aksu": ((0.55, 0.72), (3.0, 7.0), (0.2, 0.6), 0.8),
    "south": ((0.45, 0.65), (6.0, 14.0), (0.2, 0.7), 1.5),
}
OWN_PARAMS = ((0.40, 0.70), (3.0, 6.0), (0.2, 0.5))
ZONE_PARAMS = ((0.93, 0.93), (0.25, 0.35), (0.03, 0.06))

# Common log growth shocks by year (2013 … 2023). The tax shocks cover the 2016 VAT reform, the
# 2019 VAT rate cut, the 2022 VAT credit refunds (留抵退税) and the 2023 rebound. Non-tax revenue
# rose in 2022 as counties sold assets and resources to offset the refunds.
SHOCK_COMMON = dict(zip(YEARS, (0.04, 0.02, -0.03, -0.04, 0.03, 0.02, -0.01, -0.09, 0.05, 0.0, 0.02)))
SHOCK_TAX = dict(zip(YEARS, (0.0, 0.0, 0.0, -0.02, 0.0, 0.0, -0.04, 0.0, 0.02, -0.14, 0.10)))
SHOCK_NONTAX = dict(zip(YEARS, (0.0, 0.0, 0.02, 0.03, 0.0, 0.0, 0.05, 0.02, -0.02, 0.18, -0.03)))
SHOCK_EXP = dict(zip(YEARS, (0.06, 0.04, 0.05, 0.03, 0.06, 0.03, 0.04, 0.06, -0.02, 0.03, 0.03)))
SHOCK_FUND = dict(zip(YEARS, (0.10, -0.05, -0.20, -0.05, 0.20, 0.20, 0.10, 0.05, -0.05, -0.25, -0.05)))

# Monthly (not YTD) profiles: shares of the year before noise.
PROFILE = {
    "tax": (0.095, 0.058, 0.092, 0.100, 0.098, 0.086, 0.088, 0.077, 0.078, 0.086, 0.072, 0.070),
    "nontax": (0.070, 0.060, 0.080, 0.080, 0.080, 0.095, 0.075, 0.075, 0.085, 0.075, 0.085, 0.140),
    "gexp": (0.062, 0.062, 0.080, 0.075, 0.078, 0.098, 0.072, 0.070, 0.088, 0.060, 0.075, 0.232),
    "fexp": (0.040, 0.040, 0.060, 0.070, 0.070, 0.090, 0.070, 0.070, 0.090, 0.080, 0.100, 0.220),
    "sanbao": (0.070, 0.080, 0.082, 0.082, 0.082, 0.085, 0.082, 0.082, 0.083, 0.082, 0.083, 0.105),
}
NOISE = {"tax": 0.08, "nontax": 0.30, "gexp": 0.08, "fexp": 0.35, "sanbao": 0.025}
SPRING_FESTIVAL_IN_JANUARY = {2014, 2017, 2020, 2022, 2023}  # 春节 on or just after the last days of January
SPRING_FESTIVAL_MID_FEBRUARY = {2013, 2015, 2018, 2021}

# ---- design: the Changji calibration (amounts in 万元) --------------------------------------------
CJ, CJ_BJ, CJ_ZD = "652300", "652300-bj", "652300-zd"
SEED_FILE = "001_0866035688bffaef.txt"
#: YTD growth of 全州 一般公共预算收入, 2023-01 … 2023-06 (section 二(一)).
CJ_GPB_GROWTH = (-9.37, 0.68, 4.10, 3.02, 2.36, 0.45)
CJ_GPB_2023H1 = 1189100.0  # 118.91 亿元, +0.45%, 增收 0.53 亿元 (section 一(一))
CJ_TAX_2023H1, CJ_TAX_GROWTH = 817200.0, -10.98  # 81.72 亿元, 下降 10.98%
CJ_NONTAX_2023H1, CJ_NONTAX_GROWTH = 371900.0, 39.90  # 37.19 亿元, 增长 39.9%
# The report rounds to 0.01 亿元, so 2022 is not pinned exactly. These two values make −10.98%,
# +39.90% and +0.45% (and 增收 0.53 亿元) all round right: 917960 + 265840 = 1183800.
CJ_TAX_2022H1, CJ_NONTAX_2022H1 = 917960.0, 265840.0
# 州本级 (section 一(二)): revenue 6.94 亿元, +109.04%; tax 0.66 亿元, +0.29%; non-tax 6.28 亿元,
# +135.85%. Tax 6585 and non-tax 62815 round to 0.66 and 6.28 and make all three growth rates round right.
BJ_TAX_2023H1, BJ_TAX_GROWTH = 6585.0, 0.29
BJ_NONTAX_2023H1, BJ_NONTAX_GROWTH = 62815.0, 135.85
BJ_GPB_2023H1, BJ_GPB_GROWTH = 69400.0, 109.04
# 准东 (section 二(三)): tax down 21.45% (减收 12.3 亿元), 55% of 全州 tax.
ZD_TAX_SHARE, ZD_TAX_GROWTH = 0.55, -21.45
ZD_NONTAX_2022H1 = 40000.0  # free choice; 2023 takes the rest of the non-tax (水土保持补偿费)
COUNTY_NONTAX_GROWTH_2023 = 0.05  # free choice for the seven Changji counties together
# Also matched, not required: expenditure and the fund budget (section 一(一) and 一(二)).
CJ_SECONDARY = {  # item: ((全州 2023 H1, growth %), (州本级 2023 H1, growth %))
    "gexp": ((1889900.0, 12.56), (221100.0, -9.37)),
    "frev": ((156800.0, 23.19), (6100.0, 22.52)),
    "fexp": ((346300.0, 17.33), (6300.0, 13.10)),
}
CJ_BUDGET_COMPLETION = 49.0  # target H1 completion of 全州 2023 gpb_revenue against its budget, %

GRADE_COUNTS = (("red", 6), ("orange", 12), ("yellow", 25))  # the rest are green


# ---- regions ---------------------------------------------------------------------------------------

def load_regions() -> pd.DataFrame:
    regions = pd.read_csv(REGIONS_CSV, dtype=str, keep_default_na=False)
    if list(regions.columns) != ["region_code", "region", "parent_code", "level", "grade"]:
        raise SystemExit(f"{REGIONS_CSV}: unexpected columns {list(regions.columns)}")
    return regions


def assign_grades(regions: pd.DataFrame) -> dict[str, str]:
    """Synthetic officially-assigned grades: more stress in the south and in small counties."""
    r = rng("grades")
    graded = regions[regions["level"].isin(["county", "zone"])]
    score = []
    for code, level, parent in graded[["region_code", "level", "parent_code"]].itertuples(index=False):
        base = -1.0 if level == "zone" else GROUP_PARAMS[GROUP[parent]][3]
        score.append(base - 0.3 * np.log(LEVEL_2022[code]))
    score = np.array(score) + r.gumbel(0.0, 0.6, len(graded))
    order = np.argsort(-score, kind="stable")
    grades = np.full(len(graded), "green", dtype=object)
    start = 0
    for grade, count in GRADE_COUNTS:
        grades[order[start:start + count]] = grade
        start += count
    return dict(zip(graded["region_code"], grades))


# ---- monthly generation ----------------------------------------------------------------------------

def _weights(kind: str, n: int, r: np.random.Generator, no_refund_dip: np.ndarray | None = None) -> np.ndarray:
    """Monthly shares (n, NY, 12) of the year for one kind of flow; each year sums to 1.

    ``no_refund_dip`` marks regions whose 2022 tax had no Q2 refund dip (Changji: coal prices were
    at their peak, and the seed's 2023 growth path falls from March to June).
    """
    base = np.array(PROFILE[kind], dtype=float)
    w = np.broadcast_to(base, (n, NY, 12)).copy()
    for y, year in enumerate(YEARS):
        if kind in ("tax", "nontax"):
            if year in SPRING_FESTIVAL_IN_JANUARY:
                w[:, y, 0] *= 0.93
                w[:, y, 1] *= 1.10
            elif year in SPRING_FESTIVAL_MID_FEBRUARY:
                w[:, y, 1] *= 0.92
                w[:, y, 2] *= 1.04
            if year == 2020:  # the first COVID months
                w[:, y, 1:4] *= (0.75, 0.80, 0.90)
        if kind == "tax" and year == 2022:  # credit refunds in Q2, lockdowns in the autumn
            dip = np.ones(n, dtype=bool) if no_refund_dip is None else ~no_refund_dip
            w[dip, y, 3:6] *= (0.70, 0.75, 0.85)
            w[:, y, 8:11] *= 0.88
        if kind == "gexp" and year == 2020:
            w[:, y, 1:3] *= 1.10
    w *= np.exp(r.normal(0.0, NOISE[kind], w.shape))
    return w / w.sum(axis=2, keepdims=True)


def _index(log_growth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Levels (n, NY) from log growth (n, NY) normalised to 1 in 2022, and the 2012 level (n,)."""
    cum = np.cumsum(log_growth, axis=1)
    cum -= cum[:, [Y2022]]
    return np.exp(cum), np.exp(cum[:, 0] - log_growth[:, 0])


def generate_leaves(leaves: pd.DataFrame) -> dict:
    """Monthly flows (n, NY, 12) in 万元 for every county, zone and 本级, before calibration."""
    n = len(leaves)
    codes = list(leaves["region_code"])
    level = np.array([LEVEL_2022[c] for c in codes]) * 1e4
    params = []
    for code, lvl, parent in leaves[["region_code", "level", "parent_code"]].itertuples(index=False):
        params.append(ZONE_PARAMS if lvl == "zone" else OWN_PARAMS if lvl == "own" else GROUP_PARAMS[GROUP[parent]][:3])
    r = rng("levels")
    tax_share = np.array([r.uniform(*p[0]) for p in params])
    exp_mult = np.array([r.uniform(*p[1]) for p in params])
    fund_ratio = np.array([r.uniform(*p[2]) for p in params])
    is_county = (leaves["level"] == "county").to_numpy()
    exp_mult *= np.where(is_county, np.clip((5e4 / level) ** 0.3, 0.75, 1.6), 1.0)
    pref = leaves["parent_code"].to_numpy()
    # Changji, closer to the seed report before calibration: 州本级 lives on non-tax revenue and
    # spends several times what it collects; the counties sell less land than elsewhere.
    cj_bj, cj_counties = np.array(codes) == CJ_BJ, (pref == CJ) & is_county
    tax_share[cj_bj], exp_mult[cj_bj] = 0.20, 8.5
    tax_share[cj_counties] = r.uniform(0.58, 0.68, cj_counties.sum())
    fund_ratio[cj_counties] = r.uniform(0.12, 0.30, cj_counties.sum())

    prefectures = sorted(set(pref))
    pref_idx = np.array([prefectures.index(p) for p in pref])

    def growth(stream, trend, common, extra, pref_sd, sd):
        g = trend[:, None] + np.array([common[y] + extra.get(y, 0.0) for y in YEARS])[None, :]
        pref_shock = stream.normal(0.0, pref_sd, (len(prefectures), NY))
        return g + pref_shock[pref_idx] + stream.normal(0.0, sd, (n, NY))

    r = rng("revenue")
    trend = r.uniform(0.03, 0.10, n)
    g_tax = growth(r, trend, SHOCK_COMMON, SHOCK_TAX, 0.03, 0.04)
    g_non = growth(r, trend, SHOCK_COMMON, SHOCK_NONTAX, 0.03, 0.10)
    zd = codes.index(CJ_ZD)
    g_tax[zd, Y2023] -= 0.30  # commodity prices (section 二(三))
    changji = pref == CJ
    g_tax[changji & is_county, Y2023] -= 0.10  # coal, aluminium, silicon and chemicals prices
    tax_i, tax_2012 = _index(g_tax)
    non_i, non_2012 = _index(g_non)
    tax_a = level[:, None] * tax_share[:, None] * tax_i
    non_a = level[:, None] * (1 - tax_share)[:, None] * non_i
    base_2012 = {"tax": level * tax_share * tax_2012, "nontax": level * (1 - tax_share) * non_2012}

    r = rng("expenditure")
    g_exp = growth(r, r.uniform(0.05, 0.10, n), SHOCK_EXP, {}, 0.02, 0.04)
    exp_i, exp_2012 = _index(g_exp)
    gexp_a = (level * exp_mult)[:, None] * exp_i
    base_2012["gexp"] = level * exp_mult * exp_2012

    r = rng("fund")
    g_fund = growth(r, r.uniform(0.02, 0.08, n), SHOCK_FUND, {}, 0.10, 0.20)
    fund_i, fund_2012 = _index(g_fund)
    frev_a = (level * fund_ratio)[:, None] * fund_i
    base_2012["frev"] = level * fund_ratio * fund_2012
    # Fund spending follows land revenue with a lag (and special bonds): half this year's revenue,
    # half the mean of the two years before.
    lagged = np.concatenate([frev_a[:, :1], frev_a[:, :1], frev_a], axis=1)
    smooth = 0.5 * frev_a + 0.25 * (lagged[:, 1:-1] + lagged[:, :-2])
    fexp_a = smooth * r.uniform(1.1, 1.8, n)[:, None] * np.exp(r.normal(0.0, 0.08, (n, NY)))

    r = rng("seasonal")
    flows = {
        "tax": tax_a[:, :, None] * _weights("tax", n, r, no_refund_dip=changji),
        "nontax": non_a[:, :, None] * _weights("nontax", n, r),
        "gexp": gexp_a[:, :, None] * _weights("gexp", n, r),
        "fexp": fexp_a[:, :, None] * _weights("fexp", n, r),
    }
    lumpy = r.dirichlet(np.full(12, 0.3), (n, NY))
    flows["frev"] = frev_a[:, :, None] * (0.06 / 12 + 0.94 * lumpy)

    # One-off non-tax receipts (a land or mining-rights sale) in a few county-years.
    r = rng("spikes")
    spikes = []
    hit = r.random((n, NY)) < 0.035
    month = r.integers(0, 12, (n, NY))
    size = r.uniform(0.6, 2.5, (n, NY))
    hit[pref == CJ] = False  # Changji has its own 2023 one-off, and its levels are rescaled below
    for i, y in zip(*np.nonzero(hit)):
        m = int(month[i, y]) if YEARS[y] < LAST_YEAR else int(month[i, y]) % LAST_MONTH
        extra = non_a[i, y] * size[i, y]
        flows["nontax"][i, y, m] += extra
        spikes.append((codes[i], YEARS[y], m + 1, extra))
    # Changji's 2023 water and soil conservation fee (水土保持补偿费): 20% to the 州本级 treasury, and
    # a large receipt in 准东 (section 一(二)). The calibration below sets the exact sizes.
    flows["nontax"][codes.index(CJ_BJ), Y2023, 3:5] += non_a[codes.index(CJ_BJ), Y2022] * 0.35
    flows["nontax"][zd, Y2023, 2:6] += non_a[zd, Y2022] * 0.15
    r = rng("sanbao")
    sanbao_ratio = np.clip(r.uniform(0.42, 0.58, n)[:, None] + r.normal(0.0, 0.01, (n, NY)), 0.40, 0.60)
    return {"flows": flows, "base_2012": base_2012, "spikes": spikes, "sanbao_ratio": sanbao_ratio}


def sanbao_flows(gexp: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    """三保 spending: a share of the year's general expenditure, paid smoothly (wages monthly)."""
    w = _weights("sanbao", gexp.shape[0], rng("sanbao_weights"))
    return gexp.sum(axis=2, keepdims=True) * ratio[:, :, None] * w


# ---- the Changji calibration -----------------------------------------------------------------------

def _h1(arr, idx, y):
    return arr[idx, y, :LAST_MONTH].sum()


def calibrate_changji(gen: dict, codes: list[str], pref: np.ndarray, level: np.ndarray) -> dict:
    """Rescale the Changji parts so that 652300 and 652300-bj hit the seed figures (see README)."""
    flows, base = gen["flows"], gen["base_2012"]
    bj, zd = [codes.index(CJ_BJ)], [codes.index(CJ_ZD)]
    counties = list(np.nonzero((pref == CJ) & (level == "county"))[0])
    rest = counties + zd
    factors = {}

    def scale_history(item, idx, target):
        k = target / _h1(flows[item], idx, Y2022)
        flows[item][idx] *= k
        if item in base:
            base[item][idx] *= k
        return k

    # 2022: scale each part's whole history, so that its H1 2022 is the value implied by the report.
    bj_tax22 = BJ_TAX_2023H1 / (1 + BJ_TAX_GROWTH / 100)
    bj_non22 = BJ_NONTAX_2023H1 / (1 + BJ_NONTAX_GROWTH / 100)
    zd_tax23 = ZD_TAX_SHARE * CJ_TAX_2023H1
    zd_tax22 = zd_tax23 / (1 + ZD_TAX_GROWTH / 100)
    factors["tax 州本级"] = scale_history("tax", bj, bj_tax22)
    factors["tax 准东"] = scale_history("tax", zd, zd_tax22)
    factors["tax counties"] = scale_history("tax", counties, CJ_TAX_2022H1 - bj_tax22 - zd_tax22)
    factors["nontax 州本级"] = scale_history("nontax", bj, bj_non22)
    factors["nontax 准东"] = scale_history("nontax", zd, ZD_NONTAX_2022H1)
    county_non22 = CJ_NONTAX_2022H1 - bj_non22 - ZD_NONTAX_2022H1
    factors["nontax counties"] = scale_history("nontax", counties, county_non22)
    for item, ((cj23, cj_g), (bj23, bj_g)) in CJ_SECONDARY.items():
        bj22, cj22 = bj23 / (1 + bj_g / 100), cj23 / (1 + cj_g / 100)
        factors[f"{item} 州本级"] = scale_history(item, bj, bj22)
        factors[f"{item} counties+准东"] = scale_history(item, rest, cj22 - bj22)
        # 2023: one factor for the whole year.
        for idx, target in ((bj, bj23), (rest, cj23 - bj23)):
            flows[item][idx, Y2023] *= target / _h1(flows[item], idx, Y2023)

    # 2023 revenue: the YTD path of 全州 一般公共预算收入 month by month, and the H1 totals of every
    # part, by iterative proportional fitting (RAS) over (part × item) rows and month columns.
    all_idx = counties + zd + bj
    y22 = np.cumsum((flows["tax"][all_idx, Y2022, :LAST_MONTH] + flows["nontax"][all_idx, Y2022, :LAST_MONTH]).sum(0))
    ytd23 = y22 * (1 + np.array(CJ_GPB_GROWTH) / 100)
    ytd23[-1] = CJ_GPB_2023H1
    col_target = np.diff(np.concatenate([[0.0], ytd23]))
    county_non23 = county_non22 * (1 + COUNTY_NONTAX_GROWTH_2023)
    rows = [("tax", bj, BJ_TAX_2023H1), ("nontax", bj, BJ_NONTAX_2023H1),
            ("tax", zd, zd_tax23), ("nontax", zd, CJ_NONTAX_2023H1 - BJ_NONTAX_2023H1 - county_non23),
            ("tax", counties, CJ_TAX_2023H1 - BJ_TAX_2023H1 - zd_tax23), ("nontax", counties, county_non23)]
    start = np.array([flows[item][idx, Y2023, :LAST_MONTH].sum(0) for item, idx, _ in rows])
    row_target = np.array([t for _, _, t in rows])
    assert abs(row_target.sum() - CJ_GPB_2023H1) < 1e-6
    x = start.copy()
    for _ in range(10000):
        x *= (row_target / x.sum(1))[:, None]
        x *= (col_target / x.sum(0))[None, :]
        if np.abs(x.sum(1) / row_target - 1).max() < 1e-14:
            break
    else:
        raise SystemExit("the Changji RAS calibration did not converge")
    cell = x / start
    for (item, idx, _), f in zip(rows, cell):
        flows[item][idx, Y2023, :LAST_MONTH] *= f
        flows[item][idx, Y2023, LAST_MONTH:] *= f.mean()
    factors["2023 RAS cell factors (min, max)"] = (float(cell.min()), float(cell.max()))
    return factors


# ---- aggregation and tables ------------------------------------------------------------------------

def fmt(value: float) -> str:
    return "" if value is None or not np.isfinite(value) else f"{value:.2f}"


def cents_str(c: int) -> str:
    return f"{c // 100}.{c % 100:02d}"


def ytd_by_region(regions, leaves, flows) -> dict[str, dict[str, np.ndarray]]:
    """YTD (NY, 12), unrounded, for every region of the monthly table; totals are sums of parts."""
    items = {"tax_revenue": flows["tax"], "nontax_revenue": flows["nontax"], "gpb_expenditure": flows["gexp"],
             "fund_revenue": flows["frev"], "fund_expenditure": flows["fexp"], "sanbao_expenditure": flows["sanbao"]}
    items = {"gpb_revenue": flows["tax"] + flows["nontax"], **items}
    ytd = {key: np.cumsum(arr, axis=2) for key, arr in items.items()}
    out = {}
    for i, code in enumerate(leaves["region_code"]):
        out[code] = {key: arr[i] for key, arr in ytd.items()}
    prefectures = regions.loc[regions["level"] == "prefecture", "region_code"]
    for p in prefectures:
        parts = leaves.index[leaves["parent_code"] == p]
        out[p] = {key: arr[parts].sum(axis=0) for key, arr in ytd.items()}
    out["650000"] = {key: sum(out[p][key] for p in prefectures) for key in ytd}
    return out


def month_mask() -> np.ndarray:
    mask = np.ones((NY, 12), dtype=bool)
    mask[Y2023, LAST_MONTH:] = False
    return mask


def monthly_table(order, names, ytd) -> str:
    buf = io.StringIO()
    buf.write("region_code,region,period,item,ytd,yoy_pct,unit\n")
    mask = month_mask()
    for code in order:
        rounded = {item: np.round(ytd[code][item], 2) for item in MONTHLY_ITEMS}
        for y, year in enumerate(YEARS):
            for m in range(12):
                if not mask[y, m]:
                    continue
                period = f"{year}-{m + 1:02d}"
                for item in MONTHLY_ITEMS:
                    buf.write(f"{code},{names[code]},{period},{item},{rounded[item][y, m]:.2f},,{UNIT}\n")
    return buf.getvalue()


ANNUAL_KEYS = {"gpb_revenue": None, "tax_revenue": "tax", "nontax_revenue": "nontax", "gpb_expenditure": "gexp",
               "fund_revenue": "frev", "sanbao_expenditure": "sanbao"}


def annual_tables(regions, leaves, ytd, base_2012, order):
    """Budgets, adjusted budgets (integer cents) and outturns for every region and year."""
    leaf_codes = list(leaves["region_code"])
    n = len(leaf_codes)
    r = rng("budgets")
    outturn = {}  # (code, item) -> cents (NY,), 2023 = -1
    for code in order:
        for item in ANNUAL_ITEMS:
            dec = np.round(ytd[code][item][:, 11], 2)
            c = np.rint(dec * 100).astype(np.int64)
            c[Y2023] = -1
            outturn[(code, item)] = c
    # prior-year outturn in cents, for 2013 from the internal 2012 level
    def prior(code, i, item, y):
        if y > 0:
            return outturn[(code, item)][y - 1]
        return int(np.rint(np.round(base_2012[ANNUAL_KEYS[item]][i], 2) * 100))

    g_rev = r.uniform(0.03, 0.10, (n, NY))
    g_exp = r.uniform(0.03, 0.10, (n, NY))
    g_fund = r.uniform(0.03, 0.10, (n, NY))
    g_sanbao = r.uniform(0.03, 0.10, (n, NY))
    adjusted = r.random((n, NY)) < 0.20
    adjusted[:, Y2023] = False  # a mid-year revision is approved in the second half of the year
    f_rev = r.uniform(-0.08, 0.08, (n, NY))
    f_exp = r.uniform(-0.03, 0.08, (n, NY))
    f_fund = r.uniform(-0.08, 0.08, (n, NY))
    f_sanbao = r.uniform(-0.03, 0.08, (n, NY))

    # Changji 2023: one target growth for every part, so that 全州 H1 completion is CJ_BUDGET_COMPLETION.
    cj_parts = [i for i, c in enumerate(leaf_codes) if leaves["parent_code"].iloc[i] == CJ]
    prior_sum = sum(outturn[(leaf_codes[i], "gpb_revenue")][Y2022] for i in cj_parts) / 100
    g_cj = CJ_GPB_2023H1 / (CJ_BUDGET_COMPLETION / 100) / prior_sum - 1
    g_cj = float(np.clip(g_cj, 0.03, 0.10))
    g_rev[cj_parts, Y2023] = g_cj

    budget, adj = {}, {}
    for i, code in enumerate(leaf_codes):
        for item, g, f in (("tax_revenue", g_rev, f_rev), ("nontax_revenue", g_rev, f_rev),
                           ("gpb_expenditure", g_exp, f_exp), ("fund_revenue", g_fund, f_fund),
                           ("sanbao_expenditure", g_sanbao, f_sanbao)):
            b = np.array([int(np.rint(prior(code, i, item, y) * (1 + g[i, y]))) for y in range(NY)], dtype=np.int64)
            a = np.where(adjusted[i], np.rint(b * (1 + f[i])).astype(np.int64), -1)
            budget[(code, item)], adj[(code, item)] = b, a
        budget[(code, "gpb_revenue")] = budget[(code, "tax_revenue")] + budget[(code, "nontax_revenue")]
        a_t, a_n = adj[(code, "tax_revenue")], adj[(code, "nontax_revenue")]
        adj[(code, "gpb_revenue")] = np.where(a_t >= 0, a_t + a_n, -1)

    def total(parts, item):
        b = sum(budget[(p, item)] for p in parts)
        eff = sum(np.where(adj[(p, item)] >= 0, adj[(p, item)], budget[(p, item)]) for p in parts)
        any_adj = np.any([adj[(p, item)] >= 0 for p in parts], axis=0)
        return b, np.where(any_adj, eff, -1)

    prefectures = list(regions.loc[regions["level"] == "prefecture", "region_code"])
    for p in prefectures:
        parts = list(leaves.loc[leaves["parent_code"] == p, "region_code"])
        for item in ANNUAL_ITEMS:
            budget[(p, item)], adj[(p, item)] = total(parts, item)
    for item in ANNUAL_ITEMS:
        budget[("650000", item)], adj[("650000", item)] = total(prefectures, item)
    return budget, adj, outturn, g_cj


def annual_table(order, names, budget, adj, outturn) -> str:
    buf = io.StringIO()
    buf.write("region_code,region,year,item,budget,adjusted_budget,outturn,unit\n")
    for code in order:
        for y, year in enumerate(YEARS):
            for item in ANNUAL_ITEMS:
                b, a, o = budget[(code, item)][y], adj[(code, item)][y], outturn[(code, item)][y]
                buf.write(f"{code},{names[code]},{year},{item},{cents_str(int(b))},"
                          f"{cents_str(int(a)) if a >= 0 else ''},{cents_str(int(o)) if o >= 0 else ''},{UNIT}\n")
    return buf.getvalue()


# ---- risk table ------------------------------------------------------------------------------------

def risk_periods() -> list[tuple[int, int]]:
    year, month = RISK_FIRST
    out = []
    for _ in range(RISK_MONTHS):
        out.append((year, month))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def pick_scenarios(grades: dict[str, str], zone_codes: set[str]) -> dict[str, list[str]]:
    """Which counties play which part in the risk table (the README reports what actually happens)."""
    r = rng("risk_design")
    by_grade = {g: [c for c, gg in grades.items() if gg == g and c not in zone_codes]
                for g in ("red", "orange", "yellow", "green")}
    red, orange, yellow, green = ([str(c) for c in r.permutation(by_grade[g])]
                                  for g in ("red", "orange", "yellow", "green"))
    s = {
        "wage_arrears": red[0:2],
        "debt_service_lumpy": [red[0], red[2], red[3]],
        "treasury_recovers": [red[4]],
        "interest_high": [red[5]],
        "interest_crosses": [orange[1]],
        "sanbao_gap_always": [red[1]],
        "sanbao_gap_from_2022": [red[2]],
        "sanbao_gap_2023": [orange[4]],
        "sanbao_gap_closed_2023": [orange[5]],
        "sanbao_lag": [red[0], red[1], red[3]],
        "sanbao_lag_2023": [yellow[2]],
        "treasury_falls": [orange[0]],
        "debt_up_300": [orange[2]],
        "debt_down_200": [orange[3]],
        "debt_up_200": [yellow[0]],
        "debt_down_120": [yellow[1]],
        "debt_up_120": [green[3]],
        "usable_low": [orange[6], yellow[4]],
        "idle": green[0:2],
        "becomes_idle": [green[2]],
        "missing_treasury_sanbao": [yellow[3]],
        "missing_debt_advances": [green[4]],
        "debt_recovering_red": [red[4]],
    }
    designed = {c for v in s.values() for c in v}
    others = [c for c in (red + orange + yellow + green) if c not in designed]
    others = [str(c) for c in r.permutation(sorted(others))]
    s["advances_rising"] = red[0:3] + others[0:6]
    s["advances_falling"] = [orange[7], orange[8]] + others[6:13]
    missing = set(s["missing_treasury_sanbao"] + s["missing_debt_advances"])
    pool = [c for c in sorted(grades) if c not in zone_codes and c not in missing and c not in s["usable_low"]]
    s["usable_reported"] = s["usable_low"] + sorted(r.choice(pool, 30, replace=False).tolist())
    return s


def _smooth_annual(values: dict[int, float], year: int, month: int) -> float:
    """An annual amount interpolated smoothly through the months (log-linear between mid-years)."""
    if month >= 7:
        a, b, frac = values[year], values[year + 1], (month - 6.5) / 12
    else:
        a, b, frac = values[year - 1], values[year], (month + 5.5) / 12
    return a * (b / a) ** frac


def risk_table(regions, leaves, grades, gen, budget, annual_internal):
    """The risk table: one row per county and zone × month, 2021-07 … 2023-06, amounts in 万元."""
    flows = gen["flows"]
    leaf_codes = list(leaves["region_code"])
    names = dict(zip(regions["region_code"], regions["region"]))
    parents = dict(zip(regions["region_code"], regions["parent_code"]))
    rk = [c for c in leaf_codes if c in grades]
    zone_codes = {c for c in rk if c.endswith("-zd")}
    s = pick_scenarios(grades, zone_codes)
    periods = risk_periods()
    ra, rd, rt, rs, rv = (rng(k) for k in ("risk_annual", "risk_debt", "risk_treasury", "risk_sanbao", "risk_advances"))
    years = (2020, 2021, 2022, 2023, 2024)
    rows = {}
    for code in rk:
        i = leaf_codes.index(code)
        grade = grades[code]

        def in_(key):
            return code in s[key]

        # annual amounts
        ge = {y: budget[(code, "gpb_expenditure")][YEARS.index(y)] / 100 for y in (2020, 2021, 2022, 2023)}
        fe = {y: annual_internal["fexp_budget"][i, YEARS.index(y)] for y in (2020, 2021, 2022, 2023)}
        ge[2024], fe[2024] = ge[2023] * 1.05, fe[2023] * 1.05
        u_cr = ra.uniform(0.90, 1.05)
        cr = {y: (ge[y] + fe[y]) * u_cr * np.exp(ra.normal(0.0, 0.02)) for y in years}
        ar_share = ra.uniform(0.70, 0.85)
        ar = {y: cr[y] * ar_share for y in years}
        share = {"red": (0.60, 0.75), "orange": (0.50, 0.62), "yellow": (0.42, 0.55), "green": (0.35, 0.50)}[grade]
        sb_share = ra.uniform(*share)
        sb = {y: ar[y] * sb_share for y in years}
        gap = {y: -ra.uniform(0.005, 0.05) for y in years}
        if in_("sanbao_gap_always"):
            gap.update({2021: 0.08, 2022: 0.10, 2023: 0.12})
        if in_("sanbao_gap_from_2022"):
            gap.update({2022: 0.05, 2023: 0.07})
        if in_("sanbao_gap_2023"):
            gap[2023] = 0.04
        if in_("sanbao_gap_closed_2023"):
            gap.update({2021: 0.06, 2022: 0.05})
        sn = {y: sb[y] * (1 + gap[y]) for y in years}

        # debt: (legal + hidden) ÷ comprehensive resources follows a designed path. Hidden debt is
        # reduced every month (化债); legal debt takes the rest, and steps up in January when the
        # early-year bond quota is issued.
        q0, slope = {"red": ((3.15, 4.0), (-0.03, 0.12)), "orange": ((2.25, 2.75), (-0.05, 0.05)),
                     "yellow": ((1.35, 1.80), (-0.05, 0.05)), "green": ((0.45, 1.0), (-0.05, 0.05))}[grade]
        q0, slope = rd.uniform(*q0), rd.uniform(*slope)
        for key, (a, b) in {"debt_up_300": (2.80, 0.25), "debt_down_200": (2.15, -0.15), "debt_up_200": (1.85, 0.18),
                            "debt_down_120": (1.28, -0.12), "debt_up_120": (1.08, 0.12),
                            "debt_recovering_red": (3.10, -0.20)}.items():
            if in_(key):
                q0, slope = a, b
        legal0 = rd.uniform(0.45, 0.65) if grade == "red" else rd.uniform(0.55, 0.80)
        lumpy = in_("debt_service_lumpy")
        p_rate = rd.uniform(0.06, 0.08) if lumpy else rd.uniform(0.005, 0.02)
        sched = {y: rd.dirichlet(np.full(12, 0.5 if lumpy else 4.0)) for y in (2021, 2022, 2023)}
        sp_rate = rd.uniform(0.02, 0.07)
        debt_noise = rd.normal(0.0, 0.002, RISK_MONTHS + 12)
        hidden0, hidden_cut = (1 - legal0) * q0 * cr[2021], rd.uniform(0.05, 0.20)

        def debt_at(t):  # t >= -6 (2021-01)
            year = periods[t][0] if t >= 0 else 2021
            total = (q0 + slope * t / 12 + debt_noise[t + 12]) * cr[year]
            hidden = min(hidden0 * np.exp(-hidden_cut * t / 12), 0.6 * total)
            return total - hidden, hidden

        legal_jan = {y: debt_at(periods.index((y, 1)) if (y, 1) in periods else -6)[0] for y in (2021, 2022, 2023)}
        legal_jun = {y: debt_at(periods.index((y, 6)) if (y, 6) in periods else -1)[0] for y in (2021, 2022, 2023)}
        ig = {y: ge[y] * np.clip(legal_jun[y] * 0.55 * 0.034 / ge[y], 0.005, 0.085) for y in (2021, 2022, 2023)}
        if in_("interest_high"):
            ig = {2021: ge[2021] * 0.108, 2022: ge[2022] * 0.114, 2023: ge[2023] * 0.121}
        if in_("interest_crosses"):
            ig = {2021: ge[2021] * 0.086, 2022: ge[2022] * 0.094, 2023: ge[2023] * 0.104}
        isp = {y: fe[y] * sp_rate for y in (2021, 2022, 2023)}
        dsd = {y: ig[y] + isp[y] + legal_jan[y] * p_rate for y in (2021, 2022, 2023)}
        ds_month = {(y, m + 1): dsd[y] * sched[y][m] for y in (2021, 2022, 2023) for m in range(12)}

        # treasury: coverage (months of outflow) follows a designed path
        k_out = rt.uniform(1.0, 1.15)
        y_idx = {y: YEARS.index(y) for y in (2020, 2021, 2022, 2023)}

        def outflow(year, month):
            y = y_idx[year]
            actual = flows["gexp"][i, y, month - 1] + flows["fexp"][i, y, month - 1]
            annual = flows["gexp"][i, y].sum() + flows["fexp"][i, y].sum()
            return k_out * (0.55 * actual + 0.45 * annual / 12)

        hist = [(2020 + (7 + k) // 12, (7 + k) % 12 + 1) for k in range(11)]  # 2020-08 … 2021-06
        out_hist = [outflow(y, m) for y, m in hist] + [outflow(y, m) for y, m in periods]
        base = {"red": (0.25, 0.36), "orange": (0.50, 0.72), "yellow": (0.60, 1.10), "green": (0.75, 1.50)}[grade]
        b = rt.uniform(*base)
        if in_("interest_high"):
            b = rt.uniform(0.50, 0.58)
        if in_("idle"):
            b = rt.uniform(2.40, 2.80)
        season = (0.12, 0.06, 0.03, 0.0, 0.0, -0.04, 0.0, 0.0, -0.03, 0.0, 0.0, -0.12)
        cov_noise = rt.normal(0.0, 0.02, RISK_MONTHS)
        usable_base = rt.uniform(0.28, 0.36) if in_("usable_low") else rt.uniform(0.45, 0.85)
        usable_noise = rt.normal(0.0, 0.05 if in_("usable_low") else 0.03, RISK_MONTHS)

        # 三保 execution, wage arrears, advances
        lead = {y: rs.uniform(0.01, 0.05) for y in (2021, 2022, 2023)}
        fin = {y: rs.uniform(1.003, 1.02) for y in (2021, 2022, 2023)}
        if in_("sanbao_lag"):
            lead = {y: -rs.uniform(0.10, 0.15) for y in (2021, 2022, 2023)}
            fin = {y: rs.uniform(0.95, 0.99) for y in (2021, 2022, 2023)}
        if in_("sanbao_lag_2023"):
            lead[2023], fin[2023] = -0.10, 0.98
        wage_month = sb[2022] * 0.55 / 12
        arrears = {}
        if code == s["wage_arrears"][0]:  # a few months of unpaid wages, then cleared
            months, parts = [(2022, 11), (2022, 12), (2023, 1), (2023, 2)], (0.3, 0.7, 0.6, 0.2)
            arrears = {k: wage_month * f for k, f in zip(months, parts)}
        elif code == s["wage_arrears"][1]:
            months, parts = [(2023, 1), (2023, 2), (2023, 3), (2023, 4)], (0.4, 0.8, 0.5, 0.15)
            arrears = {k: wage_month * f for k, f in zip(months, parts)}
        a0_range = {"red": (0.07, 0.085), "orange": (0.05, 0.08), "yellow": (0.03, 0.06), "green": (0.01, 0.04)}
        a0 = rv.uniform(*a0_range[grade])
        a_rate = -rv.uniform(0.15, 0.25)  # log change of the ratio a year: most counties clear advances
        if in_("advances_rising"):
            a_rate = rv.uniform(0.25, 0.45)
        if in_("advances_falling"):
            a_rate = -rv.uniform(0.30, 0.50)
        a_noise = rv.normal(0.0, 0.005, RISK_MONTHS + 7)
        spend = {y: ge[y] + fe[y] for y in years}

        def advances_at(t):  # t = -7 is 2020-12
            year, month = periods[t] if t >= 0 else (2020, 12)
            a = np.clip(a0 * np.exp(a_rate * t / 12 + a_noise[t + 7]), 0.008, 0.10)
            return a * _smooth_annual(spend, year, month)

        code_rows = []
        for t, (year, month) in enumerate(periods):
            cov = b
            if in_("treasury_recovers") and (year, month) >= (2023, 1):
                cov = b + (0.75 - b) * month / 6
            if in_("treasury_falls"):
                cov = 0.62 + (0.30 - 0.62) * t / (RISK_MONTHS - 1)
            if in_("becomes_idle"):
                cov = 1.40 + (2.50 - 1.40) * t / (RISK_MONTHS - 1)
            cov = cov * (1 + season[month - 1]) + cov_noise[t] * cov
            mean12 = float(np.mean(out_hist[t:t + 12]))
            balance = max(cov, 0.08) * mean12
            usable = balance * float(np.clip(usable_base + usable_noise[t], 0.10, 0.98)) \
                if code in s["usable_reported"] else np.nan
            legal, hidden = debt_at(t)
            progress = (month / 12 + lead[year] * np.sin(np.pi * month / 12)) * fin[year]
            next3 = sum(ds_month[(year + (month + k - 1) // 12, (month + k - 1) % 12 + 1)] for k in (1, 2, 3)
                        if (year + (month + k - 1) // 12) <= 2023)
            prev_dec = advances_at(periods.index((year - 1, 12)) if (year - 1, 12) in periods else -7)
            code_rows.append({
                "treasury_balance": balance,
                "treasury_outflow": out_hist[t + 11],
                "treasury_usable": usable,
                "sanbao_need": sn[year],
                "sanbao_budget": sb[year],
                "sanbao_paid": sb[year] * progress,
                "wage_arrears": arrears.get((year, month), 0.0),
                "available_resources": ar[year],
                "comprehensive_resources": cr[year],
                "debt_balance": legal,
                "hidden_debt_balance": hidden,
                "debt_service_due": dsd[year],
                "debt_service_paid": sum(ds_month[(year, k)] for k in range(1, month + 1)),
                "debt_service_next3m": next3,
                "interest_general": ig[year],
                "interest_special": isp[year],
                "gpb_expenditure": ge[year],
                "fund_expenditure": fe[year],
                "advances_balance": advances_at(t),
                "advances_prev_yearend": prev_dec,
            })
        blank = []
        if in_("missing_treasury_sanbao"):
            blank = ["treasury_outflow", "treasury_usable", "sanbao_need", "sanbao_paid", "debt_service_next3m"]
        if in_("missing_debt_advances"):
            blank = ["comprehensive_resources", "hidden_debt_balance", "interest_general", "advances_balance",
                     "advances_prev_yearend"]
        if code in zone_codes:
            blank = list(RISK_AMOUNTS)
        for row in code_rows:
            for col in blank:
                row[col] = np.nan
        rows[code] = code_rows

    buf = io.StringIO()
    buf.write(",".join(["region_code", "region", "parent_code", "period", "grade", *RISK_AMOUNTS, "unit"]) + "\n")
    for code in rk:
        for (year, month), row in zip(periods, rows[code]):
            values = {k: (np.round(v, 2) if np.isfinite(v) else np.nan) for k, v in row.items()}
            buf.write(",".join([code, names[code], parents[code], f"{year}-{month:02d}", grades[code],
                                *(fmt(values[k]) for k in RISK_AMOUNTS), UNIT]) + "\n")
    return buf.getvalue(), s


# ---- checks and the README -------------------------------------------------------------------------

def growth_pct(cur, prev):
    return (cur / prev - 1) * 100


def check_changji(monthly_csv: str) -> dict:
    """Recompute the Changji figures from the CSV text as written (rounded), and assert them."""
    df = pd.read_csv(io.StringIO(monthly_csv), dtype={"region_code": str})
    got = {}

    def ytd(code, item, period):
        return float(df.loc[(df.region_code == code) & (df.item == item) & (df.period == period), "ytd"].iloc[0])

    path = []
    for m, want in enumerate(CJ_GPB_GROWTH, start=1):
        g = growth_pct(ytd(CJ, "gpb_revenue", f"2023-{m:02d}"), ytd(CJ, "gpb_revenue", f"2022-{m:02d}"))
        assert round(g, 2) == want, (m, g, want)
        path.append(g)
    got["652300 gpb_revenue YTD growth 2023-01…06 (%)"] = path
    checks = [
        (CJ, "gpb_revenue", CJ_GPB_2023H1, 0.45), (CJ, "tax_revenue", CJ_TAX_2023H1, CJ_TAX_GROWTH),
        (CJ, "nontax_revenue", CJ_NONTAX_2023H1, CJ_NONTAX_GROWTH),
        (CJ_BJ, "gpb_revenue", BJ_GPB_2023H1, BJ_GPB_GROWTH), (CJ_BJ, "tax_revenue", BJ_TAX_2023H1, BJ_TAX_GROWTH),
        (CJ_BJ, "nontax_revenue", BJ_NONTAX_2023H1, BJ_NONTAX_GROWTH),
    ]
    keys = {"gexp": "gpb_expenditure", "frev": "fund_revenue", "fexp": "fund_expenditure"}
    for item, ((cj23, cj_g), (bj23, bj_g)) in CJ_SECONDARY.items():
        checks += [(CJ, keys[item], cj23, cj_g), (CJ_BJ, keys[item], bj23, bj_g)]
    for code, item, amount, want in checks:
        cur, prev = ytd(code, item, "2023-06"), ytd(code, item, "2022-06")
        g = growth_pct(cur, prev)
        assert cur == amount, (code, item, cur, amount)
        assert round(g, 2) == round(want, 2), (code, item, g, want)
        got[f"{code} {item} 2023-06"] = (cur, prev, g)
    zd_cur, zd_prev = ytd(CJ_ZD, "tax_revenue", "2023-06"), ytd(CJ_ZD, "tax_revenue", "2022-06")
    zd_g, zd_share = growth_pct(zd_cur, zd_prev), zd_cur / ytd(CJ, "tax_revenue", "2023-06") * 100
    assert round(zd_g, 2) == ZD_TAX_GROWTH and round(zd_share, 1) == 55.0, (zd_g, zd_share)
    got[f"{CJ_ZD} tax_revenue 2023-06"] = (zd_cur, zd_prev, zd_g, zd_share)
    return got


def check_monthly(monthly_csv: str, order: list[str]) -> None:
    """Row count, strictly positive monthly values, 三保 ≤ general expenditure, tax + non-tax = total."""
    df = pd.read_csv(io.StringIO(monthly_csv), dtype={"region_code": str})
    assert len(df) == len(order) * (NY * 12 - (12 - LAST_MONTH)) * len(MONTHLY_ITEMS)
    df["year"] = df["period"].str[:4]
    monthly = df.groupby(["region_code", "item", "year"], sort=False)["ytd"].diff().fillna(df["ytd"])
    assert (monthly > 0).all(), df[monthly <= 0].head()
    wide = df.pivot_table(index=["region_code", "period"], columns="item", values="ytd")
    assert (wide["sanbao_expenditure"] <= wide["gpb_expenditure"]).all()
    gap = (wide["tax_revenue"] + wide["nontax_revenue"] - wide["gpb_revenue"]).abs()
    assert gap.max() <= 0.0100001, gap.max()


def _flags(df: pd.DataFrame) -> tuple:
    """Per county × month flags under the DOMAIN.md default thresholds (NaN = not assessed)."""
    df = df.sort_values(["region_code", "period"]).copy()
    mean_out = df.groupby("region_code")["treasury_outflow"].transform(lambda s: s.rolling(12, min_periods=1).mean())
    cov = df["treasury_balance"] / mean_out
    month = df["period"].str[5:].astype(int)
    debt = (df["debt_balance"] + df["hidden_debt_balance"]) / df["comprehensive_resources"] * 100
    band = pd.cut(debt, [-np.inf, 120, 200, 300, np.inf], right=False, labels=["green", "yellow", "orange", "red"])
    adv = df["advances_balance"] / (df["gpb_expenditure"] + df["fund_expenditure"]) * 100

    def flag(cond, inputs):
        return cond.where(df[inputs].notna().all(axis=1))

    out = {
        "treasury coverage < 0.4 months (预警)": flag(cov < 0.4, ["treasury_balance", "treasury_outflow"]),
        "treasury coverage ≥ 2 months (idle, 闲置)": flag(cov >= 2.0, ["treasury_balance", "treasury_outflow"]),
        "usable treasury < 30% of the balance": flag(df["treasury_usable"] < 0.3 * df["treasury_balance"],
                                                     ["treasury_usable", "treasury_balance"]),
        "三保 gap (need > budget)": flag(df["sanbao_need"] > df["sanbao_budget"], ["sanbao_need", "sanbao_budget"]),
        "三保 paid ÷ budget behind time progress (m/12)": flag(df["sanbao_paid"] / df["sanbao_budget"] < month / 12,
                                                            ["sanbao_paid", "sanbao_budget"]),
        "wage arrears > 0": flag(df["wage_arrears"] > 0, ["wage_arrears"]),
        "general-debt interest > 10% of general expenditure": flag(
            df["interest_general"] > 0.10 * df["gpb_expenditure"], ["interest_general", "gpb_expenditure"]),
        "special-debt interest > 10% of fund expenditure": flag(
            df["interest_special"] > 0.10 * df["fund_expenditure"], ["interest_special", "fund_expenditure"]),
        "debt service of the next 3 months > treasury balance": flag(
            df["debt_service_next3m"] > df["treasury_balance"], ["debt_service_next3m", "treasury_balance"]),
        "temporary advances ≥ 5% of general + fund expenditure": flag(
            adv >= 5.0, ["advances_balance", "gpb_expenditure", "fund_expenditure"]),
        "temporary advances above last year-end": flag(df["advances_balance"] > df["advances_prev_yearend"],
                                                       ["advances_balance", "advances_prev_yearend"]),
    }
    frame = pd.DataFrame(out)
    frame["region_code"], frame["period"] = df["region_code"].values, df["period"].values
    return frame, band.astype(object).where(debt.notna()), debt, cov, adv, df


def risk_report(risk_csv: str, names: dict[str, str], grades: dict[str, str]) -> str:
    """Markdown list of which counties cross which threshold, computed from the risk CSV text."""
    df = pd.read_csv(io.StringIO(risk_csv), dtype={"region_code": str})
    frame, band, debt, cov, adv, df = _flags(df)
    label = lambda c: f"{c} {names[c]} ({grades[c]})"  # noqa: E731
    lines = []
    first_p, last_p = df["period"].min(), df["period"].max()
    for name in [c for c in frame.columns if c not in ("region_code", "period")]:
        kinds = {"all 24 months": [], "crosses into the flag": [], "recovers": [], "some months": []}
        not_assessed = []
        for code, g in frame.groupby("region_code", sort=False):
            f = g[name]
            if f.isna().all():
                not_assessed.append(code)
                continue
            v = f.fillna(False).astype(bool).to_numpy()
            if not v.any():
                continue
            if v.all():
                kinds["all 24 months"].append(code)
            elif not v[0] and v[-1]:
                first = g["period"].to_numpy()[np.argmax(v)]
                kinds["crosses into the flag"].append(f"{code}@{first}")
            elif v[0] and not v[-1]:
                last = g["period"].to_numpy()[len(v) - 1 - np.argmax(v[::-1])]
                kinds["recovers"].append(f"{code}@{last}")
            else:
                kinds["some months"].append(f"{code}:{int(v.sum())}")
        lines.append(f"- **{name}**")
        for kind, items in kinds.items():
            if items:
                shown = []
                for it in items:
                    code, _, extra = it.replace("@", "|").replace(":", "|").partition("|")
                    tail = (f", first {extra}" if kind.startswith("crosses") else f", last flagged {extra}"
                            if kind == "recovers" else f", {extra} months" if kind == "some months" else "")
                    shown.append(f"{label(code)}{tail}")
                lines.append(f"  - {kind}: " + "; ".join(shown))
        if not any(kinds.values()):
            lines.append("  - no county")
        if len(not_assessed) > 5:
            lines.append(f"  - not assessed: {len(not_assessed)} counties do not report the input")
        elif not_assessed:
            lines.append("  - not assessed (inputs missing): " + "; ".join(label(c) for c in not_assessed))
    # debt colour bands
    df["band"] = band
    lines.append("- **debt colour band, (legal + hidden debt) ÷ comprehensive resources** "
                 "(red ≥ 300%, orange 200–300%, yellow 120–200%, green < 120%)")
    counts_start = df.loc[df["period"] == first_p, "band"].value_counts()
    counts_end = df.loc[df["period"] == last_p, "band"].value_counts()
    def fmt_counts(c):
        return ", ".join(f"{b} {int(c.get(b, 0))}" for b in ("red", "orange", "yellow", "green"))

    lines.append(f"  - counties per band at {first_p}: {fmt_counts(counts_start)}; "
                 f"at {last_p}: {fmt_counts(counts_end)}")
    changes = []
    for code, g in df.groupby("region_code", sort=False):
        b = g["band"].dropna()
        if b.empty:
            continue
        seq = [b.iloc[0]] + [x for prev, x in zip(b.iloc[:-1], b.iloc[1:]) if x != prev]
        if len(seq) > 1:
            d = debt[g.index]
            changes.append(f"{label(code)}: {' → '.join(seq)} ({d.iloc[0]:.0f}% → {d.iloc[-1]:.0f}%)")
    lines.append("  - counties that change band: " + ("; ".join(changes) if changes else "none"))
    red_debt = [c for c in df["region_code"].unique() if grades[c] == "red"]
    red_share = df[df["region_code"].isin(red_debt)]["band"].eq("red").mean() * 100
    lines.append(f"  - red-grade counties: {red_share:.0f}% of their county-months are in the red debt band")
    # treasury coverage and advances, spread
    last = df["period"] == last_p
    q = cov[last].describe()
    lines.append(f"- **treasury coverage at {last_p}** (balance ÷ mean outflow of the months to date, up to 12): "
                 f"median {q['50%']:.2f}, quartiles {q['25%']:.2f}–{q['75%']:.2f}, "
                 f"min {q['min']:.2f}, max {q['max']:.2f}; "
                 f"{int(((cov >= 0.5) & (cov <= 1.5)).sum())} of {int(cov.notna().sum())} "
                 "county-months are within 0.5–1.5")
    rising, falling = [], []
    for code, g in df.groupby("region_code", sort=False):
        a = adv[g.index].dropna()
        if len(a) < 2:
            continue
        if a.iloc[-1] >= 1.3 * a.iloc[0]:
            rising.append(f"{label(code)} {a.iloc[0]:.1f}% → {a.iloc[-1]:.1f}%")
        elif a.iloc[-1] <= 0.6 * a.iloc[0]:
            falling.append(f"{label(code)} {a.iloc[0]:.1f}% → {a.iloc[-1]:.1f}%")
    lines.append(f"- **temporary advances ÷ (general + fund expenditure)**: range {adv.min():.1f}%–{adv.max():.1f}%")
    lines.append("  - most counties clear advances slowly (the ratio falls 15–25% a year)")
    lines.append("  - rising by 30% or more of the ratio (2021-07 → 2023-06): " + "; ".join(rising))
    lines.append("  - falling by 40% or more: " + "; ".join(falling))
    return "\n".join(lines)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(out: Path = OUT) -> None:
    regions = load_regions()
    names = dict(zip(regions["region_code"], regions["region"]))
    grades = assign_grades(regions)

    # the regions of the panel, in the order of the regions file
    leaves = regions[regions["level"].isin(["county", "zone", "own"]) & (regions["region_code"] != "650000-bj")]
    leaves = leaves.reset_index(drop=True)
    order = [c for c in regions["region_code"] if c != "650000-bj"]
    codes = list(leaves["region_code"])
    pref = leaves["parent_code"].to_numpy()
    level = leaves["level"].to_numpy()

    gen = generate_leaves(leaves)
    factors = calibrate_changji(gen, codes, pref, level)
    flows = gen["flows"]
    flows["sanbao"] = sanbao_flows(flows["gexp"], gen["sanbao_ratio"])
    ytd = ytd_by_region(regions, leaves, flows)

    synthetic_regions = regions.copy()
    synthetic_regions["grade"] = [grades.get(c, "") for c in regions["region_code"]]
    regions_csv = synthetic_regions.to_csv(index=False, lineterminator="\n")
    monthly_csv = monthly_table(order, names, ytd)
    check_monthly(monthly_csv, order)
    achieved = check_changji(monthly_csv)

    base_2012 = dict(gen["base_2012"])
    base_2012["sanbao"] = base_2012["gexp"] * gen["sanbao_ratio"][:, 0]
    budget, adj, outturn, g_cj = annual_tables(regions, leaves, ytd, base_2012, order)
    annual_csv = annual_table(order, names, budget, adj, outturn)
    cj_budget = budget[(CJ, "gpb_revenue")][Y2023] / 100
    cj_completion = CJ_GPB_2023H1 / cj_budget * 100
    assert 45 <= cj_completion <= 50, cj_completion

    # fund expenditure budgets (not in the annual table, used by the risk table)
    r = rng("fexp_budget")
    fexp_out = np.stack([flows["fexp"][:, y].sum(axis=1) for y in range(NY)], axis=1)
    fexp_budget = np.round(np.concatenate([fexp_out[:, :1], fexp_out[:, :-1]], axis=1)
                           * (1 + r.uniform(0.03, 0.10, fexp_out.shape)), 2)
    risk_csv, _ = risk_table(regions, leaves, grades, gen, budget, {"fexp_budget": fexp_budget})
    report = risk_report(risk_csv, names, grades)

    files = {
        "xinjiang_regions_synthetic.csv": regions_csv,
        "xinjiang_monthly_synthetic.csv": monthly_csv,
        "xinjiang_annual_synthetic.csv": annual_csv,
        "xinjiang_risk_synthetic.csv": risk_csv,
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_atomic(out / name, text)
    readme = build_readme(files, regions, grades, achieved, factors, gen["spikes"], names, report, g_cj,
                          cj_budget, cj_completion, adj, order)
    write_atomic(out / "README.md", readme)

    print("wrote", ", ".join(f"{n} ({len(t.encode('utf-8')):,} bytes)" for n, t in files.items()), "and README.md")
    print("Changji calibration factors:",
          ", ".join(f"{k} {v:.4f}" for k, v in factors.items() if isinstance(v, float)),
          "| 2023 RAS cell factors %.3f–%.3f" % factors["2023 RAS cell factors (min, max)"])
    for key, value in achieved.items():
        print(" ", key, value)
    print(f"  652300 2023 gpb_revenue budget {cj_budget:.2f} 万元 (target growth {g_cj * 100:.2f}%), "
          f"H1 completion {cj_completion:.2f}%")
    counts = pd.Series(list(grades.values())).value_counts()
    print("grades:", ", ".join(f"{g} {int(counts[g])}" for g in ("red", "orange", "yellow", "green")))
    print(report)


def build_readme(files, regions, grades, achieved, factors, spikes, names, report, g_cj, cj_budget,
                 cj_completion, adj, order) -> str:
    sizes = {n: len(t.encode("utf-8")) for n, t in files.items()}
    rows = {n: t.count("\n") - 1 for n, t in files.items()}
    by_grade = {g: [c for c in regions["region_code"] if grades.get(c) == g]
                for g in ("red", "orange", "yellow", "green")}
    path = ", ".join(f"{g:.4f}" for g in achieved["652300 gpb_revenue YTD growth 2023-01…06 (%)"])
    n_adj = sum(int((adj[(c, "gpb_revenue")] >= 0).sum()) for c in order)
    n_leaf_adj = sum(int((adj[(c, "gpb_revenue")] >= 0).sum()) for c in order
                     if regions.set_index("region_code").loc[c, "level"] in ("county", "zone", "own"))
    n_leaf = sum(1 for c in order if regions.set_index("region_code").loc[c, "level"] in ("county", "zone", "own"))

    def fig(key):
        cur, prev, g = achieved[key][:3]
        return f"{cur:,.2f} (2022: {prev:,.2f}, {g:+.4f}%)"

    spike_lines = "; ".join(f"{c} {names[c]} {y}-{m:02d} (+{v:,.0f})" for c, y, m, v in spikes)
    lines = [
        "# Demo panel (`data/demo/`): SYNTHETIC",
        "",
        "**Every number in these files is invented.** The region codes and names are real: they come",
        "from `data/regions/xinjiang_regions.csv`. The exception is the set of Changji (652300)",
        f"calibration targets below, which come from the seed report `{SEED_FILE}`. Do not quote any figure",
        "from here as a fact about a real county, and do not read a grade as an official risk grade.",
        "",
        f"Regenerate with `{COMMAND}`, from the repository root. It uses numpy and pandas only, has no",
        f"network access and uses seed {SEED}. Every run writes the same bytes. Each file is written to a",
        "temporary file and then renamed, so no file is ever half-written. This README is written by the",
        "same script, so the lists below are computed from the files, not typed by hand.",
        "",
        "## Files",
        "",
        "| file | table (docs/data-format.md) | rows | bytes | what |",
        "|---|---|---|---|---|",
        f"| `xinjiang_regions_synthetic.csv` | regions | {rows['xinjiang_regions_synthetic.csv']} | "
        f"{sizes['xinjiang_regions_synthetic.csv']:,} | the real region list plus a synthetic `grade` "
        "for the 96 counties and the zone |",
        f"| `xinjiang_monthly_synthetic.csv` | monthly | {rows['xinjiang_monthly_synthetic.csv']:,} | "
        f"{sizes['xinjiang_monthly_synthetic.csv']:,} | YTD amounts in 万元, 2013-01 … 2023-06, "
        f"{len(order)} regions × 7 items; `yoy_pct` is empty (code derives it) |",
        f"| `xinjiang_annual_synthetic.csv` | annual | {rows['xinjiang_annual_synthetic.csv']:,} | "
        f"{sizes['xinjiang_annual_synthetic.csv']:,} | budget, adjusted budget and outturn in 万元, "
        "2013–2023, the same regions, 6 items |",
        f"| `xinjiang_risk_synthetic.csv` | risk | {rows['xinjiang_risk_synthetic.csv']:,} | "
        f"{sizes['xinjiang_risk_synthetic.csv']:,} | one row per county and zone × month, 2021-07 … 2023-06, in 万元 |",
        "",
        "## Regions and grades",
        "",
        "- The monthly and annual tables cover:",
        "  - every county and the zone 652300-zd;",
        "  - every prefecture's own budget (`<code>-bj`);",
        "  - every prefecture total;",
        "  - the total `650000`.",
        "- **`650000-bj` 自治区本级 is not generated.** `650000` is therefore the sum of the 14 prefectures,",
        "  not a real 全区 figure.",
        "- **Grades are synthetic.** They are drawn from the seed, with more stress in southern Xinjiang",
        "  (喀什, 和田, 克州) and in small counties. Prefectures, 本级 rows and the province have no grade.",
        "",
        *[f"- {g} ({len(cs)}): " + ", ".join(f"{c} {names[c]}" for c in cs)
          for g, cs in by_grade.items() if g != "green"],
        f"- green ({len(by_grade['green'])}): every other county"
        + (", and the zone 652300-zd." if grades.get(CJ_ZD) == "green" else "."),
        "",
        "## How the monthly amounts are made",
        "",
        "- **Annual levels.** Each county, the zone and each 本级 has an invented 2022 level of general",
        "  revenue: about 1–5亿元 in 喀什, 和田 and 克州 counties, up to 40–50亿元 for 乌鲁木齐 districts,",
        "  and 120亿元 for 准东.",
        "  - The tax share depends on the area. Trend growth is 3–10% a year.",
        "  - There are common year shocks: 2015–16 commodity slump and VAT reform, 2019 VAT cut, 2020 COVID",
        "    dip, 2022 VAT credit refunds (tax −14%, non-tax up), 2023 rebound. There are also",
        "    prefecture and county noise terms.",
        "- **Monthly values are shares of the year**, from a profile with noise:",
        "  - Tax: February weak (Spring Festival, shifted to January in years when it falls in January),",
        "    January moderate, March–May strong. 2022 Q2 is hit by refunds (not in Changji, where coal",
        "    prices peaked), and the autumn by lockdowns.",
        "  - Non-tax: lumpy, with December high.",
        "  - General expenditure: January weak, December about 22% of the year.",
        "  - Fund revenue (land sales): very lumpy. Fund expenditure: 1.2–2.2× fund revenue.",
        "  - 三保 spending: 40–60% of the year's general expenditure, paid smoothly. Its YTD never exceeds",
        "    general expenditure YTD.",
        "- **Expenditure is several times own revenue in most counties**: 6–14× in the south, 0.9–1.4× in",
        "  乌鲁木齐 districts. This gap is what transfers fill.",
        "- **Invariants.** Every monthly value is strictly positive. No YTD ever falls, so there is no",
        "  `revision` column. `gpb_revenue` = `tax_revenue` + `nontax_revenue` exactly before rounding,",
        "  and within 0.01 after.",
        f"- **One-off non-tax receipts** (a land or mining-rights sale; amount in 万元), {len(spikes)} in all:",
        f"  {spike_lines}.",
        "  Changji has none of these. It has its 2023 water and soil conservation fee (州本级 and 准东)",
        "  instead.",
        "- **Totals.** A prefecture total is `round(sum of the unrounded parts)`: its counties, its zone",
        "  and its 本级. It is not the sum of the rounded parts, so it can differ from that by a few",
        "  cents. `650000` is the rounded sum of the unrounded prefecture totals.",
        "",
        "## Changji calibration (from the seed report)",
        "",
        f"Targets, all from `{SEED_FILE}`, sections 一 and 二:",
        "",
        "- 一(一): 全州 一般公共预算收入 1-6月 118.91 亿元, 增收 0.53 亿元, +0.45%. 税收收入 81.72 亿元,",
        "  −10.98%; 非税收入 37.19 亿元, +39.9%.",
        "- 二(一): 前六个月全州一般公共预算收入同比增幅分别为 −9.37%、0.68%、4.1%、3.02%、2.36% 和 0.45%.",
        "- 一(二): 州本级 一般公共预算收入 6.94 亿元, +109.04%; 税收 0.66 亿元, +0.29%; 非税 6.28 亿元,",
        "  +135.85%.",
        "- 二(三): 准东 税收收入 下降 21.45%, 占全州税收收入总量的 55%.",
        "- Also matched, though not required by any test:",
        "  - 全州 一般公共预算支出 188.99 亿元 (+12.56%), 政府性基金预算收入 15.68 亿元 (+23.19%),",
        "    政府性基金预算支出 34.63 亿元 (+17.33%);",
        "  - 州本级 一般公共预算支出 22.11 亿元 (−9.37%), 政府性基金预算收入 0.61 亿元 (+22.52%),",
        "    政府性基金预算支出 0.63 亿元 (+13.1%).",
        "",
        "**Method.**",
        "",
        "1. The Changji parts are generated freely.",
        "2. Each part's whole history is rescaled so that its H1 2022 equals the value the report implies.",
        "   The report rounds to 0.01 亿元, so H1 2022 is not pinned exactly. The script picks:",
        "   - 全州 tax 917,960 and non-tax 265,840 (万元), so that −10.98%, +39.90%, +0.45% and 增收 0.53",
        "     all round right;",
        "   - 州本级 tax 6,585 and non-tax 62,815 for 2023, so that 0.29%, 135.85% and 109.04% all hold;",
        "   - 准东 non-tax 40,000 in H1 2022.",
        "3. The 2023 H1 monthly values of the parts are fitted by iterative proportional fitting. The rows",
        "   are part × item (州本级, 准东 and the seven counties; tax and non-tax). The columns are",
        "   months 1–6. The row totals are the H1 targets. The column totals are the 全州 monthly",
        "   amounts implied by the YTD growth path against 2022.",
        "4. The script asserts every figure after rounding, recomputed from the CSV text.",
        "",
        f"Achieved: 652300 gpb_revenue 2023 YTD growth, months 1–6: {path} (%).",
        "",
        "| region | item | 2023-06 YTD (万元) |",
        "|---|---|---|",
    ]
    for key in achieved:
        if key.endswith("2023-06"):
            code, item, _ = key.split(" ")
            extra = f", {achieved[key][3]:.2f}% of 全州 tax" if len(achieved[key]) > 3 else ""
            lines.append(f"| {code} | {item} | {fig(key)}{extra} |")
    lines += [
        "",
        "Rescaling factors of the whole history (1 = the free generation was already right): "
        + ", ".join(f"{k} {v:.3f}" for k, v in factors.items() if isinstance(v, float)) + ". "
        + f"2023 fitting factors by cell: {factors['2023 RAS cell factors (min, max)'][0]:.3f}–"
        + f"{factors['2023 RAS cell factors (min, max)'][1]:.3f}.",
        "",
        "## Annual table",
        "",
        "- **`outturn`** is the December YTD of the monthly file for 2013–2022, exactly. It is empty for",
        "  2023.",
        "- **`budget`** is last year's outturn × (1 + a target growth of 3–10%), drawn per region and year.",
        "  For 2013 the base is an internal 2012 level. Tax and non-tax share one growth rate, and",
        "  `gpb_revenue` budget = tax budget + non-tax budget exactly.",
        f"- **Changji 2023.** Every Changji part gets the target growth {g_cj * 100:.2f}%, so 652300's",
        f"  2023 gpb_revenue budget is {cj_budget:,.2f} 万元 and its H1 completion is {cj_completion:.2f}%.",
        "  The seed's 45.64% is for 地方财政收入, which is not generated.",
        "- **`adjusted_budget`** is a mid-year revision within ±8% of the budget, for the revenue items;",
        "  for expenditure and 三保 it is −3% to +8%.",
        f"  - It is filled for {n_leaf_adj} of {n_leaf * NY} county, zone and 本级 region-years (about a fifth).",
        "  - There are no revisions in 2023: they are approved in the second half of the year.",
        "- **Totals.** A prefecture or province budget is the sum of its parts' budgets. Its adjusted budget",
        "  is the sum of the parts' adjusted budgets, or their budget where a part has none. It is filled",
        f"  when any part was revised. Over all regions, {n_adj} region-years carry an adjusted budget.",
        "",
        "## Risk table",
        "",
        "One row per county and zone × month, 2021-07 … 2023-06. Every column of the risk table is",
        "present, and `grade` is the synthetic grade.",
        "",
        "- **Annual columns are constant within a year.** These are 三保 need and budget, available and",
        "  comprehensive resources, debt service due, interest, and general and fund expenditure.",
        "  - `gpb_expenditure` is that year's budget from the annual table.",
        "  - `fund_expenditure` is a budget made the same way from the monthly fund expenditure.",
        "- **Flows are YTD and reset each January**: `sanbao_paid` and `debt_service_paid`.",
        "- **Balances move month to month.**",
        "  - `treasury_outflow` follows the county's monthly general + fund expenditure.",
        "  - `treasury_balance` = a designed coverage × the mean outflow of the last 12 months.",
        "  - Debt balances follow a designed debt-ratio path. Legal debt's share grows as hidden debt is",
        "    reduced.",
        "  - `advances_prev_yearend` is the previous December's `advances_balance`.",
        "- **Missing inputs.** Two counties have several indicator columns empty for every month, so that",
        "  \"not assessed\" can be shown. The zone 652300-zd has every indicator column empty.",
        "- **`treasury_usable`** is reported for about a third of the counties.",
        "",
        "### Which counties cross which thresholds",
        "",
        "Computed from the written CSV with the DOMAIN.md defaults. Treasury coverage is balance ÷ the",
        "mean outflow of the table's months up to that month (at most 12, so fewer at the start).",
        "",
        "Each flag below lists:",
        "",
        "- the counties flagged in all 24 months;",
        "- the counties that cross into the flag, with the first flagged month;",
        "- the counties that recover, with the last flagged month;",
        "- those flagged in some months only.",
        "",
        report,
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write the SYNTHETIC demo panel (deterministic).")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    main(parser.parse_args().out)
