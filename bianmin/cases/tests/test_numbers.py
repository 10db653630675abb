"""Case numbers: readable, per center and day, unique when clerks create cases at the same time."""

import threading

import pytest
from django.db import connection, connections

from bianmin.cases import services
from bianmin.cases.models import Case
from bianmin.cases.numbers import format_number

from .conftest import WANG, all_provided, at


def test_a_number_reads_as_township_day_and_sequence():
    import datetime as dt

    assert format_number("341502100000", dt.date(2026, 3, 3), 7) == "341502100-20260303-0007"


@pytest.mark.django_db
def test_numbers_restart_each_day_and_differ_per_center(open_wang):
    first = open_wang(now=at(2026, 3, 3))
    second = open_wang(now=at(2026, 3, 3, 11))
    next_day = open_wang(now=at(2026, 3, 4))
    assert [first.number, second.number, next_day.number] == [
        "341502100-20260303-0001",
        "341502100-20260303-0002",
        "341502100-20260304-0001",
    ]


def test_cases_created_in_parallel_get_unique_consecutive_numbers(
    file_database, clerk, muchang, old_age
):
    threads_n, per_thread = 8, 5
    lines = all_provided(old_age)
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)

    def work():
        try:
            start.wait()
            for _ in range(per_thread):
                services.open_case(
                    clerk,
                    center=muchang,
                    item=old_age,
                    applicant=WANG,
                    checklist=lines,
                    accept=True,
                    now=at(2026, 3, 3),
                )
        except BaseException as e:  # reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Case.objects.values_list("number", flat=True))
    expected = [f"341502100-20260303-{n:04d}" for n in range(1, threads_n * per_thread + 1)]
    assert numbers == expected, connection.vendor
