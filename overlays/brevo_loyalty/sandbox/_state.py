"""The sandbox's domain model and business rules, with no HTTP in sight.

Every rule failure raises :class:`ApiProblem` carrying the status, code and message the API would
answer with; ``_app`` turns it into an error response. All public methods of :class:`World` are
atomic (one re-entrant lock) and read the clock exactly once.
"""

from __future__ import annotations

import functools
import json
import random
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

from ._clock import Clock, SystemClock
from ._expiry import MODIFIERS, UNITS, expiration

DEFAULT_TTL_SECONDS = 300
"""Lifetime of a redeem request created without ``ttl``."""

MISSING_HOLDER = "Either contact id or loyalty subscription id must be provided"
MISSING_VALIDATE = (
    "Either a contact (contactId, loyaltySubscriptionId) or a voucher (code, attributedRewardId)"
    " must be provided"
)

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

SortOrder = Literal["asc", "desc"]
SortField = Literal["createdAt", "updatedAt"]


class ApiProblem(Exception):
    """A request the API refuses: HTTP ``status`` with the spec's ``{code, message}`` error body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type[ApiProblem], tuple[int, str, str]]:
        # Copies and pickles rebuild it from its fields (Exception's default passes only args).
        return type(self), (self.status, self.code, self.message)


# The ``code`` of an injected failure, per status. Fixed here rather than derived from
# ``http.HTTPStatus`` phrases, which change between Python versions (3.13 renamed 422 to
# "Unprocessable Content"): a sandbox must answer the same whatever Python runs it.
# These are the RFC 7231-era names (what Python 3.11 and 3.12 call them).
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    402: "payment_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    407: "proxy_authentication_required",
    408: "request_timeout",
    409: "conflict",
    410: "gone",
    411: "length_required",
    412: "precondition_failed",
    413: "request_entity_too_large",
    414: "request-uri_too_long",
    415: "unsupported_media_type",
    416: "requested_range_not_satisfiable",
    417: "expectation_failed",
    418: "im_a_teapot",
    421: "misdirected_request",
    422: "unprocessable_entity",
    423: "locked",
    424: "failed_dependency",
    425: "too_early",
    426: "upgrade_required",
    428: "precondition_required",
    429: "too_many_requests",
    431: "request_header_fields_too_large",
    451: "unavailable_for_legal_reasons",
    500: "internal_server_error",
    501: "not_implemented",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
    505: "http_version_not_supported",
    506: "variant_also_negotiates",
    507: "insufficient_storage",
    508: "loop_detected",
    510: "not_extended",
    511: "network_authentication_required",
}


def failure(status: int, message: str) -> ApiProblem:
    """Build an injected failure; its code names the status (``too_many_requests``, ...).

    The codes come from the fixed :data:`ERROR_CODES` table, the same on every Python; a status
    the table lacks gets ``http_<status>``.
    """
    if not 400 <= status <= 599:
        raise ValueError("an injected failure needs an error status (400..599)")
    return ApiProblem(status, ERROR_CODES.get(status, f"http_{status}"), message)


def _not_found(what: str) -> ApiProblem:
    return ApiProblem(404, "document_not_found", f"{what} not found")


def _precondition(message: str) -> ApiProblem:
    return ApiProblem(412, "precondition_failed", message)


def _expectation(message: str) -> ApiProblem:
    return ApiProblem(417, "expectation_failed", message)


@dataclass
class Definition:
    """One version (draft or active) of a reward: what it is and the rules that govern it."""

    name: str
    updated_at: datetime
    public_description: str | None = None
    public_image: str | None = None
    public_name: str | None = None
    code_pool_id: str | None = None
    expiration_value: int | None = None
    expiration_unit: str | None = None
    expiration_modifier: str = "noModification"
    attribution_per_consumer: int | None = None
    redeem_per_consumer: int | None = None
    total_attribution: int | None = None
    total_redeem: int | None = None
    value: float | None = None
    unit: str | None = None
    rule: dict[str, Any] | None = None
    products: dict[str, str] = field(default_factory=dict)
    start_date: datetime | None = None
    end_date: datetime | None = None


@dataclass
class Reward:
    """A reward definition with its editable draft and its published (active) version."""

    id: str
    program_id: str
    created_at: datetime
    draft: Definition
    rule_id: str
    active: Definition | None = None
    disabled_at: datetime | None = None

    def state(self, now: datetime) -> str:
        """``disabled``, ``pending`` (unpublished or not started), ``expired`` or ``active``."""
        if self.disabled_at is not None:
            return "disabled"
        live = self.active
        if live is None or (live.start_date is not None and now < live.start_date):
            return "pending"
        if live.end_date is not None and now >= live.end_date:
            return "expired"
        return "active"

    @property
    def rules(self) -> Definition:
        """The version whose limits apply: the active one, else the draft."""
        return self.active or self.draft


@dataclass
class Voucher:
    """A reward attributed to a contact (an "attributed reward")."""

    id: str
    reward_id: str
    code: str
    created_at: datetime
    updated_at: datetime
    seq: int
    contact_id: int
    subscription_id: str | None = None
    value: float | None = None
    unit: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    expiration_date: datetime | None = None
    consumed_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass
class Transaction:
    """A redeem request: pending until completed, or until it expires or is rejected."""

    id: str
    voucher_id: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    contact_id: int
    meta: dict[str, Any] = field(default_factory=dict)
    order: dict[str, Any] | None = None
    status: str = "pending"
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    rejected_at: datetime | None = None
    reject_reason: str | None = None


@dataclass
class Program:
    """A loyalty program and everything it owns."""

    id: str
    created_at: datetime
    generator_id: str
    allowed_keys: frozenset[str] | None = None
    failure: ApiProblem | None = None
    rewards: dict[str, Reward] = field(default_factory=dict)
    code_pools: dict[str, deque[str]] = field(default_factory=dict)
    subscriptions: dict[str, int] = field(default_factory=dict)
    vouchers: dict[str, Voucher] = field(default_factory=dict)
    transactions: dict[str, Transaction] = field(default_factory=dict)

    def subscription_of(self, contact_id: int) -> str | None:
        """Return the (first) loyalty subscription of ``contact_id``, if it has one."""
        return next((s for s, c in self.subscriptions.items() if c == contact_id), None)


def _locked(method: Callable[Concatenate[World, P], R]) -> Callable[Concatenate[World, P], R]:
    """Run ``method`` under the world's lock, so each operation is atomic."""

    @functools.wraps(method)
    def wrapper(self: World, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.lock:
            return method(self, *args, **kwargs)

    return wrapper


def _page(items: Sequence[T], limit: int, offset: int) -> list[T]:
    return list(items[offset : offset + limit])


class World:
    """All sandbox state, the seeding helpers, and the ten operations' business rules.

    Ids are uuid4s and codes are drawn from a ``random.Random(seed)``; times come from ``clock``.
    With a seed and a :class:`ManualClock`, the same calls therefore give the same results.
    """

    def __init__(self, *, seed: int | str | None = None, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self.lock = threading.RLock()
        self.programs: dict[str, Program] = {}
        self._random = random.Random(seed)
        self._seq = 0

    def restart(self, *, seed: int | str, clock: Clock) -> None:
        """Draw ids and codes from ``seed`` again and read time from ``clock`` from now on.

        A recorder restarts the world at the start of every scenario, so that adding a call to one
        scenario changes no id or timestamp in any other.
        """
        with self.lock:
            self._random = random.Random(seed)
            self.clock = clock

    # -- helpers ---------------------------------------------------------------------------------

    def _new_id(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _new_code(self, program: Program) -> str:
        taken = {v.code for v in program.vouchers.values()}
        while True:
            code = "".join(self._random.choice(_CODE_ALPHABET) for _ in range(10))
            if code not in taken:
                return code

    def _reward(self, program: Program, reward_id: str) -> Reward:
        reward = program.rewards.get(reward_id)
        if reward is None:
            raise _not_found("reward")
        return reward

    def _holder(
        self, program: Program, contact_id: int | None, subscription_id: str | None
    ) -> tuple[int, str | None]:
        """Resolve who acts: (contact id, subscription id); a subscription implies its contact."""
        if subscription_id is None:
            if contact_id is None:
                raise ApiProblem(422, "missing_parameter", MISSING_HOLDER)
            return contact_id, program.subscription_of(contact_id)
        owner = program.subscriptions.get(subscription_id)
        if owner is None:
            raise _not_found("subscription")
        if contact_id is not None and contact_id != owner:
            raise ApiProblem(
                422, "invalid_parameter", "contactId does not match loyaltySubscriptionId"
            )
        return owner, subscription_id

    # -- seeding helpers (what the API itself cannot create) -------------------------------------

    @_locked
    def create_program(self, *, allowed_keys: Iterable[str] | None = None) -> str:
        """Create a loyalty program and return its id.

        ``allowed_keys`` restricts it to those credentials (others get 403); by default any
        valid credential may use it.
        """
        program_id = self._new_id()
        keys = None if allowed_keys is None else frozenset(allowed_keys)
        program = Program(program_id, self.clock.now(), self._new_id(), keys)
        self.programs[program_id] = program
        return program_id

    @_locked
    def add_code_pool(self, program_id: str, codes: Iterable[str] = (), *, size: int = 0) -> str:
        """Add a code pool holding ``codes`` plus ``size`` generated codes; return its id.

        Rewards configured with the pool take their voucher codes from it, in order; a code is
        used up when it is attributed.
        """
        program = self.program(program_id)
        pool = deque(codes)
        if len(set(pool)) != len(pool) or any(not c for c in pool):
            raise ValueError("codes must be distinct, non-empty strings")
        wanted = len(pool) + size
        while len(pool) < wanted:
            code = self._new_code(program)
            if code not in pool:
                pool.append(code)
        pool_id = self._new_id()
        program.code_pools[pool_id] = pool
        return pool_id

    @_locked
    def add_subscription(self, program_id: str, contact_id: int) -> str:
        """Subscribe ``contact_id`` to the program; return the loyalty subscription id."""
        if contact_id < 1:
            raise ValueError("contact_id must be >= 1")
        program = self.program(program_id)
        subscription_id = self._new_id()
        program.subscriptions[subscription_id] = contact_id
        return subscription_id

    @_locked
    def fail_program(
        self, program_id: str, *, status: int = 500, message: str = "internal server error"
    ) -> None:
        """Make every HTTP request to the program fail with ``status`` (a broken backend).

        Unlike ``Sandbox.fail_next``, this is state, not timing: it suits recorded scenarios.
        """
        self.program(program_id).failure = failure(status, message)

    @_locked
    def configure_reward(
        self,
        program_id: str,
        reward_id: str,
        *,
        code_pool_id: str | None = None,
        expiration_value: int | None = None,
        expiration_unit: str | None = None,
        expiration_modifier: str = "noModification",
        attribution_per_consumer: int | None = None,
        redeem_per_consumer: int | None = None,
        total_attribution: int | None = None,
        total_redeem: int | None = None,
        value: float | None = None,
        unit: str | None = None,
        rule: Mapping[str, Any] | None = None,
        products: Mapping[str, str] | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        disabled: bool = False,
        publish: bool = True,
    ) -> None:
        """Replace the draft's configuration (``None`` means no limit / not set).

        ``rule`` replaces the generated default rule. ``products`` maps the product ids the
        reward applies to to their value (shown by getReward only). ``publish`` copies the draft
        to the active version, which is what attribution and redemption use. ``disabled``
        disables the reward (or re-enables it).
        """
        program = self.program(program_id)
        reward = self._reward(program, reward_id)
        if code_pool_id is not None and code_pool_id not in program.code_pools:
            raise ValueError(f"code_pool_id {code_pool_id!r} is not a pool of this program")
        if (expiration_value is None) != (expiration_unit is None):
            raise ValueError("expiration_value and expiration_unit go together")
        if expiration_unit is not None and expiration_unit not in UNITS:
            raise ValueError(f"expiration_unit must be one of {', '.join(UNITS)}")
        if expiration_modifier not in MODIFIERS:
            raise ValueError(f"expiration_modifier must be one of {', '.join(MODIFIERS)}")
        now = self.clock.now()
        reward.draft = replace(
            reward.draft,
            updated_at=now,
            code_pool_id=code_pool_id,
            expiration_value=expiration_value,
            expiration_unit=expiration_unit,
            expiration_modifier=expiration_modifier,
            attribution_per_consumer=attribution_per_consumer,
            redeem_per_consumer=redeem_per_consumer,
            total_attribution=total_attribution,
            total_redeem=total_redeem,
            value=value,
            unit=unit,
            rule=dict(rule) if rule is not None else None,
            products=dict(products or {}),
            start_date=start_date,
            end_date=end_date,
        )
        reward.disabled_at = (reward.disabled_at or now) if disabled else None
        if publish:
            reward.active = replace(reward.draft)

    # -- the operations ---------------------------------------------------------------------------

    @_locked
    def program(self, program_id: str, *, credential: str | None = None) -> Program:
        """Return the program (404 if unknown; 403 if ``credential`` may not use it)."""
        program = self.programs.get(program_id)
        if program is None:
            raise _not_found("loyalty program")
        allowed = program.allowed_keys
        if credential is not None and allowed is not None and credential not in allowed:
            raise ApiProblem(
                403, "permission_denied", "Loyalty program is not valid for the client"
            )
        return program

    @_locked
    def code_count(self, program_id: str, code_pool_id: str) -> int:
        """How many unattributed codes the pool still holds."""
        pool = self.program(program_id).code_pools.get(code_pool_id)
        if pool is None:
            raise _not_found("code pool")
        return len(pool)

    @_locked
    def list_rewards(
        self, program_id: str, *, limit: int, offset: int, state: str, version: str
    ) -> tuple[list[tuple[Reward, Definition, str]], int]:
        """One page of (reward, version shown, state) in creation order, and the total count.

        ``version="active"`` lists only published rewards, ``"draft"`` every reward.
        """
        now = self.clock.now()
        rows = [
            (reward, shown, current)
            for reward in self.program(program_id).rewards.values()
            if (shown := reward.active if version == "active" else reward.draft) is not None
            and state in ("all", current := reward.state(now))
        ]
        return _page(rows, limit, offset), len(rows)

    @_locked
    def create_reward(
        self,
        program_id: str,
        *,
        name: str,
        public_description: str | None = None,
        public_image: str | None = None,
        public_name: str | None = None,
    ) -> Reward:
        """Create an unpublished (``pending``) reward holding only a draft."""
        program = self.program(program_id)
        now = self.clock.now()
        draft = Definition(name, now, public_description, public_image, public_name)
        reward = Reward(self._new_id(), program.id, now, draft, rule_id=self._new_id())
        program.rewards[reward.id] = reward
        return reward

    @_locked
    def get_reward(self, program_id: str, reward_id: str, *, version: str) -> Definition:
        """Return that version of the reward (404 for ``active`` if it was never published)."""
        reward = self._reward(self.program(program_id), reward_id)
        shown = reward.active if version == "active" else reward.draft
        if shown is None:
            raise _not_found("active version of the reward")
        return shown

    @_locked
    def attribute(
        self,
        program_id: str,
        *,
        reward_id: str,
        contact_id: int | None = None,
        subscription_id: str | None = None,
        code: str | None = None,
        expiration_date: datetime | None = None,
        meta: Mapping[str, Any] | None = None,
        value: float | None = None,
    ) -> Voucher:
        """Attribute a voucher of ``reward_id`` to a contact or subscription.

        The active version's rules apply: the reward must be enabled, published and within its
        period; per-consumer and total attribution limits count every voucher ever attributed,
        revoked ones included. The code is ``code``, else the next one of the reward's code pool
        (424 if the pool is empty), else a generated one.
        """
        program = self.program(program_id)
        reward = self._reward(program, reward_id)
        contact_id, subscription_id = self._holder(program, contact_id, subscription_id)
        now = self.clock.now()
        state = reward.state(now)
        if state == "disabled":
            raise _precondition("reward disabled")
        live = reward.active
        if live is None:
            raise _precondition("reward attribution not valid")
        if state != "active":
            raise _precondition("invalid reward attribution period")
        attributed = [v for v in program.vouchers.values() if v.reward_id == reward.id]
        mine = [v for v in attributed if v.contact_id == contact_id]
        if live.attribution_per_consumer is not None and len(mine) >= live.attribution_per_consumer:
            raise _precondition("attribute limit per customer exceeded")
        if live.total_attribution is not None and len(attributed) >= live.total_attribution:
            raise _precondition("total attribution count exceeded")
        if code is None and live.code_pool_id is not None:
            pool = program.code_pools.get(live.code_pool_id)
            if not pool:
                raise ApiProblem(424, "failed_dependency", "no code left in the reward's pool")
            code = pool.popleft()
        if expiration_date is None and live.expiration_value is not None and live.expiration_unit:
            expiration_date = expiration(
                now, live.expiration_value, live.expiration_unit, live.expiration_modifier
            )
        voucher = Voucher(
            id=self._new_id(),
            reward_id=reward.id,
            code=code or self._new_code(program),
            created_at=now,
            updated_at=now,
            seq=self._next_seq(),
            contact_id=contact_id,
            subscription_id=subscription_id,
            value=value if value is not None else live.value,
            unit=live.unit,
            meta=dict(meta or {}),
            expiration_date=expiration_date,
        )
        program.vouchers[voucher.id] = voucher
        return voucher

    def _find_voucher(
        self,
        program: Program,
        contact_id: int | None,
        *,
        attributed_reward_id: str | None,
        code: str | None,
        reward_id: str | None,
        now: datetime,
    ) -> Voucher:
        """Return the voucher a redeem/validate request designates (412 if there is none).

        With a ``contact_id``, the voucher must be that contact's.
        """
        if attributed_reward_id is not None:
            voucher = program.vouchers.get(attributed_reward_id)
            if voucher is None:
                raise _not_found("attributed reward")
            if code is not None and voucher.code != code:
                raise _precondition("code is invalid")
        elif code is not None:
            matches = [v for v in program.vouchers.values() if v.code == code]
            # Prefer a live voucher when an explicit code was attributed more than once.
            matches.sort(key=lambda v: (v.revoked_at is None, v.consumed_at is None, v.seq))
            if not matches:
                raise _precondition("code is invalid")
            voucher = matches[-1]
        else:
            candidates = [
                v
                for v in program.vouchers.values()
                if v.reward_id == reward_id and v.contact_id == contact_id
            ]
            usable = [v for v in candidates if self._redeem_problem(program, v, now) is None]
            if not (usable or candidates):
                raise _precondition("code is invalid")
            voucher = (usable or candidates)[0]
        if contact_id is not None and voucher.contact_id != contact_id:
            raise _precondition("code is invalid")
        if reward_id is not None and voucher.reward_id != reward_id:
            raise _precondition("code is invalid")
        return voucher

    def _redeem_problem(self, program: Program, voucher: Voucher, now: datetime) -> str | None:
        """Why ``voucher`` cannot be redeemed now, or None if it can."""
        reward = program.rewards[voucher.reward_id]
        if voucher.revoked_at is not None:
            return "code is deleted"
        if voucher.consumed_at is not None:
            return "code is already consumed"
        if voucher.expiration_date is not None and now >= voucher.expiration_date:
            return "code is expired"
        if reward.disabled_at is not None:
            return "redeem reward rejected"
        redeemed = [
            program.vouchers[t.voucher_id]
            for t in program.transactions.values()
            if t.status == "completed" and program.vouchers[t.voucher_id].reward_id == reward.id
        ]
        rules = reward.rules
        mine = [v for v in redeemed if v.contact_id == voucher.contact_id]
        if rules.redeem_per_consumer is not None and len(mine) >= rules.redeem_per_consumer:
            return "reward per consumer redeem limit reached"
        if rules.total_redeem is not None and len(redeemed) >= rules.total_redeem:
            return "reward total redeem limit reached"
        return None

    @_locked
    def request_redeem(
        self,
        program_id: str,
        *,
        contact_id: int | None = None,
        subscription_id: str | None = None,
        attributed_reward_id: str | None = None,
        code: str | None = None,
        reward_id: str | None = None,
        ttl: int | None = None,
        meta: Mapping[str, Any] | None = None,
        order: Mapping[str, Any] | None = None,
    ) -> Transaction:
        """Open a pending redeem request for a voucher, valid for ``ttl`` seconds.

        The voucher is designated by ``attributed_reward_id``, ``code``, or the holder's first
        redeemable voucher of ``reward_id``; it must belong to the holder and be redeemable.
        """
        program = self.program(program_id)
        holder = self._holder(program, contact_id, subscription_id)
        if reward_id is not None:
            self._reward(program, reward_id)
        now = self.clock.now()
        voucher = self._find_voucher(
            program,
            holder[0],
            attributed_reward_id=attributed_reward_id,
            code=code,
            reward_id=reward_id,
            now=now,
        )
        problem = self._redeem_problem(program, voucher, now)
        if problem is not None:
            raise _precondition(problem)
        try:
            expires_at = now + timedelta(seconds=DEFAULT_TTL_SECONDS if ttl is None else ttl)
        except OverflowError:  # a ttl beyond year 9999: it never expires
            expires_at = datetime.max.replace(tzinfo=now.tzinfo)
        transaction = Transaction(
            id=self._new_id(),
            voucher_id=voucher.id,
            created_at=now,
            updated_at=now,
            expires_at=expires_at,
            contact_id=holder[0],
            meta=dict(meta or {}),
            order=dict(order) if order is not None else None,
        )
        program.transactions[transaction.id] = transaction
        return transaction

    @_locked
    def complete_redeem(self, program_id: str, transaction_id: str) -> Transaction:
        """Complete a pending redeem request, consuming its voucher.

        A request past its ``expiresAt`` becomes ``expired`` (417); completing a request that is
        no longer pending (completed, expired or rejected) is 417 too. If the voucher stopped being
        redeemable meanwhile, the request is ``rejected`` with the 412 reason.
        """
        program = self.program(program_id)
        transaction = program.transactions.get(transaction_id)
        if transaction is None:
            raise _not_found("redeem transaction")
        now = self.clock.now()
        if transaction.status == "pending" and now > transaction.expires_at:
            transaction.status = "expired"
            transaction.cancelled_at = transaction.updated_at = transaction.expires_at
        if transaction.status != "pending":
            raise _expectation(f"redeem request is {transaction.status}")
        voucher = program.vouchers[transaction.voucher_id]
        problem = self._redeem_problem(program, voucher, now)
        if problem is not None:
            transaction.status = "rejected"
            transaction.rejected_at = transaction.updated_at = now
            transaction.reject_reason = problem
            raise _precondition(problem)
        voucher.consumed_at = voucher.updated_at = now
        transaction.status = "completed"
        transaction.completed_at = transaction.updated_at = now
        return transaction

    @_locked
    def revoke(self, program_id: str, voucher_ids: Sequence[str]) -> None:
        """Revoke vouchers (all or none: 404 if any id is unknown). Revoking twice is harmless."""
        program = self.program(program_id)
        missing = [i for i in voucher_ids if i not in program.vouchers]
        if missing:
            raise _not_found(f"attributed reward {missing[0]}")
        now = self.clock.now()
        for voucher_id in voucher_ids:
            voucher = program.vouchers[voucher_id]
            if voucher.revoked_at is None:
                voucher.revoked_at = voucher.updated_at = now

    @_locked
    def validate(
        self,
        program_id: str,
        *,
        contact_id: int | None = None,
        subscription_id: str | None = None,
        attributed_reward_id: str | None = None,
        code: str | None = None,
        reward_id: str | None = None,
    ) -> bool:
        """Whether the designated voucher (or any of the holder's vouchers) may be redeemed now.

        Unknown vouchers and codes are simply not authorized; an unknown reward or subscription
        is a 404.
        """
        program = self.program(program_id)
        anonymous = contact_id is None and subscription_id is None
        if anonymous and attributed_reward_id is None and code is None:
            raise ApiProblem(422, "missing_parameter", MISSING_VALIDATE)
        contact = None if anonymous else self._holder(program, contact_id, subscription_id)[0]
        if reward_id is not None:
            self._reward(program, reward_id)
        now = self.clock.now()
        if attributed_reward_id is None and code is None:
            return any(
                self._redeem_problem(program, v, now) is None
                for v in program.vouchers.values()
                if v.contact_id == contact and reward_id in (None, v.reward_id)
            )
        try:
            voucher = self._find_voucher(
                program,
                contact,
                attributed_reward_id=attributed_reward_id,
                code=code,
                reward_id=reward_id,
                now=now,
            )
        except ApiProblem:
            return False
        return self._redeem_problem(program, voucher, now) is None

    @_locked
    def contact_vouchers(
        self,
        program_id: str,
        *,
        contact_id: int,
        limit: int,
        offset: int,
        sort: SortOrder = "desc",
        sort_field: SortField = "updatedAt",
        metadata_value: str | None = None,
        reward_id: str | None = None,
    ) -> tuple[list[Voucher], int, str | None]:
        """One page of the contact's unrevoked vouchers, their total count, and its subscription.

        ``metadata_value`` keeps vouchers with a meta value equal to it (non-strings compared in
        their JSON form). Ties on the sort field keep attribution order.
        """
        program = self.program(program_id)
        rows = [
            v
            for v in program.vouchers.values()
            if v.contact_id == contact_id
            and v.revoked_at is None
            and reward_id in (None, v.reward_id)
            and (metadata_value is None or metadata_value in _meta_values(v.meta))
        ]
        attribute = "created_at" if sort_field == "createdAt" else "updated_at"
        rows.sort(key=lambda v: (getattr(v, attribute), v.seq), reverse=sort == "desc")
        return _page(rows, limit, offset), len(rows), program.subscription_of(contact_id)


def _meta_values(meta: Mapping[str, Any]) -> set[str]:
    return {v if isinstance(v, str) else json.dumps(v) for v in meta.values()}
