"""Materials on file: stored outside the web root, named by their checksum, never altered.

Files live under ``<var>/case-files/`` (``settings.BIANMIN_CASE_FILES_DIR`` to move them), which
no URL serves: pages hand them out through a view that checks permission and the checksum.
A file's name on disk is its SHA-256, so the same bytes are stored once and a changed byte can
never hide under an old name; files are written read-only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
_MAGIC = {b"%PDF": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}


def root() -> Path:
    configured = getattr(settings, "BIANMIN_CASE_FILES_DIR", None)
    return Path(configured) if configured else settings.VAR_DIR / "case-files"


def sniff(content: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if content.startswith(magic):
            return kind
    return None


def store(content: bytes) -> tuple[str, str, str]:
    """Write ``content`` once; returns (relative path, sha256, content type)."""
    if not content:
        raise ValidationError({"file": [_("File: the file is empty.")]})
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": [_("File: larger than 20 MB.")]})
    kind = sniff(content)
    if kind is None:
        raise ValidationError({"file": [_("File: only PDF, JPEG and PNG files are accepted.")]})
    digest = hashlib.sha256(content).hexdigest()
    relative = f"{digest[:2]}/{digest}{ALLOWED_TYPES[kind]}"
    target = root() / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.chmod(tmp, 0o440)
        os.replace(tmp, target)
    return relative, digest, kind


def read(relative: str, sha256: str) -> bytes:
    """The file's bytes, after checking they still match the checksum on record."""
    content = (root() / relative).read_bytes()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ValidationError(_("File: the stored file no longer matches its checksum."))
    return content
