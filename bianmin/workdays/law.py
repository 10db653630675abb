"""The statutory holidays fixed by law, for years the published calendar does not cover yet.

《全国年节及纪念日放假办法》 as revised by the State Council on 2024-11-10 (in force 2025-01-01),
article 2: 元旦 1 day (1 January); 春节 4 days (除夕 and 正月初一 to 初三); 清明节 1 day (the day of
the 清明 solar term); 劳动节 2 days (1–2 May); 端午节 1 day (五月初五); 中秋节 1 day (八月十五);
国庆节 3 days (1–3 October). The yearly schedule adds bridge days and make-up working days on top
of these; only the State Council's notice fixes those, so results that rely on this module alone
are flagged as provisional.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from lunar_python import Lunar, Solar


def _solar(lunar_year: int, month: int, day: int) -> dt.date:
    s = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return dt.date(s.getYear(), s.getMonth(), s.getDay())


def _qingming(year: int) -> dt.date:
    for day in range(3, 7):
        if Solar.fromYmd(year, 4, day).getLunar().getJieQi() == "清明":
            return dt.date(year, 4, day)
    raise ValueError(f"no 清明 found in April {year}")  # never happens for real years


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """Every statutory holiday of ``year`` by law alone, with its name."""
    spring = _solar(year, 1, 1)  # 正月初一 of the lunar year that begins in this solar year
    days: dict[dt.date, str] = {dt.date(year, 1, 1): "元旦"}
    for offset in range(-1, 3):  # 除夕 to 初三
        days[spring + dt.timedelta(days=offset)] = "春节"
    days[_qingming(year)] = "清明节"
    days[dt.date(year, 5, 1)] = "劳动节"
    days[dt.date(year, 5, 2)] = "劳动节"
    days[_solar(year, 5, 5)] = "端午节"
    days[_solar(year, 8, 15)] = "中秋节"
    for d in (1, 2, 3):
        days[dt.date(year, 10, d)] = "国庆节"
    return days
