"""Erlang C (M/M/c) against textbook values, and what must hold whatever the figures: another
window never makes people wait longer."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bianmin.staffing import erlang

# Pure functions; the mark only lets the suite's session set-up (divisions) run when this file
# runs alone.
pytestmark = pytest.mark.django_db


def erlang_c_by_the_book(c: int, a: float) -> float:
    """The closed formula with factorials, as textbooks print it."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


@pytest.mark.parametrize(
    "c, a, expected",
    [
        (1, 0.5, 0.5),  # one window: the chance to wait is the utilisation ρ
        (1, 0.8, 0.8),
        (2, 1.0, 1 / 3),
        (3, 2.0, 4 / 9),
        (2, 1.5, 0.6428571428571429),  # 9/14
    ],
)
def test_erlang_c_gives_the_textbook_values(c, a, expected):
    assert erlang.erlang_c(c, a) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("c, a", [(11, 10.0), (15, 12.5), (30, 25.0), (5, 0.3)])
def test_erlang_c_agrees_with_the_factorial_formula(c, a):
    assert erlang.erlang_c(c, a) == pytest.approx(erlang_c_by_the_book(c, a), rel=1e-9)


def test_a_call_centre_of_ten_erlangs():
    # 10 Erlangs on 11 agents: about two callers in three wait (the classic worked example).
    assert erlang.erlang_c(11, 10.0) == pytest.approx(0.6821, abs=1e-4)


def test_one_window_waits_as_m_m_1_says():
    # 6 people an hour, 6 minutes each (μ = 10 an hour): ρ = 0.6, mean wait ρ/(μ−λ) = 9 minutes,
    # P(W > t) = ρ·e^(−(μ−λ)t).
    assert erlang.mean_wait(1, 6, 6) == pytest.approx(9.0)
    assert erlang.share_within(1, 6, 6, 15) == pytest.approx(1 - 0.6 * math.exp(-1.0))


def test_too_few_windows_make_the_line_grow_without_end():
    assert erlang.erlang_c(2, 2.0) == 1.0
    assert erlang.mean_wait(1, 12, 6) == math.inf
    assert erlang.share_within(1, 12, 6, 15) == 0.0


def test_nobody_coming_needs_no_window():
    assert erlang.windows_needed(0, 6, minutes=15, share=0.8) == 0
    assert erlang.mean_wait(1, 0, 6) == 0.0


def test_the_windows_needed_meet_the_target_and_one_fewer_does_not():
    rate, service = 14.0, 6.0
    c = erlang.windows_needed(rate, service, minutes=15, share=0.8)
    assert c == 2
    assert erlang.share_within(c, rate, service, 15) >= 0.8
    assert erlang.share_within(c - 1, rate, service, 15) < 0.8


def test_bad_figures_are_refused():
    with pytest.raises(ValueError):
        erlang.erlang_c(2, -1)
    with pytest.raises(ValueError):
        erlang.share_within(2, 5, 0, 15)


rates = st.floats(min_value=0.1, max_value=120, allow_nan=False)
services = st.floats(min_value=0.5, max_value=30, allow_nan=False)


@given(rate=rates, service=services, extra=st.integers(min_value=0, max_value=5))
def test_another_window_never_makes_people_wait_longer(rate, service, extra):
    a = rate * service / 60
    c = math.floor(a) + 1 + extra
    assert erlang.mean_wait(c + 1, rate, service) <= erlang.mean_wait(c, rate, service) + 1e-9
    assert (
        erlang.share_within(c + 1, rate, service, 15)
        >= erlang.share_within(c, rate, service, 15) - 1e-9
    )
    assert erlang.erlang_c(c + 1, a) <= erlang.erlang_c(c, a) + 1e-12


@given(rate=rates, more=st.floats(min_value=0, max_value=30), service=services)
def test_more_people_never_need_fewer_windows(rate, more, service):
    fewer = erlang.windows_needed(rate, service, minutes=15, share=0.8)
    assert erlang.windows_needed(rate + more, service, minutes=15, share=0.8) >= fewer


@given(rate=rates, service=services)
def test_the_windows_needed_always_carry_the_load(rate, service):
    c = erlang.windows_needed(rate, service, minutes=15, share=0.8)
    assert c > rate * service / 60
    assert 0 <= erlang.erlang_c(c, rate * service / 60) < 1
