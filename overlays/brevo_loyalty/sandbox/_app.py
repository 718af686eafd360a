"""The sandbox's HTTP face: routing, authentication, request validation and error bodies.

All of it comes from the generated operation table (``brevo_loyalty_api._surface.OPERATIONS``): the
routes are the spec's paths, each parameter is read from where the spec puts it and checked with
the spec's constraints, spec defaults are applied. An operation with a business rule in
``_rules`` gets its answer from there; any other operation answers the smallest schema-valid body,
so a new operation is served as soon as it is regenerated.

:meth:`App.handle` takes a raw request (method, request target, headers, body) and returns a
:class:`Reply`; the transports and the server only move bytes in and out of it.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from brevo_loyalty_api._surface import OPERATIONS

from .. import _validation as check
from .._operation import Operation
from . import _rules
from ._state import ApiProblem, World

Json = dict[str, Any]
BASE_PATH = "/v3"
"""Every route lives under this path (the spec's server is ``https://api.brevo.com/v3``)."""


@dataclass(frozen=True)
class Reply:
    """An HTTP response: status, headers and body bytes."""

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def _json_reply(status: int, payload: object) -> Reply:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return Reply(status, body, (("content-type", "application/json"),))


def _error(problem: ApiProblem) -> Reply:
    return _json_reply(problem.status, {"code": problem.code, "message": problem.message})


def _route(operation: Operation[Any]) -> re.Pattern[str]:
    """The spec path as a pattern: each ``{name}`` matches one path segment."""
    parts = re.split(r"\{([^}]+)\}", operation.path)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(re.escape(BASE_PATH) + pattern)


# Most specific first: OpenAPI matches a concrete path (``/rewards/redeem``) before a templated one
# (``/rewards/{rid}``), so a GET on ``/rewards/redeem`` is a 405, not a getReward of id "redeem".
_ROUTES = sorted(
    ((operation, _route(operation)) for operation in OPERATIONS),
    key=lambda route: route[0].path.count("{"),
)


def _body(raw: bytes) -> Json:
    """The request's JSON object (400 when it is not one, as the API answers)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise ApiProblem(400, "bad_request", "Parsing error: unmarshal json")
    try:
        check.json_value("body", data)  # the client's own check: depth, NaN, cycles
    except ValueError as exc:
        raise ApiProblem(422, "invalid_parameter", str(exc)) from None
    return data


def read_arguments(
    operation: Operation[Any], path: Mapping[str, str], query: str, body: bytes
) -> dict[str, Any]:
    """Every parameter of ``operation`` from the request, checked, by Python name.

    Query parameters take their first value, and one the operation does not declare is refused;
    absent optional parameters take the spec's default, if any. A violation is a 422 naming the
    wire name.
    """
    values = parse_qs(query, keep_blank_values=True)
    known = {param.wire_name for param in operation.params if param.location == "query"}
    unknown = sorted(set(values) - known)
    if unknown:
        # Stricter than a server that ignores them: a misspelled filter should not pass silently.
        raise ApiProblem(422, "invalid_parameter", f"unknown query parameter {unknown[0]!r}")
    data: Json | None = None
    arguments: dict[str, Any] = {}
    for param in operation.params:
        if param.location == "path":
            raw: object = path.get(param.wire_name)
        elif param.location == "query":
            found = values.get(param.wire_name)
            raw = found[0] if found and found[0] != "" else None
        else:
            data = _body(body) if data is None else data
            raw = data.get(param.wire_name)
            if raw is None and param.wire_name in data:
                # No request field of the spec is nullable: null is not "absent".
                raise ApiProblem(422, "invalid_parameter", f"{param.wire_name} must not be null")
        if raw is None:
            if param.required:
                raise ApiProblem(422, "missing_parameter", f"{param.wire_name} is required")
            if param.default is not None:
                arguments[param.python_name] = param.default
            continue
        try:
            arguments[param.python_name] = param.check.from_wire(param.wire_name, raw)
        except (TypeError, ValueError) as exc:
            raise ApiProblem(422, "invalid_parameter", str(exc)) from None
    if any(param.location == "body" for param in operation.params) and data is None:
        _body(body)  # a body is required even when every field is optional
    for group in operation.one_of:
        if all(arguments.get(name) is None for name in group):
            wire = [operation.param(name).wire_name for name in group]
            raise ApiProblem(422, "missing_parameter", f"give one of {', '.join(wire)}")
    return arguments


@dataclass
class App:
    """Routes requests to a :class:`World` and renders its answers as spec-shaped JSON."""

    world: World
    api_keys: frozenset[str]
    partner_keys: frozenset[str]
    bearer_tokens: frozenset[str]
    _faults: deque[tuple[ApiProblem, tuple[tuple[str, str], ...]]] = field(default_factory=deque)

    def fail_next(
        self, count: int, problem: ApiProblem, headers: Iterable[tuple[str, str]]
    ) -> None:
        """Answer the next ``count`` requests with ``problem`` before looking at them."""
        with self.world.lock:
            self._faults.extend([(problem, tuple(headers))] * count)

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one request; ``target`` is the raw path and query, ``headers`` lower-cased."""
        with self.world.lock:
            try:
                return self._dispatch(method.upper(), target, headers, body)
            except ApiProblem as problem:
                return _error(problem)
            except Exception:  # a sandbox bug must still answer like the API would
                return _error(ApiProblem(500, "internal_error", "internal server error"))

    def _credential(self, headers: Mapping[str, str]) -> str:
        api_key = headers.get("api-key")
        if api_key is not None and api_key in self.api_keys:
            return api_key
        partner_key = headers.get("partner-key")
        if partner_key is not None and partner_key in self.partner_keys:
            return partner_key
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip() in self.bearer_tokens:
            return token.strip()
        raise ApiProblem(401, "unauthorized", "Request authentication failed")

    def _dispatch(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        if self._faults:
            problem, extra_headers = self._faults.popleft()
            reply = _error(problem)
            return Reply(reply.status, reply.body, reply.headers + extra_headers)
        parts = urlsplit(target)
        path = unquote(parts.path)
        allowed: list[str] = []
        matched_path: str | None = None
        for operation, pattern in _ROUTES:
            match = pattern.fullmatch(path)
            if match is None or matched_path not in (None, operation.path):
                continue
            matched_path = operation.path  # the most specific path template that matches
            if operation.method != method:
                allowed.append(operation.method)
                continue
            credential = self._credential(headers)
            arguments = read_arguments(operation, match.groupdict(), parts.query, body)
            return self._answer(operation, arguments, credential)
        if allowed:
            reply = _json_reply(
                405, {"code": "method_not_allowed", "message": "method not allowed"}
            )
            return Reply(405, reply.body, (*reply.headers, ("allow", ", ".join(allowed))))
        return _json_reply(404, {"code": "not_found", "message": f"no route for {path}"})

    def _answer(self, operation: Operation[Any], arguments: Json, credential: str) -> Reply:
        program_id = arguments.get(_rules.PROGRAM)
        program = None
        if program_id is not None:
            program = self.world.program(program_id, credential=credential)
            if program.failure is not None:
                raise program.failure
        rule = _rules.RULES.get(operation.name)
        status = operation.success_statuses[0]
        if rule is None or program is None:
            # No business rule: the smallest answer the spec allows.
            if operation.result is None:
                return Reply(204 if 204 in operation.success_statuses else status)
            return _json_reply(status, operation.example)
        answer = rule(self.world, program, arguments)
        if answer is None:
            return Reply(204 if 204 in operation.success_statuses else status)
        return _json_reply(status, answer.to_dict())
