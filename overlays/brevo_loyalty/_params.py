"""Parameter checks built from the spec's constraints, for both sides of the wire.

The generated operation table gives every parameter one of these, parametrised with what the spec
says (``Integer(minimum=1, maximum=100)``, ``Text(max_length=128)``, ``Choice(("asc", "desc"))``).
The client calls a check on a Python argument before sending anything (``check(name, value)``
returns the wire form); the sandbox calls ``from_wire`` on what a request carried (a string from
the path or query, a JSON value from the body). Each failure is a ``TypeError`` or ``ValueError``
that names the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import _validation as check

if TYPE_CHECKING:
    from ._operation import ModelRef

INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_INTEGER_TEXT = re.compile(r"-?\d{1,19}")


class Check:
    """Base of the checks: identity on both sides."""

    __slots__ = ()

    def __call__(self, name: str, value: object) -> Any:
        """Check a Python argument; return its wire form."""
        return value

    def from_wire(self, name: str, value: object) -> Any:
        """Check a value read from a request (a ``str`` from the path or query, else JSON)."""
        return self(name, value)

    def __repr__(self) -> str:
        slots: tuple[str, ...] = self.__slots__
        fields = ", ".join(f"{slot}={getattr(self, slot)!r}" for slot in slots)
        return f"{type(self).__name__}({fields})"


class Uuid(Check):
    """A UUID, given as ``uuid.UUID`` or a string; sent in canonical form."""

    __slots__ = ()

    def __call__(self, name: str, value: object) -> str:
        return check.uuid_str(name, value)


class Text(Check):
    """A string, bounded in length as the spec says; in a URL path, ``.`` and ``..`` are refused."""

    __slots__ = ("in_path", "max_length", "min_length")

    def __init__(
        self, *, min_length: int = 0, max_length: int | None = None, in_path: bool = False
    ) -> None:
        self.min_length = min_length
        self.max_length = max_length
        self.in_path = in_path

    def __call__(self, name: str, value: object) -> str:
        text = check.identifier(name, value) if self.in_path else value
        limit = self.max_length or check.MAX_TEXT_LENGTH
        text = check.text(name, text, max_length=limit, allow_empty=self.min_length == 0)
        if len(text) < self.min_length:
            raise ValueError(f"{name} must be at least {self.min_length} characters, got {text!r}")
        return text


class DateTimeText(Text):
    """A timestamp sent as a string: an aware ``datetime`` (sent as RFC 3339) or a string."""

    __slots__ = ()

    def __call__(self, name: str, value: object) -> str:
        if isinstance(value, datetime):
            return check.aware_datetime(name, value).isoformat()
        return super().__call__(name, value)

    def from_wire(self, name: str, value: object) -> datetime:
        # The models' own reading of a date-time (fromisoformat, then dateutil for the odd value).
        from brevo_loyalty_api.types import fromisoformat, parse_datetime

        text = super().__call__(name, value)
        try:
            moment = fromisoformat(text)
        except ValueError:
            moment = parse_datetime(text, name)
        return check.aware_datetime(name, moment)


class Integer(Check):
    """An ``int`` (``bool`` refused) within the spec's bounds and its format's range."""

    __slots__ = ("maximum", "minimum")

    def __init__(
        self, *, minimum: int | None = None, maximum: int | None = None, format: str = "int64"
    ) -> None:
        low, high = INT_BOUNDS.get(format, INT_BOUNDS["int64"])
        self.minimum = low if minimum is None else max(low, minimum)
        self.maximum = high if maximum is None else min(high, maximum)

    def __call__(self, name: str, value: object) -> int:
        return check.integer(name, value, minimum=self.minimum, maximum=self.maximum)

    def from_wire(self, name: str, value: object) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON has one number type: 3806.0 is the integer 3806
        if isinstance(value, str):
            if not _INTEGER_TEXT.fullmatch(value):
                raise ValueError(f"{name} must be an integer")
            value = int(value)
        return self(name, value)


class Number(Check):
    """A finite number (``int`` accepted, ``bool`` refused)."""

    __slots__ = ()

    def __call__(self, name: str, value: object) -> float:
        return check.number(name, value)

    def from_wire(self, name: str, value: object) -> float:
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise ValueError(f"{name} must be a number") from None
        return self(name, value)


class Boolean(Check):
    """A ``bool``; on the wire a JSON boolean, or ``true``/``false`` in a query."""

    __slots__ = ()

    def __call__(self, name: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
        return value

    def from_wire(self, name: str, value: object) -> bool:
        if value in ("true", "false"):
            return value == "true"
        return self(name, value)


class Choice(Check):
    """One of the values the spec's enum lists (the generated enum's members are accepted too)."""

    __slots__ = ("values",)

    def __init__(self, values: Sequence[str]) -> None:
        self.values = tuple(values)

    def __call__(self, name: str, value: object) -> str:
        if not isinstance(value, str):  # a StrEnum member is a str
            raise TypeError(f"{name} must be a str, not {type(value).__name__}")
        if value not in self.values:
            allowed = ", ".join(repr(v) for v in self.values)
            raise ValueError(f"{name} must be one of {allowed}, got {str(value)!r}")
        return str(value)


class JsonObject(Check):
    """A JSON object with string keys (``meta``)."""

    __slots__ = ()

    def __call__(self, name: str, value: object) -> dict[str, Any]:
        return check.mapping(name, value)


class ModelObject(Check):
    """A nested object of the spec: the generated model, or a mapping in wire form."""

    __slots__ = ("model",)

    def __init__(self, model: ModelRef[Any]) -> None:
        self.model = model

    def __call__(self, name: str, value: object) -> dict[str, Any]:
        cls = self.model.resolve()
        model: Any = value
        if not isinstance(value, cls):
            try:
                model = cls.from_dict(check.mapping(name, value))
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{name} is not a valid {cls.__name__}: {exc}") from None
        wire: dict[str, Any] = model.to_dict()
        check.json_value(name, wire)  # a model built by hand may hold NaN, sets, cycles...
        return wire


class CsvList(Check):
    """A non-empty list of items sent as one comma-separated value (``x-python-csv``)."""

    __slots__ = ("item",)

    def __init__(self, item: Check) -> None:
        self.item = item

    def __call__(self, name: str, value: object) -> str:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            raise TypeError(f"{name} must be a list, not {type(value).__name__}")
        if not value:
            raise ValueError(f"{name} must not be empty")
        items = [str(self.item(f"{name}[{i}]", item)) for i, item in enumerate(value)]
        return ",".join(items)

    def from_wire(self, name: str, value: object) -> list[str]:
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} is required")
        items = value.split(",")
        return [str(self.item.from_wire(f"{name}[{i}]", item)) for i, item in enumerate(items)]
