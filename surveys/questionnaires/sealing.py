"""Sealed answers: JSON encrypted with a key the database does not hold.

A half-finished answer (`Draft`, kept by invitation) and an answer waiting
for its batch (`HeldAnswer`) are stored sealed, so a database reader, a
backup or a dump sees neither: the key is derived from the server's
`SECRET_KEY` (and `SECRET_KEY_FALLBACKS`, so a rotated key still opens what
the old one sealed). Before encryption the text is padded to a fixed size
(doubling for an unusually long answer): the length of the sealed text
does not tell how much was written, so it cannot be matched with the free
text of an answer once it is in the answer tables.
"""

import base64
import functools
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PADDED_SIZE = 16 * 1024


class Unreadable(Exception):
    """Sealed with a key this server no longer has (or not sealed at all)."""


@functools.lru_cache(maxsize=4)
def _fernet_for(keys):
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(hashlib.sha256(("surveys.sealed:" + k).encode()).digest())
            )
            for k in keys
        ]
    )


def _fernet():
    # Keyed by the settings so a changed SECRET_KEY (tests, rotation) takes effect.
    return _fernet_for((settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS))


def padded_size(length):
    size = PADDED_SIZE
    while size < length:
        size *= 2
    return size


def seal(value):
    """`value` (JSON-able) as sealed text of a fixed length."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    raw += b" " * (padded_size(len(raw)) - len(raw))
    return _fernet().encrypt(raw).decode()


def unseal(text):
    """The value sealed in `text`; `Unreadable` when this server cannot open it."""
    try:
        return json.loads(_fernet().decrypt(text.encode()))
    except (InvalidToken, ValueError, TypeError) as error:
        raise Unreadable() from error
