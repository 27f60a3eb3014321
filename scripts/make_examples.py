"""Write the Changji seed figures the way a bureau exports them, for the examples and the tests.

Outputs in data/examples/ (regenerate with `python scripts/make_examples.py`):

- changji_2023h1_bureau_gbk.csv: GBK-encoded, a title line and a 单位：万元 line above Chinese headers,
  amounts in 万元, periods written 2023年1-6月.
- changji_2023h1_bureau.xlsx: the same table in a real Excel workbook (sheet 月度).

Both hold exactly the figures of data/seeds/changji_2023h1_monthly.csv (amounts × 10,000).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

import fiscalmon
from fiscalmon.writers import atomic_write
from fiscalmon.schema import item_zh

OUT = Path(__file__).resolve().parent.parent / "data" / "examples"
TITLE = "2023年1-6月昌吉州财政收支执行情况表"
HEADER = ["地区编码", "地区", "月份", "项目", "本年累计", "同比增长(%)", "为预算的%"]


def bureau_rows() -> list[list[object]]:
    seed = fiscalmon.datasets.changji_monthly()
    rows = []
    for r in seed.itertuples(index=False):
        amount = None if pd.isna(r.ytd) else round(r.ytd * 10_000, 2)
        rows.append([r.region_code, r.region, f"{r.period.year}年1-{r.period.month}月", item_zh(r.item),
                     amount, None if pd.isna(r.yoy_pct) else r.yoy_pct,
                     None if pd.isna(r.completion_pct) else r.completion_pct])
    return rows


def write_gbk_csv(rows, path: Path) -> None:
    table = pd.DataFrame(rows, columns=HEADER)
    text = f"{TITLE}\n单位：万元\n" + table.to_csv(index=False, float_format="%.2f")
    atomic_write(path, lambda tmp: tmp.write_bytes(text.encode("gbk")))


def write_xlsx(rows, path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "月度"
    sheet.append([TITLE])
    sheet.append(["单位：万元"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    atomic_write(path, lambda tmp: book.save(tmp))


if __name__ == "__main__":
    rows = bureau_rows()
    write_gbk_csv(rows, OUT / "changji_2023h1_bureau_gbk.csv")
    write_xlsx(rows, OUT / "changji_2023h1_bureau.xlsx")
    print(f"wrote {len(rows)} rows to {OUT}")
