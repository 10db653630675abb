"""Compile the .po catalogues to .mo with polib: no GNU gettext needed on the machine.

Plain Python with no Django import, so that `bianmin serve` and `bianmin demo` can compile before
Django loads any catalogue (a catalogue loaded before its .mo exists stays empty in that process).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]  # the bianmin package


def compile_catalogues(root: Path = ROOT) -> Iterator[str]:
    """Compile every catalogue whose .mo is missing or older than its .po; yields a line each."""
    for po_path in sorted(root.rglob("locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(mo_path))
        yield f"compiled {po_path.relative_to(root.parent)} ({catalogue.percent_translated()}% translated)"
