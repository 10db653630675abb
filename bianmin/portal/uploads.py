"""Uploads from citizens: checked by content, limited in size, images downscaled, scanned.

``clean_upload(uploaded)`` returns ``(name, content)`` ready for ``cases.files.store`` (which
writes outside the web root under the file's SHA-256) or raises a ``ValidationError`` keyed
``file`` with a Chinese message. Nothing is stored when a check fails, and the draft the file
was meant for stays as it was.

- **Name**: a name with a path in it (``../``, ``/``, ``\\``, a drive letter), control
  characters or a leading dot is refused; the name is only a label (files are stored by
  checksum), kept to 80 characters.
- **Type by content**: the first bytes must be those of a PDF, JPEG or PNG, whatever the name
  says. A PDF must end with ``%%EOF`` near its end (a truncated upload is refused).
- **Size**: ``BIANMIN_PORTAL_UPLOAD_MAX_BYTES`` (default 10 MB) before downscaling.
- **Images**: opened with Pillow (installed), turned upright from their EXIF orientation, and
  re-encoded at most ``BIANMIN_PORTAL_IMAGE_MAX_SIDE`` pixels (default 2000) on the long side —
  a 12-megapixel phone photo of 4 MB becomes ~0.4 MB; re-encoding also drops EXIF (GPS).
  An image Pillow cannot read, or a decompression bomb, is refused.
- **Scanner hook**: ``BIANMIN_UPLOAD_SCANNER`` — a dotted path to ``fn(name, content)`` that
  raises ``ValidationError`` to refuse a file (an antivirus gateway). Default: none.
"""

from __future__ import annotations

import io
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from bianmin.cases import files

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_SIDE = 2000
_BAD_NAME = re.compile(r"(^|[\\/])\.\.([\\/]|$)|[\\/]|^[A-Za-z]:|^\.|[\x00-\x1f\x7f]")


def max_bytes() -> int:
    return int(getattr(settings, "BIANMIN_PORTAL_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _error(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def clean_name(name: str) -> str:
    """The label kept for a file; a name that tries to reach a path is refused."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        return "file"
    if _BAD_NAME.search(name):
        raise _error(
            _(
                "File: the file name “%(name)s” contains a path or hidden-file characters; "
                "rename the file (for example 身份证.jpg) and upload it again."
            )
            % {"name": name[:60]}
        )
    return name[-80:]


def _downscale(content: bytes, kind: str) -> bytes:
    from PIL import Image, ImageOps

    side = int(getattr(settings, "BIANMIN_PORTAL_IMAGE_MAX_SIDE", DEFAULT_MAX_SIDE))
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if kind == "image/jpeg" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            if max(image.size) > side:
                image.thumbnail((side, side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            if kind == "image/jpeg":
                image.save(out, "JPEG", quality=85, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise _error(_("File: the image cannot be read; take the photo again.")) from None
    return out.getvalue()


def _scan(name: str, content: bytes) -> None:
    path = getattr(settings, "BIANMIN_UPLOAD_SCANNER", "")
    if path:
        import_string(path)(name, content)


def clean_content(name: str, content: bytes) -> tuple[str, bytes, str]:
    """Check a file's name, size and content; returns (label, bytes to store, content type)."""
    label = clean_name(name)
    if not content:
        raise _error(_("File: the file is empty."))
    limit = max_bytes()
    if len(content) > limit:
        raise _error(
            _("File: “%(name)s” is %(size)s; at most %(limit)s are accepted.")
            % {"name": label, "size": _mb(len(content)), "limit": _mb(limit)}
        )
    kind = files.sniff(content)
    if kind is None:
        raise _error(
            _(
                "File: “%(name)s” is not a PDF, JPEG or PNG file (checked by its content, not "
                "its name). Photograph the material or save it as PDF."
            )
            % {"name": label}
        )
    if kind == "application/pdf" and b"%%EOF" not in content[-2048:]:
        raise _error(_("File: “%(name)s” is an incomplete PDF.") % {"name": label})
    if kind in ("image/jpeg", "image/png"):
        content = _downscale(content, kind)
    _scan(label, content)
    return label, content, kind


def clean_upload(uploaded) -> tuple[str, bytes, str]:
    """A Django ``UploadedFile`` → checked (label, content, type). Reads at most the limit + 1."""
    if uploaded is None:
        raise _error(_("File: choose a file to upload."))
    content = uploaded.read(max_bytes() + 1)
    return clean_content(uploaded.name, content)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"
