"""The ``bianmin`` console command: Django's manage.py plus ``serve`` and ``demo``.

bianmin serve [--host 127.0.0.1] [--port 8000] [--workers N]
bianmin demo  [--host 127.0.0.1] [--port 8000] [--no-serve]
bianmin <any manage.py command>      e.g. bianmin migrate, bianmin load_divisions
"""

from __future__ import annotations

import argparse
import os
import sys


def _setup(*, server: bool = False) -> None:
    """Compile the Chinese catalogues, then start Django.

    A served site runs without DEBUG unless BIANMIN_DEBUG says otherwise, so that visitors get
    the Chinese error pages rather than Django's debug pages.
    """
    from bianmin.common.i18n import compile_catalogues

    for line in compile_catalogues():
        print(line, flush=True)
    if server:
        os.environ.setdefault("BIANMIN_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianmin.settings")
    import django

    django.setup()


def default_workers() -> int:
    """One process on SQLite (one writer; the display boards' push stays in-process).

    On PostgreSQL, one per core plus one, at most 8: Django's ORM work runs in each process's
    thread pool, so more processes than cores only add memory.
    """
    from django.conf import settings

    explicit = os.environ.get("BIANMIN_WORKERS")
    if explicit:
        return max(1, int(explicit))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return 1
    return min((os.cpu_count() or 1) + 1, 8)


def _serve_args(argv: list[str], prog: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--host", default=os.environ.get("BIANMIN_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BIANMIN_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--no-serve",
        action="store_true",
        help=argparse.SUPPRESS if prog.endswith("serve") else "load only",
    )
    return parser.parse_args(argv)


def serve(argv: list[str]) -> None:
    args = _serve_args(argv, "bianmin serve")
    _setup(server=True)
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    import uvicorn

    workers = args.workers or default_workers()
    if workers == 1 and not os.environ.get("BIANMIN_NO_SCHEDULER"):
        # Embedded default: deadline warnings, pledge reminders and deemed acceptance run in
        # this process. With several workers, run `bianmin worker` as its own process.
        from bianmin.cases.scheduler import start_in_process

        start_in_process()
    print(
        f"bianmin: serving on http://{args.host}:{args.port}/ with {workers} worker(s)", flush=True
    )
    uvicorn.run(
        "bianmin.asgi:application",
        host=args.host,
        port=args.port,
        workers=workers,
        proxy_headers=True,
        lifespan="off",
        log_level=os.environ.get("BIANMIN_LOG_LEVEL", "info").lower(),
    )


def demo(argv: list[str]) -> None:
    args = _serve_args(argv, "bianmin demo")
    _setup(server=True)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    call_command("load_demo")
    print(
        f"\nbianmin demo: open http://{args.host}:{args.port}/ and log in with an account above.\n",
        flush=True,
    )
    if not args.no_serve:
        serve(
            [f"--host={args.host}", f"--port={args.port}"]
            + ([f"--workers={args.workers}"] if args.workers else [])
        )


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "serve":
        serve(argv[1:])
    elif argv and argv[0] == "demo":
        demo(argv[1:])
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianmin.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["bianmin", *argv])


if __name__ == "__main__":
    main()
