"""The region directory: GB/T 2260 codes, official names and the short names bureaus write.

fiscalmon ships the codes and names of Xinjiang's province, prefectures, counties, 本级 and zones
(``data/regions``); a user adds their own regions table (it may carry an ``aliases`` / 别名 column).
A table that names its regions without codes is matched through the directory: ``木垒县`` is
``652328 木垒哈萨克自治县``; ``合计`` / ``全州`` rows are the area the table covers (named in its
title, or given as ``prefecture=``) and ``州本级`` / ``本级`` rows that area's own level (``652300-bj``).
Every match is said in a note; a name that matches nothing, or several regions, is an error.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

import pandas as pd

from . import parse
from .errors import Collector

#: Peoples named in autonomous areas' names, as the names write them (族 may follow or not).
_PEOPLES = ("维吾尔", "哈萨克", "回", "蒙古", "柯尔克孜", "塔吉克", "锡伯", "满", "藏", "彝", "壮", "苗", "土家",
            "布依", "侗", "瑶", "白", "朝鲜", "哈尼", "傣", "黎", "傈僳", "佤", "畲", "拉祜", "水", "东乡", "纳西",
            "景颇", "土", "达斡尔", "仫佬", "羌", "撒拉", "毛南", "仡佬", "普米", "怒", "鄂温克", "保安", "裕固",
            "独龙", "鄂伦春", "各族")
_AUTONOMOUS = re.compile(r"^(.+?)(?:(?:" + "|".join(sorted(_PEOPLES, key=len, reverse=True)) + r")族?)+自治(州|县|旗)$")

#: Rows that total the area the table covers (the prefecture, or the province).
TOTAL_NAMES = frozenset({"合计", "总计", "汇总", "全州", "全州合计", "全州总计", "全市", "全市合计", "全市总计", "全地区",
                         "全地区合计", "地区合计", "全区", "全区合计", "全区总计", "全疆", "全疆合计", "全省", "全省合计",
                         "总合计", "合计数"})
#: Rows of the area's own level (本级).
OWN_NAMES = frozenset({"本级", "州本级", "市本级", "地区本级", "州级", "市级", "地区级", "自治区本级", "区本级", "省本级",
                       "省级", "本级合计", "州本级合计"})
#: Rows that add up part of the area: not a region, so not read as one.
SUBTOTAL_NAMES = frozenset({"小计", "县市小计", "县市合计", "县市区合计", "县市区小计", "各县市合计", "各县市小计", "县级合计",
                            "县级小计", "县区合计", "县区小计", "县市区", "各县市区合计"})


def normalise(name: object) -> str:
    """A name as compared: full-width folded, no spaces, quotes, numbering or 其中： in front.

    >>> normalise(" 其中：木垒县 ")
    '木垒县'
    """
    text = parse.clean_text(name)
    return parse.bare_name(text) if text else ""


def short_names(name: str, level: str | None = None) -> set[str]:
    """The shorter names bureaus write for a region (its own name excluded).

    >>> sorted(short_names("巴音郭楞蒙古自治州", "prefecture")), sorted(short_names("木垒哈萨克自治县", "county"))
    (['巴州', '巴音郭楞州'], ['木垒县'])
    >>> sorted(short_names("阿克苏地区", "prefecture"))
    ['阿克苏']
    """
    names = set()
    match = _AUTONOMOUS.match(name)
    if match:
        stem, kind = match.groups()
        names.add(stem + kind)
        if kind == "州" and len(stem) >= 3:  # 巴音郭楞 → 巴州, 博尔塔拉 → 博州, 克孜勒苏 → 克州
            names.add(stem[0] + kind)
    if name.endswith("地区") and len(name) > 3:
        names.add(name[:-2])
    if level in ("prefecture", "province") and name.endswith("市") and len(name) > 2:
        names.add(name[:-1])
    if level == "province" and name.endswith("自治区"):
        names.add(re.sub(r"(?:" + "|".join(_PEOPLES) + r")族?自治区$", "", name))
    names.discard(name)
    return names


@dataclass(frozen=True)
class Directory:
    """Regions by code, and every name they go by (official, alias, short) → their codes."""

    table: pd.DataFrame               # region_code, region, parent_code, level (canonical regions table)
    by_name: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, *tables: pd.DataFrame | None) -> "Directory":
        """The directory of one or more regions tables; a later table's row wins for the same code."""
        frames = [t for t in tables if t is not None and len(t)]
        table = (pd.concat(frames, ignore_index=True).drop_duplicates("region_code", keep="last")
                 .reset_index(drop=True)) if frames else pd.DataFrame(columns=["region_code", "region", "parent_code", "level"])
        official: dict[str, set[str]] = {}
        other: dict[str, set[str]] = {}
        column = lambda name: table[name] if name in table else pd.Series(None, index=table.index, dtype=object)  # noqa: E731
        names = dict(zip(table["region_code"], table["region"]))
        levels = dict(zip(table["region_code"], column("level")))
        for code, name, parent, aliases in zip(table["region_code"], table["region"], column("parent_code"),
                                               column("aliases")):
            official.setdefault(normalise(name), set()).add(code)
            extra = set(short_names(normalise(name), levels.get(code)))
            if isinstance(aliases, str):
                extra |= {normalise(a) for a in re.split(r"[、,，;；/]", aliases) if normalise(a)}
            if levels.get(code) == "own" and isinstance(parent, str) and parent in names:
                extra |= {p + "本级" for p in {normalise(names[parent]),
                                               *short_names(normalise(names[parent]), levels.get(parent))}}
            for alias in extra:
                other.setdefault(alias, set()).add(code)
        # An official name means its region; a short name or alias means every region it is short for.
        by_name = {alias: tuple(sorted(codes)) for alias, codes in other.items()}
        by_name.update({name: tuple(sorted(codes)) for name, codes in official.items()})
        return cls(table, by_name)

    @functools.cached_property
    def levels(self) -> dict[str, str]:
        """Region code → level (province, prefecture, county, zone, own)."""
        return dict(zip(self.table["region_code"], self.table["level"])) if "level" in self.table else {}

    def __contains__(self, code: object) -> bool:
        return code in set(self.table["region_code"])

    def name(self, code: str) -> str | None:
        return self.names.get(code)

    @functools.cached_property
    def names(self) -> dict[str, str]:
        """Region code → official name."""
        return dict(zip(self.table["region_code"], self.table["region"]))

    def codes(self, name: object) -> tuple[str, ...]:
        """The codes a name (official, short or alias; 昌吉州合计 as 昌吉州) may mean."""
        key = normalise(name)
        found = self.by_name.get(key, ())
        if not found:
            for suffix in ("合计", "总计"):
                if key.endswith(suffix) and key != suffix:
                    found = self.by_name.get(key[: -len(suffix)], ())
        return found

    def parent(self, code: str) -> str | None:
        """The region one level up: from the directory, else from the code's own structure."""
        rows = self.table.loc[self.table["region_code"] == code, "parent_code"] if "parent_code" in self.table else []
        if len(rows) and isinstance(rows.iloc[0], str):
            return rows.iloc[0]
        return parent_from_code(code)

    def region_in(self, lines: list[str]) -> str | None:
        """The region a one-region table's title names (木垒县2024年1-6月财政收支情况表): the longest name
        of the directory in the title lines, if it means one region and no other name as long is there."""
        text = normalise("".join(lines))
        found = [(len(name), codes[0]) for name, codes in self.by_name.items()
                 if len(codes) == 1 and len(name) >= 2 and name in text]
        if not found:
            return None
        longest = max(length for length, _ in found)
        codes = {code for length, code in found if length == longest}
        return codes.pop() if len(codes) == 1 else None

    def named_in(self, lines: list[str]) -> str | None:
        """The one prefecture or province a table's title lines name (昌吉州2024年各县市…), else None."""
        text = normalise("".join(lines))
        areas = self.table[self.table.get("level", pd.Series(dtype=object)).isin(["prefecture", "province"])]
        found = set()
        for code, name, level in zip(areas["region_code"], areas["region"], areas["level"]):
            spellings = {normalise(name), *short_names(normalise(name), level)}
            spellings = {s for s in spellings if len(s) >= 2 and self.by_name.get(s) == (code,)}
            if any(s in text for s in spellings):
                found.add(code)
        prefectures = {c for c in found if self.table.loc[self.table["region_code"] == c, "level"].iloc[0] == "prefecture"}
        found = prefectures or found
        return found.pop() if len(found) == 1 else None

    def close_to(self, name: str, limit: int = 3) -> list[str]:
        """Official names that look like a mistyped ``name``, each with its code."""
        candidates = difflib.get_close_matches(normalise(name), list(self.by_name), n=limit * 3, cutoff=0.6)
        shown = []
        for candidate in candidates:
            for code in self.by_name[candidate]:
                label = f"{self.name(code)} ({code})"
                if label not in shown:
                    shown.append(label)
        return shown[:limit]


#: How the code of an area's own level (州本级, 本级) is made from the area's code: 652300 → 652300-bj.
OWN_LEVEL_SUFFIX = "-bj"


def parent_from_code(code: str) -> str | None:
    """The parent a GB/T 2260 code implies: 652328 → 652300, 652300 → 650000, 652300-bj → 652300.

    >>> parent_from_code("652328"), parent_from_code("652300"), parent_from_code("652300-bj"), parent_from_code("650000")
    ('652300', '650000', '652300', None)
    """
    base, _, suffix = str(code).partition("-")
    if not re.fullmatch(r"\d{6}", base):
        return None
    if suffix:
        return base
    if base[4:] != "00":
        return base[:4] + "00"
    if base[2:4] != "00":
        return base[:2] + "0000"
    return None


def resolve(table: pd.DataFrame, directory: Directory, out: Collector, *, prefecture: str | None = None,
            title_lines: list[str] | None = None) -> pd.DataFrame:
    """Region codes and official names for a freshly read table (``region_code``, ``region``, ``_row``).

    - A row with a name and no code gets the code its name has in the directory; a 合计/全州 row the
      code of the area the table covers (``prefecture=``, else the area its title names, else the
      one prefecture all its counties belong to); a 州本级/本级 row that area's own level (``-bj``).
    - A code the directory does not know, beside a name it knows, takes the name's code (noted).
    - A code and a name the directory gives to two different regions is an error.
    - A name that matches nothing, while other names of the table do, is an error with the nearest
      names; a table none of whose names the directory knows keeps its names as ids (noted).
    - 小计 rows (part of the area) are not regions: left out, with a note naming them.
    - ``parent_code`` (where the table has the column) is filled from the directory or the code.
    """
    table = table.copy()
    title_lines = title_lines or []
    names = table["region"]
    codes = table["region_code"]
    keys = names.map(normalise)
    subtotal = keys.isin(SUBTOTAL_NAMES) & codes.isna()
    if subtotal.any():
        rows = table.loc[subtotal, "_row"].tolist()
        out.warn(rows[0], "region", names[subtotal].iloc[0], "a region",
                 f"{len(rows)} subtotal row(s) (小计, 县市合计) left out: rows {', '.join(map(str, rows[:8]))}. "
                 "The area's total (合计) and its regions are read.", kind="regions")
        table = table[~subtotal]
        names, codes, keys = table["region"], table["region_code"], keys[~subtotal]

    total = keys.isin(TOTAL_NAMES) & codes.isna()
    own = keys.isin(OWN_NAMES) & codes.isna()
    plain = codes.isna() & names.notna() & ~total & ~own
    matches = {key: directory.codes(name) for key, name in zip(keys[plain], names[plain])}
    known_any = any(len(found) == 1 for found in matches.values()) or codes.isin(set(directory.table["region_code"])).any()

    if plain.any() and not known_any:
        out.warn(None, "region", names[plain].iloc[0], "region codes (GB/T 2260), or names the regions table knows",
                 "None of the names is in the regions table: the names are used as region ids. Add a code column, "
                 "or give a regions table that lists them (region_table=, --regions-file).", kind="regions")
        table.loc[plain, "region_code"] = names[plain]
    elif plain.any():
        _codes_for_names(table, plain, keys, matches, directory, out)
    _codes_beside_names(table, directory, out)
    if total.any() or own.any():
        _area_rows(table, total, own, directory, out, prefecture=prefecture, title_lines=title_lines)
    known = table["region_code"].isin(set(directory.table["region_code"]))
    _other_names_of_known_codes(table, known, directory, out)
    table.loc[known, "region"] = table.loc[known, "region_code"].map(directory.name)
    if "parent_code" in table:
        missing = table["parent_code"].isna() & table["region_code"].notna()
        table.loc[missing, "parent_code"] = table.loc[missing, "region_code"].map(directory.parent)
    return table


def _first_rows(table: pd.DataFrame, mask: pd.Series, by: pd.Series) -> dict:
    """For each distinct value of ``by`` under ``mask``: (its first row number, how many rows have it)."""
    rows = table.loc[mask, "_row"].groupby(by[mask], sort=False)
    return {value: (first, count) for value, first, count in zip(rows.first().index, rows.first(), rows.size())}


def _more(count: int) -> str:
    return f" (and {count - 1} more row(s) with it)" if count > 1 else ""


def _codes_for_names(table, plain, keys, matches, directory: Directory, out: Collector) -> None:
    """Codes for rows that give a name only; each name not matched once is an error at its first row."""
    found = keys[plain].map(lambda key: matches[key][0] if len(matches[key]) == 1 else None)
    table.loc[plain, "region_code"] = found
    matched = [f"{table.at[i, 'region']} → {code} {directory.name(code)}" for i, code in
               found.dropna().drop_duplicates().items() if normalise(directory.name(code)) != keys[i]]
    for key, (row, count) in _first_rows(table, plain & found.reindex(table.index).isna(), keys).items():
        written = table.loc[plain & (keys == key), "region"].iloc[0]
        if matches[key]:
            out.error(row, "region", written, "a name that means one region",
                      f"'{written}' may be any of {', '.join(f'{directory.name(c)} ({c})' for c in matches[key])}: "
                      f"write the full name or add a code column{_more(count)}.")
        else:
            near = directory.close_to(written)
            hint = f" Did you mean {' or '.join(near)}?" if near else ""
            out.error(row, "region", written, "a region name the regions table knows",
                      f"'{written}' is not in the regions table{_more(count)}.{hint} Correct the name, add a code "
                      "column, or add the region to a regions table of your own (region_table=, --regions-file).")
    if matched:
        out.warn(None, "region", None, "official region names",
                 f"{len(matched)} short name(s) matched to GB/T 2260 codes through the regions table: "
                 f"{'; '.join(matched[:6])}{' …' if len(matched) > 6 else ''}.", kind="regions")


def _codes_beside_names(table: pd.DataFrame, directory: Directory, out: Collector) -> None:
    """Rows with both a code and a name: a code the directory lacks takes the name's code; a code and a
    name of two different regions is an error."""
    both = table["region_code"].notna() & table["region"].notna()
    pairs = table.loc[both, ["region_code", "region"]].drop_duplicates()
    known_codes = set(directory.table["region_code"])
    fixed = []
    for code, name in pairs.itertuples(index=False):
        found = directory.codes(name)
        if len(found) != 1 or found[0] == code:
            continue
        these = both & (table["region_code"] == code) & (table["region"] == name)
        first, count = table.loc[these, "_row"].iloc[0], int(these.sum())
        if code not in known_codes:
            table.loc[these, "region_code"] = found[0]
            fixed.append((first, f"{code} {name} → {found[0]}"))
        elif normalise(name) not in TOTAL_NAMES | OWN_NAMES:
            out.error(first, "region_code", code,
                      f"the code of {name} ({found[0]}), or the name of {code} ({directory.name(code)})",
                      f"The code and the name are two different regions{_more(count)}: correct one of them.")
    if fixed:
        out.warn(fixed[0][0], "region_code", fixed[0][1], "codes the regions table knows",
                 f"{len(fixed)} code(s) not in the regions table replaced by the code of the name beside them: "
                 f"{'; '.join(f for _, f in fixed[:6])}. Correct the codes in the file if this is wrong.", kind="regions")


def _other_names_of_known_codes(table: pd.DataFrame, known: pd.Series, directory: Directory, out: Collector) -> None:
    """A known code written with a name the directory does not give it: the official name is shown (said)."""
    pairs = table.loc[known & table["region"].notna(), ["region_code", "region"]].drop_duplicates()
    other = [(c, n) for c, n in pairs.itertuples(index=False)
             if c not in directory.codes(n) and normalise(n) not in TOTAL_NAMES | OWN_NAMES]
    if other:
        shown = "; ".join(f"{c} '{n}' → {directory.name(c)}" for c, n in other[:6])
        out.warn(None, "region", other[0][1], "the regions table's name for each code",
                 f"{len(other)} name(s) differ from the regions table's name for their code and are shown by the "
                 f"official name: {shown}{' …' if len(other) > 6 else ''}. Check the codes if a name is right.",
                 kind="regions")


def _area_rows(table, total, own, directory: Directory, out: Collector, *, prefecture, title_lines) -> None:
    """Codes for the 合计 (the area) and 本级 (its own level) rows."""
    area, basis = prefecture, "prefecture="
    named = directory.named_in(title_lines)
    if area is None and named is not None:
        area, basis = named, f"the title ('{next((l for l in title_lines if l), '')[:30]}')"
    if area is None:
        parents = {parent_from_code(c) for c in table.loc[~total & ~own, "region_code"].dropna()}
        parents.discard(None)
        if len(parents) == 1:
            area, basis = parents.pop(), "the codes of its counties"
    elif prefecture is not None and named is not None and named != prefecture:
        out.warn(None, "region", named, f"the area prefecture= gives ({prefecture})",
                 f"The title names {directory.name(named)} ({named}); the 合计/本级 rows were read as {prefecture}, "
                 "as prefecture= says.", kind="regions")
    if area is None:
        for index in table.index[total | own]:
            out.error(table.at[index, "_row"], "region", table.at[index, "region"], "the area this row totals",
                      "Say which prefecture the table covers: prefecture='652300' (command line: --prefecture 652300), "
                      "or put its name in the title line.")
        return
    table.loc[total, "region_code"] = area
    table.loc[own, "region_code"] = f"{area}{OWN_LEVEL_SUFFIX}"
    own_name = directory.name(f"{area}{OWN_LEVEL_SUFFIX}") or f"{directory.name(area) or area}本级"
    table.loc[own, "region"] = own_name
    said = ([f"{table.loc[total, '_row'].nunique()} 合计 row(s) as {area} {directory.name(area) or area}"]
            if total.any() else []) + \
        ([f"{table.loc[own, '_row'].nunique()} 本级 row(s) as {area}-bj {own_name}"] if own.any() else [])
    if basis != "prefecture=":  # (the analyst said it: nothing to note)
        out.warn(None, "region", None, "codes for the total and 本级 rows",
                 f"Read {' and '.join(said)}, the area taken from {basis}. Pass prefecture= (--prefecture) if that "
                 "is wrong.", kind="regions")
