"""Parsing single cells and headers the way bureau files write them.

Each parser takes one raw cell (text from a CSV, or a number, text or date from Excel) and returns
the clean value, ``None`` for a cell that says "not reported", or raises :class:`CellError` with
what was expected. The readers turn each ``CellError`` into a located
:class:`~fiscalmon.errors.Problem`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

import numpy as np
import pandas as pd

from .schema import GRADE_ALIASES, ITEM_BY_NAME, ITEMS, LEVEL_ALIASES, UNIT_ALIASES

#: Cell texts that mean "not reported" (besides an empty cell).
MISSING_MARKS = frozenset({"", "-", "—", "－", "--", "——", "/", "无数据"})


class UncalculatedFormula:
    """An Excel cell that holds a formula but no saved result (the workbook was never calculated)."""

    def __init__(self, formula: str):
        self.formula = formula

    def __repr__(self) -> str:
        return f"formula {self.formula} (no saved value)"


class CellError(ValueError):
    """A cell that cannot be read: ``expected`` says what would have been accepted, ``action`` what to do."""

    def __init__(self, expected: str, action: str):
        super().__init__(expected)
        self.expected = expected
        self.action = action


def _refuse_uncalculated(value: object) -> None:
    if isinstance(value, UncalculatedFormula):
        raise CellError(f"a value (the cell holds the formula {value.formula} with no saved result)",
                        "Open the workbook in Excel, let it calculate (F9), save it, and read it again.")


def present(values: pd.Series) -> pd.Series:
    """Whether each cell of a column holds something (not empty, not a 'not reported' mark such as —)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    holds = np.array([not (isinstance(v, str) and v.strip() in MISSING_MARKS) for v in uniques] + [False], dtype=bool)
    return pd.Series(holds[codes], index=values.index)


def text_of(value: object) -> str | None:
    """:func:`clean_text` for finding a table's layout: a formula with no saved value reads as empty there,
    and control characters as spaces (the cell parsers refuse both where the cell is read)."""
    if isinstance(value, UncalculatedFormula):
        return None
    try:
        return clean_text(value)
    except CellError:
        return clean_text(_CONTROL.sub(" ", str(value)))


#: Characters no figure or name holds: C0 and C1 controls (tab, line feeds and carriage returns inside a
#: cell, as Alt+Enter makes them, are read as spaces instead).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def clean_text(value: object) -> str | None:
    """Normalise a text cell: NFKC (full-width → half-width), trimmed; ``None`` when not reported.

    >>> clean_text("  １２３ ")
    '123'
    >>> clean_text("—") is None
    True
    """
    _refuse_uncalculated(value)
    if value is None or value is pd.NA or value is pd.NaT or (
            isinstance(value, (float, np.floating)) and math.isnan(value)):
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        text = str(int(value))
    elif isinstance(value, (float, np.floating)):
        text = str(int(value)) if float(value).is_integer() else repr(float(value))
    else:
        text = unicodedata.normalize("NFKC", str(value))
        control = _CONTROL.search(text)
        if control:
            raise CellError(f"text without control characters (found U+{ord(control.group()):04X})",
                            "Remove the invisible character from the cell (copying from a web page or another "
                            "system often brings one along).")
        text = _LINE_BREAKS.sub(" ", text).strip()
    return None if text in MISSING_MARKS else text


#: A number with thousands separators: groups of exactly three digits after the first (1,189,100.5).
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:([, ])\d{3})(?:\1\d{3})*(?:\.\d+)?$")


def parse_number(value: object, *, percent: bool = False) -> float | None:
    """A number from a cell: ``1,234.5``, ``１２３``, ``+4.1``; with ``percent=True`` also ``4.1%``.

    Returns ``None`` for a cell that is empty or marked not reported (``-``, ``—``). Commas (and
    spaces) are accepted only as thousands separators: ``12,5`` is an error, never 125. A date or a
    TRUE/FALSE cell is an error, never a number.

    >>> parse_number("1,189,100.00")
    1189100.0
    >>> parse_number("4.1%", percent=True)
    4.1
    """
    _refuse_uncalculated(value)
    kind = "a percentage such as 4.1 or 4.1%" if percent else "a number such as 1234.5"
    if isinstance(value, (bool, np.bool_)):
        raise CellError(f"{kind} (found TRUE/FALSE)", "Replace the cell with the figure, or leave it empty.")
    if isinstance(value, (dt.date, dt.time, np.datetime64, pd.Timestamp)):
        raise CellError(f"{kind} (found a date or time)",
                        "Format the cell as a number: Excel shows an amount as a date when the cell is date-formatted.")
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if math.isnan(number):
            return None
    else:
        text = clean_text(value)
        if text is None:
            return None
        text = text.replace("\u2212", "-")  # U+2212 minus sign
        if percent and text.endswith("%"):
            text = text[:-1].rstrip()
        if "," in text or " " in text:
            if not _GROUPED.match(text):
                raise CellError(f"{kind}, with commas only between groups of three digits (1,234,567.8)",
                                "Correct the cell: a decimal comma (12,5) or a misplaced separator is not read.")
            text = text.replace(",", "").replace(" ", "")
        if text.upper() in ("TRUE", "FALSE"):
            raise CellError(f"{kind} (found {text})", "Replace the cell with the figure, or leave it empty.")
        try:
            number = float(text)
        except ValueError:
            raise CellError(kind, "Correct the cell, or leave it empty if the figure is not reported.") from None
    if not math.isfinite(number):
        raise CellError("a finite number", "Replace the cell with the figure, or leave it empty.")
    return number


_YEAR_MONTH = re.compile(r"^(\d{4})\s*([-/.])\s*(\d{1,2})(?:\s*([-/.])\s*(\d{1,2}))?(?:[ T]\d.*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
# 2023年6月, 2023年1-6月, 2023年1—6月份累计, 1-6月, 6月, 1至6月
_CHINESE = re.compile(
    r"^(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*[-—–~～至]\s*)?(\d{1,2})\s*月(?:份)?(?:累计)?$"
)
# Spans written with both ends: 2023-01至2023-06, 2023年1月-6月, 2023年1月至2023年6月, 2023.1-6
_SPAN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(?:[-—–~～至到]|－)\s*(?:(\d{4})\s*[-/.年]\s*)?"
                   r"(\d{1,2})\s*月?(?:份)?(?:累计)?$")


#: Year-to-date spans reports name in words. A quarter other than the first (二季度) is not year to date.
_YTD_SPANS = {"一季度": 3, "第一季度": 3, "1季度": 3, "上半年": 6, "前三季度": 9, "全年": 12}
_SPAN_WORDS = re.compile(r"^(?:(\d{4})\s*年\s*)?(" + "|".join(sorted(_YTD_SPANS, key=len, reverse=True)) + r")(?:累计)?$")
_NOT_FROM_JANUARY = ("a year-to-date span starting in January (1-N月)",
                     "Give the cumulative figure from January; single quarters or months are not year-to-date.")


def parse_month_spec(value: object) -> tuple[int | None, int]:
    """The (year, month) a year-to-date figure runs to; year is ``None`` when the cell has none.

    A span must start in January (1-6月 is year to date; 4-6月 is a quarter, and an error), and is
    read as its last month, however it is written (``2023.1-6``, ``2023-01至2023-06``). The words
    一季度, 上半年, 前三季度 and 全年 are the year to March, June, September and December. A date
    stands for its month, but ``2023-1-6`` (6 January, or January to June?) is refused as ambiguous.

    >>> parse_month_spec("2023年1-6月")
    (2023, 6)
    >>> parse_month_spec("1-2月")
    (None, 2)
    >>> parse_month_spec("2023年上半年"), parse_month_spec("2023.1-6")
    ((2023, 6), (2023, 6))
    """
    expected = "a month such as 2023-06, 202306, 2023年6月 or 2023年1-6月"
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if clean_text(value) is None:
        raise CellError(expected, "Fill in the month the year-to-date figure runs to.")
    if isinstance(value, (dt.date, dt.datetime)) or hasattr(value, "year") and hasattr(value, "month"):
        return int(value.year), int(value.month)  # a date, a pandas Timestamp or Period
    if isinstance(value, (float, np.floating)) and not float(value).is_integer():
        raise CellError("a period written as text or as YYYYMM",
                        "A number such as 2023.1 is ambiguous (2023.10 typed as a number loses its 0); "
                        "format the column as text and write 2023-10.")
    text = clean_text(value)
    if re.fullmatch(r"\d{1,2}", text):  # a bare month number beside a 年度 column
        return None, _check_month(int(text))
    match = _YEAR_MONTH.match(text) or _YEAR_MONTH.match(text.replace(" ", ""))
    if match:
        return _year_month(match)
    text = text.replace(" ", "")
    match = _COMPACT.match(text)
    if match:
        return int(match.group(1)), _check_month(int(match.group(2)))
    match = _SPAN.match(text)
    if match:
        year, start, end_year, end = match.groups()
        if end_year is not None and end_year != year:
            raise CellError("a year-to-date span within one year", "Write the period as YYYY-MM.")
        if int(start) != 1:
            raise CellError(*_NOT_FROM_JANUARY)
        return int(year), _check_month(int(end))
    match = _CHINESE.match(text)
    if match:
        year = int(match.group(1)) if match.group(1) else None
        start, month = match.group(2), int(match.group(3))
        if start is not None and int(start) != 1:
            raise CellError(*_NOT_FROM_JANUARY)
        return year, _check_month(month)
    match = _SPAN_WORDS.match(text)
    if match:
        return (int(match.group(1)) if match.group(1) else None), _YTD_SPANS[match.group(2)]
    raise CellError(expected, "Write the period as YYYY-MM.")


def _year_month(match: re.Match) -> tuple[int, int]:
    """(year, month) of ``2023-06``, ``2023/6/30``; ``2023.1-6`` is the span to June."""
    year, first_sep, month, second_sep, third = match.groups()
    month = int(month)
    if third is None:
        return int(year), _check_month(month)
    third = int(third)
    if second_sep != first_sep:  # 2023.1-6: a year, then a span of months
        if month != 1:
            raise CellError(*_NOT_FROM_JANUARY)
        return int(year), _check_month(third)
    _check_month(month)
    if month == 1 and 2 <= third <= 12:
        raise CellError("a month such as 2023-06 or 2023年1-6月",
                        f"'{match.group(0)}' may be a date in January or the span 1-{third}月: write "
                        f"{year}-{third:02d} (or {year}年1-{third}月) for the span, {year}-01 for January.")
    return int(year), month


def _check_month(month: int) -> int:
    if not 1 <= month <= 12:
        raise CellError("a month between 1 and 12", "Correct the month.")
    return month


def parse_unit(value: object) -> str | None:
    """The canonical unit (元, 万元, 亿元) for a unit cell; ``None`` when empty.

    >>> parse_unit("万")
    '万元'
    """
    text = clean_text(value)
    if text is None:
        return None
    unit = UNIT_ALIASES.get(text.lower().replace("单位:", "").strip())
    if unit is None:
        raise CellError("one of 元, 万元, 亿元", "Convert the amounts to one of these units and say which.")
    return unit


_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]|其中[:：]?)+")
_QUOTES = str.maketrans("", "", '"“”\'‘’「」')


def bare_name(text: str) -> str:
    """A name without spaces, quotes, list numbering (一、, (一), 1.) or a 其中： in front.

    >>> bare_name("其中：“三保”支出"), bare_name(" （一）税收收入")
    ('三保支出', '税收收入')
    """
    return _ENUMERATION.sub("", re.sub(r"\s+", "", text)).translate(_QUOTES).strip()


def parse_item(value: object) -> tuple[str, bool]:
    """Item key for an item cell, and whether the registry knows it.

    Accepts the key, the Chinese name or an alias, with list numbering (一、, (一), 1.) and 其中：
    in front. An unknown name comes back as written, with ``False``.

    >>> parse_item("其中：税收收入")
    ('tax_revenue', True)
    """
    text = clean_text(value)
    if text is None:
        raise CellError("an item key or its Chinese name, such as gpb_revenue or 一般公共预算收入",
                        "Fill in the item.")
    key = item_key(text)
    return (key, True) if key else (text, False)


def item_key(text: str) -> str | None:
    """The registry key of an item name as bureaus write it (see :func:`parse_item`), or ``None``."""
    if text in ITEMS:
        return text
    bare = bare_name(text)
    for candidate in (bare, bare.removesuffix("合计"), bare.removesuffix("总计")):
        if candidate in ITEM_BY_NAME:
            return ITEM_BY_NAME[candidate]
    return None


def parse_flow(value: object) -> str:
    """A cash-plan flow: its key (``wages``) or Chinese name (工资, 到期本金 …).

    >>> parse_flow("再融资债券"), parse_flow("wages")
    ('refinancing', 'wages')
    """
    from .schema import CASH_FLOWS

    text = clean_text(value)
    names = {**{k: k for k in CASH_FLOWS}, **{zh: k for k, zh in CASH_FLOWS.items()}}
    key = names.get(bare_name(text)) if text else None
    if key is None:
        raise CellError("one of " + ", ".join(f"{k} ({zh})" for k, zh in CASH_FLOWS.items()),
                        "Name the flow as one of these.")
    return key


_TEN_DAYS = {"上旬": 1, "中旬": 2, "下旬": 3}


def split_ten_day(value: object) -> tuple[object, int | None]:
    """A period cell without its 旬 (上旬/中旬/下旬), and the 旬 as 1, 2 or 3 (``None`` without one).

    >>> split_ten_day("2024年6月中旬")
    ('2024年6月', 2)
    """
    text = clean_text(value) if isinstance(value, str) else None
    if text:
        for word, number in _TEN_DAYS.items():
            if text.endswith(word):
                return text[: -len(word)].rstrip(), number
    return value, None


def parse_code(value: object) -> str | None:
    """A region code as text: Excel's 652300.0 becomes ``'652300'``; text is kept as written.

    >>> parse_code(652300.0)
    '652300'
    """
    if isinstance(value, (float, np.floating)) and not math.isnan(value) and not float(value).is_integer():
        raise CellError("a region code such as 652300", "Format the code column as text.")
    text = clean_text(value)
    if text is not None and re.fullmatch(r"\d+\.0+", text):
        return text.split(".")[0]  # "652300.0": an integer code after a round trip through Excel
    return text


def parse_level(value: object) -> str | None:
    """Region level: province, prefecture, county, zone or own (本级); Chinese words accepted."""
    text = clean_text(value)
    if text is None:
        return None
    level = LEVEL_ALIASES.get(text.lower())
    if level is None:
        raise CellError("one of province, prefecture, county, zone, own (省/州/县/园区/本级)",
                        "Correct the level.")
    return level


def parse_grade(value: object) -> str | None:
    """Officially assigned risk grade: red, orange, yellow, green (红/橙/黄/绿 accepted)."""
    text = clean_text(value)
    if text is None:
        return None
    grade = GRADE_ALIASES.get(text.lower())
    if grade is None:
        raise CellError("one of red, orange, yellow, green (红/橙/黄/绿)", "Correct the grade or leave it empty.")
    return grade


def parse_year(value: object) -> int:
    """A fiscal year such as 2023 (also ``2023年``)."""
    text = clean_text(value)
    if text is not None:
        text = text.removesuffix("年度").removesuffix("年")
        if re.fullmatch(r"\d{4}", text) and 1949 <= int(text) <= 2100:
            return int(text)
    raise CellError("a year such as 2023", "Correct the year.")


# ---- headers -------------------------------------------------------------------------------------

_BRACKETED = re.compile(r"^(.*?)\s*[(\[]\s*([^()\[\]]*?)\s*[)\]]\s*$")
_PERCENT_WORDS = ("%", "百分比")


def split_header(value: object) -> tuple[str, str | None, bool]:
    """Split a header cell into (bare name, unit in brackets or None, whether it says percent).

    Whitespace and case are ignored in the name; full-width brackets count.

    >>> split_header("本年累计（万元）")
    ('本年累计', '万元', False)
    >>> split_header("同比增长(%)")
    ('同比增长', None, True)
    >>> split_header("ytd (10k yuan)")
    ('ytd', '万元', False)
    """
    text = text_of(value) or ""
    unit, percent = None, False
    match = _BRACKETED.match(text)
    if match:
        inner = re.sub(r"\s+", " ", match.group(2)).lower()
        if inner in _PERCENT_WORDS:
            text, percent = match.group(1), True
        elif inner in UNIT_ALIASES:
            text, unit = match.group(1), UNIT_ALIASES[inner]
    text = re.sub(r"\s+", "", text).lower()
    if text.endswith("%"):
        text, percent = text[:-1], True
    return text, unit, percent


def header_lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Bare header text → canonical column, for one table's alias map."""
    lookup: dict[str, str] = {}
    for column, names in aliases.items():
        for name in (column, *names):
            lookup.setdefault(split_header(name)[0], column)
    return lookup


_TABLE_UNIT = re.compile(r"单位\s*[:：]\s*(万元|亿元|元|万|亿)")


_TITLE_MONTHS = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*[-－—~～至到]\s*)?(\d{1,2})\s*月")
_TITLE_SPANS = re.compile(r"(\d{4})\s*年\s*(" + "|".join(sorted(_YTD_SPANS, key=len, reverse=True)) + ")")


def table_period(text: object) -> tuple[int, int] | None:
    """The year-to-date period a title line names, such as ``昌吉州2023年1-6月收支情况表``.

    ``None`` unless the line names exactly one period, and that period runs from January.

    >>> table_period("昌吉州2023年1-6月一般公共预算收支完成情况表")
    (2023, 6)
    >>> table_period("2023年上半年财政收支情况") , table_period("2023年4-6月") , table_period("2022年6月与2023年6月对比")
    ((2023, 6), None, None)
    """
    cell = clean_text(text)
    if cell is None:
        return None
    found = {(int(y), int(m)) for y, start, m in _TITLE_MONTHS.findall(cell) if not start or int(start) == 1}
    spans = _TITLE_MONTHS.findall(cell)
    found |= {(int(y), _YTD_SPANS[word]) for y, word in _TITLE_SPANS.findall(cell)}
    if len(found) != 1 or len(spans) > 1 or any(start and int(start) != 1 for _, start, _ in spans):
        return None
    year, month = found.pop()
    return (year, month) if 1 <= month <= 12 else None


_TITLE_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?:度)?")
#: What an annual table's title says its figures are: the longest phrase wins (调整预算 over 预算).
TITLE_MEASURES = {"调整预算": "adjusted_budget", "预算调整": "adjusted_budget", "决算": "outturn",
                  "预算执行": "outturn", "年初预算": "budget", "预算": "budget"}


def table_year(text: object) -> int | None:
    """The one fiscal year a title line names (``昌吉州2024年各县市一般公共预算收入预算表``), else ``None``.

    >>> table_year("昌吉州2024年各县市一般公共预算收入预算表"), table_year("2023年与2024年对比")
    (2024, None)
    """
    cell = clean_text(text)
    years = {int(y) for y in _TITLE_YEAR.findall(cell)} if cell else set()
    return years.pop() if len(years) == 1 and 1949 <= min(years) <= 2100 else None


def table_measure(text: object) -> str | None:
    """Which annual figure a title says the table holds (budget, adjusted_budget or outturn), else ``None``.

    >>> table_measure("昌吉州2024年一般公共预算收入调整预算表"), table_measure("2023年决算表")
    ('adjusted_budget', 'outturn')
    """
    cell = clean_text(text) or ""
    for phrase in sorted(TITLE_MEASURES, key=len, reverse=True):
        if phrase in cell:
            return TITLE_MEASURES[phrase]
    return None


#: The first words of a note, signature or date line under (or over) a bureau's table.
_FOOTNOTE = re.compile(r"^(?:注|说明|备注|附注|填报说明|制表|制表人|审核|审核人|复核|填表|填表人|填报|填报人|填报单位|编制单位|"
                       r"编制|负责人|单位负责人|财务负责人|分管领导|主管|经办人|联系人|联系电话|制表日期|填报日期|报送日期|"
                       r"数据来源|资料来源)\s*(?:[:：]|\d|[(（])")


def is_footnote(text: object) -> bool:
    """Whether a cell opens a note or signature line (``注：1.本表…``, ``制表：张三``, ``填报单位：…``).

    >>> is_footnote("注：1.本表数据来源于国库集中收付系统"), is_footnote("制表日期：2024年7月5日"), is_footnote("注册地")
    (True, True, False)
    """
    cell = clean_text(text)
    return bool(cell and _FOOTNOTE.match(cell.replace(" ", "")))


def table_unit(text: object) -> str | None:
    """The unit stated for a whole table in a title line such as ``单位：万元``."""
    cell = clean_text(text)
    match = _TABLE_UNIT.search(cell) if cell else None
    return UNIT_ALIASES[match.group(1)] if match else None
