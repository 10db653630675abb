"""Erlang C (the M/M/c queue): how long people wait for ``c`` windows.

Pure functions, no Django. People arrive at random (Poisson) at ``rate`` per hour, each window
serves one person at a time for an exponentially distributed time of mean ``service_minutes``;
one line feeds all ``c`` windows of the queue, first come first served.

With the offered load ``a = rate × service time`` (in Erlangs: the windows' worth of work that
arrives) and ``c > a``:

- the probability that an arrival waits at all is Erlang's C formula ``C(c, a)``, computed here
  through the stable Erlang B recursion ``B(0) = 1``, ``B(k) = a·B(k−1) / (k + a·B(k−1))``,
  ``C = c·B / (c − a·(1 − B))``;
- the probability of waiting longer than ``t``: ``P(W > t) = C · exp(−(c·μ − λ)·t)``;
- the mean wait: ``C / (c·μ − λ)``.

With ``c ≤ a`` the line grows without end: no waiting target holds.
"""

from __future__ import annotations

import math

MAX_WINDOWS = 40


def erlang_b(c: int, a: float) -> float:
    """Erlang's B formula: the share of arrivals that find all ``c`` servers busy (no queue)."""
    if c < 0 or a < 0:
        raise ValueError("c and a must not be negative")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Erlang's C formula: the probability that an arrival waits (1.0 if ``c ≤ a``)."""
    if a < 0:
        raise ValueError("a must not be negative")
    if a == 0:
        return 0.0
    if c <= a:
        return 1.0
    b = erlang_b(c, a)
    return c * b / (c - a * (1 - b))


def _load(rate: float, service_minutes: float) -> float:
    if rate < 0 or service_minutes <= 0:
        raise ValueError("rate must not be negative and service time must be positive")
    return rate * service_minutes / 60


def share_within(c: int, rate: float, service_minutes: float, minutes: float) -> float:
    """The share (0–1) of people called within ``minutes`` by ``c`` windows (0.0 if ``c ≤ a``)."""
    a = _load(rate, service_minutes)
    if a == 0:
        return 1.0
    if c <= a:
        return 0.0
    mu = 1 / service_minutes  # people per minute and window
    lam = rate / 60
    return 1 - erlang_c(c, a) * math.exp(-(c * mu - lam) * minutes)


def mean_wait(c: int, rate: float, service_minutes: float) -> float:
    """The mean wait in minutes with ``c`` windows (``math.inf`` if ``c ≤ a``)."""
    a = _load(rate, service_minutes)
    if a == 0:
        return 0.0
    if c <= a:
        return math.inf
    return erlang_c(c, a) / (c / service_minutes - rate / 60)


def windows_needed(rate: float, service_minutes: float, *, minutes: float, share: float) -> int:
    """The fewest windows with which ``share`` (0–1) of people are called within ``minutes``
    (0 when nobody comes; at most ``MAX_WINDOWS``)."""
    a = _load(rate, service_minutes)
    if a == 0:
        return 0
    c = max(1, math.floor(a) + 1)
    while c < MAX_WINDOWS and share_within(c, rate, service_minutes, minutes) < share:
        c += 1
    return c
