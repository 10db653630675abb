"""Personal data at rest: SM4 encryption and HMAC-SM3 lookup digests (GB/T 32907, GB/T 32905).

- ``seal(text)`` encrypts with SM4 in GCM mode under ``BIANMIN_DATA_KEY`` with a fresh 96-bit
  nonce; the stored form is ``sm4gcm1:`` + base64(nonce ‖ ciphertext ‖ tag). GCM authenticates, so a
  tampered value fails to open instead of decrypting to garbage.
- ``digest(text)`` is HMAC-SM3 under a separate ``BIANMIN_LOOKUP_KEY``: equal numbers give equal
  digests, so a person is found by number without decrypting anything, and the digest alone
  reveals nothing without the key.

Only ``bianmin.identity`` calls these; every other app goes through its services.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "sm4gcm1:"
NONCE_BYTES = 12
TAG_BYTES = 16


def _key(name: str, length: int | None = None) -> bytes:
    raw = getattr(settings, name, "")
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be hexadecimal") from None
    if not key or (length is not None and len(key) != length):
        raise ImproperlyConfigured(f"{name} must be {length * 2 if length else 'some'} hex digits")
    return key


def check_keys() -> None:
    """Refuse to start with missing or malformed keys (production has no defaults)."""
    _key("BIANMIN_DATA_KEY", 16)
    _key("BIANMIN_LOOKUP_KEY")


def seal(plaintext: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_key("BIANMIN_DATA_KEY", 16)), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def unseal(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an SM4-GCM sealed value")
    raw = base64.b64decode(token[len(PREFIX) :])
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(
        algorithms.SM4(_key("BIANMIN_DATA_KEY", 16)), modes.GCM(nonce, tag)
    ).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")


def digest(value: str) -> str:
    mac = hmac.HMAC(_key("BIANMIN_LOOKUP_KEY"), hashes.SM3())
    mac.update(value.encode("utf-8"))
    return mac.finalize().hex()
