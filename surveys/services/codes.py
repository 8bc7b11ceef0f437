"""Access codes for invitations.

12 characters of Crockford's base32 (no I, L, O, U: nothing to mistake for
1 or 0) from `secrets`: 60 bits, typed as XXXX-XXXX-XXXX. The database keeps
a keyed hash to find a code and an encrypted copy to print the letter again;
neither lets a database reader answer in a resident's name without the
server's secret key.
"""

import base64
import functools
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from ..models import Invitation, code_digest

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
# What people type for the characters left out of the alphabet.
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def generate():
    """60 random bits from `secrets`, five bits a character (32 symbols: no bias)."""
    bits = secrets.randbits(5 * LENGTH)
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(LENGTH))


def new_code(seen):
    """A fresh code and its digest, unique among `seen` (the database's unique
    index catches the 2⁻⁶⁰ chance of meeting an older one)."""
    while True:
        code = generate()
        digest = code_digest(code)
        if digest in seen:
            continue
        seen.add(digest)
        return code, digest


def display(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(typed):
    """What a resident typed (spaces, hyphens, lower case, full width) → a code."""
    import unicodedata

    text = unicodedata.normalize("NFKC", typed or "").upper()
    text = "".join(ch for ch in text if ch.isalnum()).translate(_TYPED)
    return text


@functools.lru_cache(maxsize=4)
def _fernet_for(secret_key):
    key = hashlib.sha256(("surveys.letters:" + secret_key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _fernet():
    # Keyed by the secret so a changed SECRET_KEY (tests, rotation) takes effect.
    return _fernet_for(settings.SECRET_KEY)


def encrypt(code):
    return _fernet().encrypt(code.encode()).decode()


def encrypter():
    """`encrypt` for many codes in a row: the key is derived once."""
    fernet = _fernet()
    return lambda code: fernet.encrypt(code.encode()).decode()


def decrypt(token):
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def find_invitation(typed):
    """The invitation of a typed code, or None."""
    code = normalise(typed)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return Invitation.objects.select_related("draw").filter(code_digest=code_digest(code)).first()
