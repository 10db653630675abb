"""Benchmark: is the catalogue search fast enough to run on every keystroke?

    .venv/bin/python scripts/bench_catalog_search.py [--rounds 20] [--scale 0]

Builds a fresh SQLite database in a temporary directory (or uses BIANMIN_DATABASE_URL), loads the
divisions and the demo catalogue (``bianmin/catalog/data/catalogue.json``, entered at all 140
centers), then types realistic queries one character at a time — every prefix of "ylbx",
"yanglao", "养老保险", "低保", "社保卡" … is one query, as the search box sends them — and times

- ``selector``: ``catalog.selectors.search_items`` (the database query and the ranking);
- ``page``: the HTMX fragment ``GET /catalog/search/?q=…`` through the whole Django stack;
- ``api``: ``GET /api/v1/catalog/search?q=…``.

``--scale N`` adds N more items (copies of the demo items under new codes and names) to see how
the search holds up with a county's full implementation list (some 1,000–2,000 items).
Prints median, p95 and max in milliseconds per layer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = [
    "ylbx",
    "yanglao",
    "养老保险",
    "城乡居民",
    "低保",
    "dibao",
    "社保卡",
    "sbk",
    "残疾",
    "cjr",
    "生育登记",
    "syd",
    "退役军人",
    "tyjr",
    "临时救助",
    "lsjz",
    "医保",
    "yibao",
    "高龄津贴",
    "gljt",
    "法律援助",
    "个体工商户",
    "gtgsh",
    "居住证",
]


def prefixes(word: str) -> list[str]:
    return [word[:i] for i in range(1, len(word) + 1)]


def summary(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="times each query is repeated")
    parser.add_argument("--scale", type=int, default=0, help="extra synthetic items to add")
    args = parser.parse_args()

    if not os.environ.get("BIANMIN_DATABASE_URL"):
        os.environ["BIANMIN_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-catalog-")
        os.environ["BIANMIN_SQLITE_PATH"] = str(
            Path(os.environ["BIANMIN_VAR_DIR"]) / "bench.sqlite3"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianmin.settings")
    os.environ.setdefault("BIANMIN_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bianmin.catalog.demo import load_catalogue_demo
    from bianmin.catalog.models import ServiceItem
    from bianmin.catalog.selectors import SearchFilters, search_items
    from bianmin.catalog.services import refresh_search_keys
    from bianmin.org.services import load_divisions

    settings.DEBUG = False
    call_command("migrate", interactive=False, verbosity=0)
    load_divisions()
    t0 = time.perf_counter()
    loaded = load_catalogue_demo()
    load_seconds = time.perf_counter() - t0
    if args.scale:
        base = list(ServiceItem.objects.select_related("domain"))
        extra = []
        for n in range(args.scale):
            src = base[n % len(base)]
            item = ServiceItem(
                basic_code=f"Z{n:011d}",
                name=f"{src.name}（{n // len(base) + 1}）",
                domain=src.domain,
                item_type=src.item_type,
                handling_level=src.handling_level,
                frequency=src.frequency,
                legal_basis=src.legal_basis,
                channel_online=src.channel_online,
            )
            refresh_search_keys(item, [])
            extra.append(item)
        ServiceItem.objects.bulk_create(extra, batch_size=1000)
    n_items = ServiceItem.objects.count()

    queries = [q for word in TARGETS for q in prefixes(word)]
    client = Client()
    layers = {
        "selector": lambda q: search_items(SearchFilters(q=q), limit=30),
        "page": lambda q: client.get("/catalog/search/", {"q": q}),
        "api": lambda q: client.get("/api/v1/catalog/search", {"q": q}),
    }
    for fn in layers.values():  # warm up templates, caches and the connection
        for q in queries[:5]:
            fn(q)
    results = {}
    for name, fn in layers.items():
        samples = []
        for _ in range(args.rounds):
            for q in queries:
                start = time.perf_counter()
                response = fn(q)
                samples.append(time.perf_counter() - start)
                if name != "selector":
                    assert response.status_code == 200, (q, response.status_code)
        results[name] = (len(samples), *summary(samples))

    found = [i.name for i in search_items(SearchFilters(q="ylbx"))]
    print(
        f"database: {connection.vendor}; items: {n_items} "
        f"({loaded.items} from catalogue.json, {args.scale} synthetic); "
        f"demo catalogue loaded in {load_seconds:.2f} s"
    )
    print(
        f"{len(queries)} distinct queries (every prefix of {len(TARGETS)} words) × {args.rounds} rounds"
    )
    print(f"{'layer':<10}{'queries':>9}{'median ms':>12}{'p95 ms':>10}{'max ms':>10}")
    for name, (count, median, p95, worst) in results.items():
        print(f"{name:<10}{count:>9}{median:>12.2f}{p95:>10.2f}{worst:>10.2f}")
    print(f"ylbx → {len(found)} items, first: {found[0] if found else '—'}")


if __name__ == "__main__":
    main()
