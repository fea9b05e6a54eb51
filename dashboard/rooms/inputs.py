"""What a student or a teacher may send the store: checked and normalised here, refused with a reason.

Text is kept as plain text (no control or invisible characters, whitespace collapsed to single
spaces) and refused, not cut, when too long: nothing is silently dropped. Pages still show it only
as text (dashboard.markup.safe); the store's part is that nothing odd is ever stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

from dashboard.rooms.errors import InvalidInput, RoomNotFound
from dashboard.rooms.tables import CODE_LENGTH

# No 0/O, 1/I/L: a code read off a projector at the back of a room cannot be mistyped as another.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_SESSION = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")  # the dataset's Id pattern (a path id, a seed)
_ALLOWED_FORMAT = {"\u200d"}  # zero-width joiner: part of many emoji
_BAD_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}  # controls, invisible formatting, private use, unassigned


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_teacher_key() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits


def new_session_id() -> str:
    """An anonymous id for one student's browser session (the app keeps it in session state)."""
    return secrets.token_urlsafe(18)


def hash_key(key: str) -> str:
    # The key is random, not a password: a plain SHA-256 is enough to make a stolen database useless.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(key: str | None, stored_hash: str) -> bool:
    if not key:
        return False
    return hmac.compare_digest(hash_key(key), stored_hash)


def room_code(text: str) -> str:
    """The code as typed ("abc 234", "ABC-234") in its stored form; RoomNotFound if it cannot be one."""
    code = re.sub(r"[\s-]", "", str(text)).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise RoomNotFound(f"There is no room with the code “{str(text)[:20]}”. Check the code on the projector.")
    return code


def session_id(value: str) -> str:
    if not isinstance(value, str) or not _SESSION.match(value):
        raise InvalidInput("This browser session has no valid id; reload the page.")
    return value


def ref(value: str, *, field: str) -> str:
    if not isinstance(value, str) or not _REF.match(value):
        raise InvalidInput(f"{field} must be 1 to 80 letters, digits, '.', '_' or '-', starting with a letter or digit")
    return value


def plain_text(value: object, *, field: str, max_chars: int) -> str:
    """``value`` as one line of plain text, or InvalidInput saying what is wrong with it."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text")
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if not text:
        raise InvalidInput(f"{field} is empty")
    odd = sorted({c for c in text if unicodedata.category(c) in _BAD_CATEGORIES and c not in _ALLOWED_FORMAT})
    if odd:
        names = ", ".join(f"U+{ord(c):04X}" for c in odd[:3])
        raise InvalidInput(f"{field} contains control or invisible characters ({names}); type it as plain text")
    if len(text) > max_chars:
        raise InvalidInput(f"{field} has {len(text)} characters; at most {max_chars} are allowed")
    return text
