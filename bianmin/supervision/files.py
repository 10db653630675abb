"""Photos of findings and of rectifications: kept like case materials, outside the web root.

They go through ``cases.files`` (named by their SHA-256, written once and read-only, under
``<var>/case-files/``, which no URL serves; read back only after the checksum is checked). The
pages hand a photo out through a view that checks permission. Here only the narrower rule for
photos: JPEG or PNG, at most 10 MB.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bianmin.cases import files as case_files

MAX_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png")


def store(content: bytes) -> tuple[str, str, str]:
    """Write a photo once; returns (relative path, sha256, content type)."""
    if not content:
        raise ValidationError({"photo": [_("Photo: the file is empty.")]})
    if len(content) > MAX_BYTES:
        raise ValidationError({"photo": [_("Photo: larger than 10 MB.")]})
    if case_files.sniff(content) not in PHOTO_TYPES:
        raise ValidationError({"photo": [_("Photo: only JPEG and PNG pictures are accepted.")]})
    return case_files.store(content)


def read(relative: str, sha256: str) -> bytes:
    return case_files.read(relative, sha256)


def attach(obj, content: bytes | None) -> None:
    """Store ``content`` (if any) as ``obj``'s photo (an answer or a task)."""
    if content:
        obj.photo_path, obj.photo_sha256, obj.photo_type = store(content)
