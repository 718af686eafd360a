"""Argument checks run before any request, so a bad call fails fast and names its parameter."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
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


# The form `str(uuid.UUID(...))` gives: a string already in it is returned as it is (a regex
# match costs a tenth of building a UUID object and printing it again, on every call).
_is_canonical_uuid = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
).fullmatch


def uuid_str(name: str, value: object) -> str:
    """A UUID given as ``uuid.UUID`` or string, in canonical lowercase form."""
    if type(value) is str and _is_canonical_uuid(value):
        return value
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


INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def integer(
    name: str, value: object, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """An int argument (bool is rejected: ``True`` is not a contact id).

    Every integer the API takes is an int64: a value outside that range is refused whatever the
    bounds given (a server would wrap it, truncate it or fail with a 500).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {_type_name(value)}")
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError(
            f"{name} must fit in a 64-bit integer ({INT64_MIN} to {INT64_MAX}), got {value}"
        )
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
    """A JSON object argument such as ``meta``: str keys, and JSON values all the way down."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, not {_type_name(value)}")
    for key in value:
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be str, got {key!r}")
    json_value(name, value)
    return dict(value)


# Far deeper than any real metadata, far shallower than the recursion limit of an encoder or of
# the server's decoder.
MAX_JSON_DEPTH = 64


def json_value(name: str, value: object, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Check that ``value`` is plain JSON: what ``json.dumps`` would send and a server can read.

    Refused, naming the argument and the path inside it: NaN and infinities (not JSON), values
    of other types (``datetime``, ``set``, ``bytes``, ``Decimal``...), non-str keys, a container
    that contains itself, and nesting deeper than ``max_depth``. The walk is iterative: a
    5,000-deep value is refused by name, not with a ``RecursionError``.
    """
    if not _is_container(name, value):
        return
    # Depth-first, one iterator per open container; `open_ids` holds the current ancestors only,
    # so a value shared by two branches is fine and only a real cycle is refused.
    stack = [(_children(name, value), id(value))]
    open_ids = {id(value)}
    while stack:
        children, own_id = stack[-1]
        for path, child in children:
            if not _is_container(path, child):
                continue
            if id(child) in open_ids:
                raise ValueError(f"{path} contains itself (a cycle cannot be sent as JSON)")
            if len(stack) >= max_depth:
                raise ValueError(f"{name} must be nested at most {max_depth} levels deep")
            open_ids.add(id(child))
            stack.append((_children(path, child), id(child)))
            break
        else:
            stack.pop()
            open_ids.discard(own_id)


def _is_container(path: str, item: object) -> bool:
    """Whether ``item`` is a JSON array or object; raises if it is not JSON at all."""
    if item is None or isinstance(item, str | bool | int):
        return False
    if isinstance(item, float):
        if not math.isfinite(item):
            raise ValueError(f"{path} must be JSON: {item!r} is not a JSON number")
        return False
    if isinstance(item, Mapping | list | tuple):
        return True
    raise TypeError(
        f"{path} must be JSON (str, number, bool, None, list or mapping), not {_type_name(item)}"
    )


def _children(path: str, item: Any) -> Iterator[tuple[str, object]]:
    if isinstance(item, Mapping):
        for key, child in item.items():
            if not isinstance(key, str):
                raise TypeError(f"{path} keys must be str, got {key!r:.60}")
            yield f"{path}[{key!r}]", child
    else:
        for index, child in enumerate(item):
            yield f"{path}[{index}]", child


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


# Headers that frame the message or address the connection: set by httpx from the request itself.
# Letting a caller override them would desynchronise the body from its declared length, or the
# request from its connection (the request-smuggling shapes).
FORBIDDEN_HEADERS = frozenset(
    {
        "content-length",
        "transfer-encoding",
        "host",
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "upgrade",
        "expect",
    }
)


def header_name(name: str, value: object) -> str:
    """A header name: an RFC 9110 token, and not one that httpx sets to frame the request."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_type_name(value)}")
    if not value or not _TOKEN_CHARS.issuperset(value):
        raise ValueError(
            f"{name} must be a header name (letters, digits and !#$%&'*+-.^_`|~), got {value!r:.60}"
        )
    if value.lower() in FORBIDDEN_HEADERS:
        raise ValueError(
            f"{name} must not be {value!r}: it frames the request or addresses the connection, "
            "so httpx sets it"
        )
    return value


def base_url(name: str, value: object) -> str:
    """An API root: http(s), a host, a path at most; no query, fragment, credentials or spaces."""
    value = text(name, value)
    if any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in value):
        raise ValueError(f"{name} must not contain spaces or control characters (CR, LF, tab...)")
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{name} must start with http:// or https://, got {value!r}")
    if "?" in value or "#" in value:
        raise ValueError(
            f"{name} must not have a query or fragment: request paths are appended to it"
        )
    authority = value.split("://", 1)[1].split("/", 1)[0]
    if "@" in authority:
        # Credentials in the URL would travel in every request, and show in every repr.
        raise ValueError(f"{name} must not contain user info (user:password@)")
    if not authority or authority.startswith(":"):
        raise ValueError(f"{name} must name a host, got {value!r}")
    return value.rstrip("/")


# Many servers and proxies refuse a request line above 8 KiB (nginx's default large buffer is
# 8 KiB; httpx itself gives up at 64 KiB with an InvalidURL that names nothing).
MAX_URL_LENGTH = 8192


def url_length(
    url: str,
    query: Mapping[str, object] | None,
    *,
    names: Mapping[str, str] | None = None,
    limit: int = MAX_URL_LENGTH,
) -> None:
    """Refuse a request whose URL would exceed ``limit``, naming its longest part.

    ``query`` maps the query parameters' names (as the spec spells them) to their values;
    ``names`` maps those wire names to the Python arguments users pass.
    """
    if not query and len(url) <= limit:
        return  # nothing to encode
    from urllib.parse import urlencode

    pairs = {key: val for key, val in (query or {}).items() if val is not None}
    encoded = urlencode(pairs, doseq=True)
    size = len(url) + (1 + len(encoded) if encoded else 0)
    if size <= limit:
        return
    lengths = {key: len(urlencode({key: val}, doseq=True)) for key, val in pairs.items()}
    longest = max(lengths, key=lengths.__getitem__, default=None)
    if longest is not None and lengths[longest] >= len(url):
        argument = (names or {}).get(longest, longest)
        part = f"{argument} (query parameter {longest!r}, {lengths[longest]} characters encoded)"
    else:
        part = "the path"
    raise ValueError(
        f"the request URL would be {size} characters (limit {limit}); {part} is too long: "
        "split the call"
    )


def aware_datetime(name: str, value: datetime) -> datetime:
    """A timezone-aware ``datetime``: a naive one names no instant, so the server would guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (e.g. datetime.now(UTC)); a naive datetime is refused"
        )
    return value
