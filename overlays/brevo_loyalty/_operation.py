"""What one API operation is, as data: the engine type that the generated surface produces.

``scripts/regenerate`` renders every operation of ``spec/reward-api.yaml`` into an
:class:`Operation` (in ``brevo_loyalty_api._surface``): its method and path, its parameters with
their Python and wire names, where each travels, the check the spec's constraints imply, whether a
retry is safe, and which model the answer parses into. The engine (sending, retries, pagination)
and the sandbox (routing, request validation) read this table; neither knows an operation by name.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from typing import Any, Generic, Literal, NamedTuple, TypeVar
from urllib.parse import quote

from ._params import Check

# Characters `quote(..., safe="")` leaves as they are: a value made only of them (every UUID) is
# put into the path without calling it.
_is_url_safe = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch

T = TypeVar("T")

Location = Literal["path", "query", "body"]


class ModelRef(Generic[T]):
    """A generated model class, imported on first use (``import brevo_loyalty`` stays cheap)."""

    __slots__ = ("_class", "module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self._class: type[T] | None = None

    def resolve(self) -> type[T]:
        """The model class."""
        if self._class is None:
            self._class = getattr(importlib.import_module(self.module), self.name)
        return self._class

    def __repr__(self) -> str:
        return f"ModelRef({self.module}.{self.name})"


class Param(NamedTuple):
    """One argument of an operation, as the spec describes it."""

    python_name: str
    """The keyword users pass (``program_id``)."""
    wire_name: str
    """The name on the wire (``pid``, ``contactId``)."""
    location: Location
    required: bool
    check: Check
    """Checks a Python value and returns its wire form; also reads a wire value (sandbox)."""
    default: object = None
    """The spec's default: the server applies it; the client never sends it unasked."""


class Pagination(NamedTuple):
    """How a list operation pages: which parameters move the window, which fields hold the page."""

    limit: str
    """Python name of the page-size parameter."""
    offset: str
    """Python name of the offset parameter."""
    items: str
    """Attribute of the result holding this page's items."""
    total: str
    """Attribute of the result holding the total number of items."""
    max_page_size: int


class Operation(Generic[T]):
    """One operation of the API: everything needed to check, send, retry and parse a call."""

    __slots__ = (
        "_has_body",
        "_one_of_positions",
        "example",
        "idempotent",
        "method",
        "name",
        "one_of",
        "pagination",
        "params",
        "path",
        "python_names",
        "result",
        "success_statuses",
    )

    def __init__(
        self,
        *,
        name: str,
        method: str,
        path: str,
        params: Sequence[Param],
        idempotent: bool,
        result: ModelRef[T] | None,
        success_statuses: Sequence[int],
        one_of: Sequence[Sequence[str]] = (),
        pagination: Pagination | None = None,
        example: object = None,
    ) -> None:
        self.name = name
        self.method = method
        self.path = path
        self.params = tuple(params)
        self.python_names = {param.wire_name: param.python_name for param in self.params}
        """Wire name -> Python name, to name an argument in a message about the request."""
        self.idempotent = idempotent
        self.result = result
        self.success_statuses = tuple(success_statuses)
        self.one_of = tuple(tuple(group) for group in one_of)
        self._one_of_positions = tuple(
            tuple(self.position(name) for name in group) for group in self.one_of
        )
        self._has_body = any(param.location == "body" for param in self.params)
        self.pagination = pagination
        self.example = example
        """The smallest schema-valid success body: what a fake answers when it has no rule."""

    def __repr__(self) -> str:
        return f"<Operation {self.name}: {self.method} {self.path}>"

    def param(self, python_name: str) -> Param:
        """The parameter called ``python_name``."""
        return self.params[self.position(python_name)]

    def position(self, python_name: str) -> int:
        """Where ``python_name`` stands in ``params`` (and in the values ``encode`` takes)."""
        for index, param in enumerate(self.params):
            if param.python_name == python_name:
                return index
        raise KeyError(f"{self.name} has no parameter {python_name!r}")

    def encode(self, values: Sequence[object]) -> EncodedRequest:
        """Check ``values`` (one per parameter, ``None`` = not given) and encode the request.

        Raises ``TypeError`` / ``ValueError`` naming the first bad argument; nothing is sent.
        A parameter left ``None`` is not sent, even if the spec gives it a default: the server
        applies its own default, exactly as it does for Brevo's own SDKs.
        """
        path_values: dict[str, str] = {}
        query: dict[str, Any] = {}
        # An operation with body fields sends a JSON object, even when none of them is given.
        body: dict[str, Any] | None = {} if self._has_body else None
        for group, positions in zip(self.one_of, self._one_of_positions, strict=True):
            if all(values[position] is None for position in positions):
                raise ValueError(f"give at least one of {', '.join(group)}")
        for param, value in zip(self.params, values, strict=True):
            if value is None:
                if param.required:
                    raise TypeError(f"{param.python_name} is required")
                continue
            wire = param.check(param.python_name, value)
            if param.location == "path":
                segment = str(wire)
                path_values[param.wire_name] = (
                    segment if _is_url_safe(segment) else quote(segment, safe="")
                )
            elif param.location == "query":
                query[param.wire_name] = wire
            elif body is not None:
                body[param.wire_name] = wire
        return EncodedRequest(self.method, self.path.format_map(path_values), query, body)


class EncodedRequest(NamedTuple):
    """A checked call in wire form: method, path (relative to the base URL), query and body."""

    method: str
    path: str
    query: Mapping[str, Any]
    body: dict[str, Any] | None
