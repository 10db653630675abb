"""Case numbers: readable, unique, per center and day, safe when many clerks create at once.

``341502100-20260303-0007`` = the township's 9-digit division code, the day, and the day's
sequence at that center. One upsert on ``CaseNumberCounter`` takes the next number: PostgreSQL
locks the counter row until the case's transaction commits (SQLite serialises writers anyway),
so two transactions can never read the same value, and a rolled-back case gives its number back.
Call it as late as possible in the transaction: the row stays locked until the commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from bianmin.common import rows

from .models import CaseNumberCounter

_UPSERT = (
    "INSERT INTO {table} (center_id, day, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (center_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
)


def format_number(region_code: str, day: dt.date, n: int) -> str:
    return f"{region_code[:9]}-{day:%Y%m%d}-{n:04d}"


def next_case_number(center, day: dt.date) -> str:
    table = connection.ops.quote_name(CaseNumberCounter._meta.db_table)
    value = day if connection.vendor == "postgresql" else day.isoformat()
    with rows.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=table), [center.pk, value])
        n = cursor.fetchone()[0]
    return format_number(center.region.code, day, n)
