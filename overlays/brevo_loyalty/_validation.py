"""Argument checks run before any request, so a bad call fails fast and names its parameter."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

E = TypeVar("E", bound=StrEnum)

_FORBIDDEN_IDS = frozenset({".", ".."})  # dot segments would be collapsed by URL normalisation
# Far above any real id or filter value, far below what makes a URL unusable.
MAX_ID_LENGTH = 512
MAX_TEXT_LENGTH = 4096


def _type_name(value: object) -> str:
    return type(value).__name__


def uuid_str(name: str, value: object) -> str:
    """A UUID given as ``uuid.UUID`` or string, in canonical lowercase form."""
    import uuid  # uuid imports `platform`: keep `import brevo_loyalty` cheap

    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a UUID or a str, not {_type_name(value)}")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"{name} must be a UUID, got {value!r}") from None


def identifier(name: str, value: object) -> str:
    """A free-form id that goes into a URL path (always percent-encoded by the generated code)."""
    import uuid

    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_type_name(value)}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    if value in _FORBIDDEN_IDS:
        raise ValueError(f"{name} must not be {value!r}")
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(f"{name} must be at most {MAX_ID_LENGTH} characters, got {len(value)}")
    return value


def text(
    name: str, value: object, *, max_length: int = MAX_TEXT_LENGTH, allow_empty: bool = False
) -> str:
    """A string argument, optionally bounded in length."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_type_name(value)}")
    if not allow_empty and not value:
        raise ValueError(f"{name} must not be empty")
    if len(value) > max_length:
        raise ValueError(f"{name} must be at most {max_length} characters, got {len(value)}")
    return value


def integer(
    name: str, value: object, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """An int argument (bool is rejected: ``True`` is not a contact id)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {_type_name(value)}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def number(name: str, value: object) -> float:
    """A finite float argument (ints are accepted)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, not {_type_name(value)}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)


def choice(name: str, value: object, enum: type[E]) -> E:
    """One of the values the spec lists for a request parameter (requests stay strict)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_type_name(value)}")
    if not enum.is_known(value):  # type: ignore[attr-defined]  # added by templates/str_enum
        allowed = ", ".join(repr(member.value) for member in enum)
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return enum(value)


def mapping(name: str, value: object) -> dict[str, Any]:
    """A JSON object argument such as ``meta``."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, not {_type_name(value)}")
    for key in value:
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be str, got {key!r}")
    return dict(value)


def timestamp(name: str, value: object) -> str:
    """A timestamp sent as a string field: a ``datetime`` (RFC 3339) or a string as-is."""
    if isinstance(value, datetime):
        return value.isoformat()
    return text(name, value)


def uuid_list(name: str, value: object) -> list[str]:
    """A non-empty sequence of UUIDs (a bare string is refused, it is not a list of ids)."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of UUIDs, not {_type_name(value)}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    return [uuid_str(f"{name}[{index}]", item) for index, item in enumerate(value)]


def one_of(names: Sequence[str], values: Sequence[object]) -> None:
    """Require at least one of several optional arguments."""
    if all(value is None for value in values):
        raise ValueError(f"give at least one of {', '.join(names)}")


def header_value(name: str, value: object) -> str:
    """A credential or header value: non-empty, printable ASCII, no CR/LF (no header injection).

    httpx sends header values as ASCII: anything else would fail later, inside the request, with
    a UnicodeEncodeError that names nothing and holds the whole value (a key, possibly).
    The value itself is never echoed in the message, for the same reason.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_type_name(value)}")
    if not value or value != value.strip():
        raise ValueError(f"{name} must be non-empty and have no surrounding whitespace")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise ValueError(f"{name} must not contain control characters (CR, LF, ...)")
    if not value.isascii():
        raise ValueError(f"{name} must be ASCII (HTTP header values are sent as ASCII)")
    return value


# RFC 9110 section 5.6.2: a header name is a token.
_TOKEN_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~"
)


def header_name(name: str, value: object) -> str:
    """A header name: a non-empty RFC 9110 token (no spaces, colons or control characters)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_type_name(value)}")
    if not value or not _TOKEN_CHARS.issuperset(value):
        raise ValueError(
            f"{name} must be a header name (letters, digits and !#$%&'*+-.^_`|~), got {value!r:.60}"
        )
    return value


def aware_datetime(name: str, value: datetime) -> datetime:
    """A timezone-aware ``datetime``: a naive one names no instant, so the server would guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (e.g. datetime.now(UTC)); a naive datetime is refused"
        )
    return value
