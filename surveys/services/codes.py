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

from portal import audit, ratelimit

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


# One limit for every page that checks a code (the answer page, the paper
# answer page, a meeting's invitation page): ten wrong codes per client in
# 15 minutes, and any one code checked at most ten times in 15 minutes from
# anywhere. With 32¹² codes a guesser gets nowhere at this pace; a resident
# mistyping a few times does.
LIMIT = ratelimit.Limit("surveys.access-code", per_client=10, per_secret=10, window=15 * 60)


def _limited(by, which):
    """One audit row when a limit is used up (not one per refused attempt).
    It names no invitation: the row would tie an address to a letter."""
    audit.record(
        by=by or audit.Actor.for_system("surveys.access_codes"),
        action="surveys.access_code.limited",
        target=Invitation,
        data={"limit": which},
    )


def find_invitation(typed, *, by=None):
    """The invitation of a typed code, or None. Every page that checks a
    code comes here: a wrong code counts against the client (`by`'s account,
    else its address), a right one against the code; past either limit
    `ratelimit.TooManyAttempts` is raised before the code is looked up."""
    client = ratelimit.client_of(by)
    code = normalise(typed)
    well_formed = len(code) == LENGTH and all(ch in ALPHABET for ch in code)
    digest = code_digest(code) if well_formed else None
    if ratelimit.exceeded(LIMIT, client=client, secret=digest):
        raise ratelimit.TooManyAttempts(LIMIT)
    invitation = None
    if well_formed:
        invitation = Invitation.objects.select_related("draw").filter(code_digest=digest).first()
    if invitation is None:
        if ratelimit.failed(LIMIT, client=client):
            _limited(by, "client")
        return None
    if ratelimit.checked(LIMIT, secret=digest):
        _limited(by, "code")
    return invitation


def refused(invitation, *, by=None):
    """A right code that the page cannot take (a letter of another area on
    a meeting's page) counts as a wrong attempt for the client (the code's
    own count already has the check)."""
    if ratelimit.failed(LIMIT, client=ratelimit.client_of(by)):
        _limited(by, "client")
