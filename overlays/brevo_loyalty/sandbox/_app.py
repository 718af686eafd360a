"""The sandbox's HTTP face: routing, authentication, input validation and error bodies.

:meth:`App.handle` takes a raw request (method, request target, headers, body) and returns a
:class:`Reply`; the transports and the server only move bytes in and out of it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast
from urllib.parse import parse_qs, unquote, urlsplit

from dateutil.parser import isoparse

from . import _wire
from ._state import ApiProblem, Program, World

Json = dict[str, Any]
BASE_PATH = "/v3"
"""Every route lives under this path (the spec's server is ``https://api.brevo.com/v3``)."""

_PROGRAMS = re.escape(BASE_PATH) + r"/loyalty/offer/programs/(?P<pid>[^/]+)"


@dataclass(frozen=True)
class Reply:
    """An HTTP response: status, headers and body bytes."""

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def _json_reply(status: int, payload: Json) -> Reply:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return Reply(status, body, (("content-type", "application/json"),))


def _invalid(message: str, code: str = "invalid_parameter") -> ApiProblem:
    return ApiProblem(422, code, message)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@dataclass
class _Query:
    """The query string, read the way the API reads it (first value wins)."""

    values: dict[str, list[str]]

    def text(self, name: str) -> str | None:
        found = self.values.get(name)
        return found[0] if found else None

    def integer(self, name: str, default: int | None, low: int, high: int | None = None) -> int:
        raw = self.text(name)
        if raw is None or raw == "":
            if default is None:
                raise _invalid(f"{name} is required", "missing_parameter")
            return default
        if not re.fullmatch(r"-?\d{1,18}", raw):
            raise _invalid(f"{name} must be an integer")
        number = int(raw)
        if number < low or (high is not None and number > high):
            bounds = f"between {low} and {high}" if high is not None else f"{low} or greater"
            raise _invalid(f"{name} must be {bounds}", "out_of_range")
        return number

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        raw = self.text(name)
        if raw is None:
            return default
        if raw not in allowed:
            raise _invalid(f"{name} must be one of {', '.join(allowed)}")
        return raw


@dataclass
class _Body:
    """A JSON object body, with typed, validating accessors (``null`` counts as absent)."""

    data: Json

    @classmethod
    def parse(cls, raw: bytes) -> _Body:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        if not isinstance(data, dict):
            raise ApiProblem(400, "bad_request", "Parsing error: unmarshal json")
        return cls(data)

    def text(
        self, name: str, *, max_length: int | None = None, uuid_format: bool = False
    ) -> str | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or value == "":
            raise _invalid(f"{name} must be a non-empty string")
        if max_length is not None and len(value) > max_length:
            raise _invalid(f"{name} must be at most {max_length} characters", "out_of_range")
        if uuid_format and not _is_uuid(value):
            raise _invalid(f"{name} must be a UUID")
        return value

    def integer(self, name: str, *, minimum: int) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise _invalid(f"{name} must be an integer")
        if value < minimum:
            raise _invalid(f"{name} must be {minimum} or greater", "out_of_range")
        return value

    def number(self, name: str) -> float | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _invalid(f"{name} must be a number")
        return float(value)

    def mapping(self, name: str) -> Json | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise _invalid(f"{name} must be an object")
        return value

    def timestamp(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            moment = isoparse(value)
        except ValueError:
            raise _invalid(f"{name} must be an RFC 3339 date-time") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class _Call:
    """One routed request: its program, path parameters, query and raw body."""

    program: Program
    params: dict[str, str]
    query: _Query
    raw_body: bytes

    @property
    def body(self) -> _Body:
        return _Body.parse(self.raw_body)


Handler = Callable[["App", _Call], Reply]


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
                return _json_reply(problem.status, _wire.error(problem))
            except Exception:  # a sandbox bug must still answer like the API would
                failure = ApiProblem(500, "internal_error", "internal server error")
                return _json_reply(500, _wire.error(failure))

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
            reply = _json_reply(problem.status, _wire.error(problem))
            return Reply(reply.status, reply.body, reply.headers + extra_headers)
        parts = urlsplit(target)
        path = unquote(parts.path)
        allowed: list[str] = []
        for route_method, pattern, handler in _ROUTES:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if route_method != method:
                allowed.append(route_method)
                continue
            credential = self._credential(headers)
            params = match.groupdict()
            if not _is_uuid(params["pid"]):
                raise _invalid("Invalid loyalty program id")
            program = self.world.program(params["pid"], credential=credential)
            if program.failure is not None:
                raise program.failure
            query = _Query(parse_qs(parts.query, keep_blank_values=True))
            return handler(self, _Call(program, params, query, body))
        if allowed:
            reply = _json_reply(
                405, {"code": "method_not_allowed", "message": "method not allowed"}
            )
            return Reply(405, reply.body, (*reply.headers, ("allow", ", ".join(allowed))))
        return _json_reply(404, {"code": "not_found", "message": f"no route for {path}"})

    # -- the ten operations ----------------------------------------------------------------------

    def _get_code_count(self, call: _Call) -> Reply:
        count = self.world.code_count(call.program.id, call.params["cpid"])
        return _json_reply(200, {"count": count})

    def _list_rewards(self, call: _Call) -> Reply:
        rows, total = self.world.list_rewards(
            call.program.id,
            limit=call.query.integer("limit", 25, 1, 100),
            offset=call.query.integer("offset", 0, 0),
            state=call.query.choice(
                "state", ("all", "active", "pending", "disabled", "expired"), "all"
            ),
            version=call.query.choice("version", ("active", "draft"), "draft"),
        )
        items = [_wire.reward_page_item(reward, shown, state) for reward, shown, state in rows]
        return _json_reply(200, {"items": items, "totalCount": total})

    def _create_reward(self, call: _Call) -> Reply:
        body = call.body
        name = body.text("name", max_length=128)
        if name is None:
            raise _invalid("name is a required field", "missing_parameter")
        reward = self.world.create_reward(
            call.program.id,
            name=name,
            public_description=body.text("publicDescription", max_length=128),
            public_image=body.text("publicImage"),
            public_name=body.text("publicName", max_length=128),
        )
        return _json_reply(200, _wire.created_reward(reward))

    def _create_voucher(self, call: _Call) -> Reply:
        body = call.body
        reward_id = body.text("rewardId", uuid_format=True)
        if reward_id is None:
            raise _invalid("rewardId is a required field", "missing_parameter")
        voucher = self.world.attribute(
            call.program.id,
            reward_id=reward_id,
            contact_id=body.integer("contactId", minimum=1),
            subscription_id=body.text("loyaltySubscriptionId"),
            code=body.text("code", max_length=128),
            expiration_date=body.timestamp("expirationDate"),
            meta=body.mapping("meta"),
            value=body.number("value"),
        )
        return _json_reply(200, _wire.attributed_voucher(call.program, voucher))

    def _create_redeem_request(self, call: _Call) -> Reply:
        body = call.body
        attributed_reward_id = body.text("attributedRewardId", uuid_format=True)
        code = body.text("code")
        reward_id = body.text("rewardId")
        order = body.mapping("order")
        if order is not None:
            _Body(order).integer("contact_id", minimum=1)
        if attributed_reward_id is None and code is None and reward_id is None:
            raise _invalid("attributedRewardId, code or rewardId is required", "missing_parameter")
        transaction = self.world.request_redeem(
            call.program.id,
            contact_id=body.integer("contactId", minimum=1),
            subscription_id=body.text("loyaltySubscriptionId"),
            attributed_reward_id=attributed_reward_id,
            code=code,
            reward_id=reward_id,
            ttl=body.integer("ttl", minimum=0),
            meta=body.mapping("meta"),
            order=order,
        )
        return _json_reply(200, _wire.redeem_transaction(call.program, transaction))

    def _complete_redeem_request(self, call: _Call) -> Reply:
        transaction = self.world.complete_redeem(call.program.id, call.params["tid"])
        return _json_reply(200, _wire.redeem_transaction(call.program, transaction))

    def _revoke_vouchers(self, call: _Call) -> Reply:
        raw = call.query.text("attributedRewardIds")
        if not raw:
            raise _invalid("attributedRewardIds is required", "missing_parameter")
        ids = list(dict.fromkeys(raw.split(",")))
        if not all(_is_uuid(i) for i in ids):
            raise _invalid("attributedRewardIds must be comma-separated UUIDs")
        self.world.revoke(call.program.id, ids)
        return Reply(204)

    def _get_reward(self, call: _Call) -> Reply:
        reward_id = call.params["rid"]
        if not _is_uuid(reward_id):
            raise _invalid("Invalid reward id")
        version = call.query.choice("version", ("active", "draft"), "draft")
        shown = self.world.get_reward(call.program.id, reward_id, version=version)
        reward = call.program.rewards[reward_id]
        return _json_reply(200, _wire.full_reward(call.program, reward, shown))

    def _validate_reward(self, call: _Call) -> Reply:
        body = call.body
        body.text("pointOfSellId")  # accepted and type-checked; the sandbox has no points of sale
        authorized = self.world.validate(
            call.program.id,
            contact_id=body.integer("contactId", minimum=1),
            subscription_id=body.text("loyaltySubscriptionId"),
            attributed_reward_id=body.text("attributedRewardId", uuid_format=True),
            code=body.text("code"),
            reward_id=body.text("rewardId"),
        )
        return _json_reply(200, {"authorize": authorized})

    def _list_contact_vouchers(self, call: _Call) -> Reply:
        query = call.query
        contact_id = query.integer("contactId", None, 1)
        sort = query.choice("sort", ("asc", "desc"), "desc")
        sort_field = query.choice("sortField", ("updatedAt", "createdAt"), "updatedAt")
        vouchers, total, subscription_id = self.world.contact_vouchers(
            call.program.id,
            contact_id=contact_id,
            limit=query.integer("limit", 25, 1, 100),
            offset=query.integer("offset", 0, 0),
            sort=cast(Literal["asc", "desc"], sort),
            sort_field=cast(Literal["updatedAt", "createdAt"], sort_field),
            metadata_value=query.text("metadata_key_value"),
            reward_id=query.text("rewardId"),
        )
        payload: Json = {
            "contactId": contact_id,
            "loyaltyProgramId": call.program.id,
            "contactRewards": [_wire.contact_voucher(v) for v in vouchers],
            "count": total,
        }
        if subscription_id is not None:
            payload["loyaltySubscriptionId"] = subscription_id
        return _json_reply(200, payload)


_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    (method, re.compile(_PROGRAMS + suffix), handler)
    for method, suffix, handler in [
        ("GET", r"/code-pools/(?P<cpid>[^/]+)/codes-count", App._get_code_count),
        ("GET", r"/offers", App._list_rewards),
        ("POST", r"/offers", App._create_reward),
        ("POST", r"/rewards/attribute", App._create_voucher),
        ("POST", r"/rewards/redeem", App._create_redeem_request),
        ("POST", r"/rewards/redeem/(?P<tid>[^/]+)/complete", App._complete_redeem_request),
        ("DELETE", r"/rewards/revoke", App._revoke_vouchers),
        ("POST", r"/rewards/validate", App._validate_reward),
        ("GET", r"/rewards/(?P<rid>[^/]+)", App._get_reward),
        ("GET", r"/vouchers", App._list_contact_vouchers),
    ]
]
