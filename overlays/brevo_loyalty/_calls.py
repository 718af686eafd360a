"""One builder per operation: check the arguments, then describe the call for the client to send.

A builder never does I/O, so the sync and async clients share every check and every request shape.
Request bodies and query parameters are encoded by the generated package (``_get_kwargs``), so what
goes on the wire is exactly what ``spec/`` says.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import _validation as check

if TYPE_CHECKING:
    from datetime import datetime
    from uuid import UUID

    from brevo_loyalty_api.models import (
        CodeCount,
        ContactVouchers,
        CreatedReward,
        Order,
        RedeemTransaction,
        Reward,
        RewardPage,
        RewardValidation,
        Voucher,
    )

T = TypeVar("T")

# Spec limits, in one place (spec/reward-api.yaml is the source).
MAX_PAGE_SIZE = 100
MAX_NAME_LENGTH = 128
MAX_CODE_LENGTH = 128


class Call(Generic[T]):
    """A checked operation call: which generated module, its arguments, and its retry class."""

    # A plain slotted class rather than a dataclass: dataclasses pulls in `inspect` at import.
    __slots__ = ("idempotent", "kwargs", "operation", "result")

    def __init__(
        self, operation: str, kwargs: dict[str, Any], *, idempotent: bool, result: type[T] | None
    ) -> None:
        self.operation = operation
        self.kwargs = kwargs
        self.idempotent = idempotent
        self.result = result

    def module(self) -> ModuleType:
        """The generated operation module (imported on first use to keep ``import`` cheap)."""
        return importlib.import_module(f"brevo_loyalty_api.api.rewards.{self.operation}")


def _models() -> ModuleType:
    return importlib.import_module("brevo_loyalty_api.models")


def _unset() -> Any:
    return importlib.import_module("brevo_loyalty_api.types").UNSET


def _opt(convert: Callable[..., Any], name: str, value: Any, **limits: Any) -> Any:
    """``convert(name, value)`` for an optional argument; the generated UNSET when it is None."""
    return _unset() if value is None else convert(name, value, **limits)


def get_code_count(*, program_id: UUID | str, code_pool_id: str) -> Call[CodeCount]:
    """Describe getCodeCount."""
    return Call(
        "get_code_count",
        {
            "pid": check.uuid_str("program_id", program_id),
            "cpid": check.identifier("code_pool_id", code_pool_id),
        },
        idempotent=True,
        result=_models().CodeCount,
    )


def list_rewards(
    *,
    program_id: UUID | str,
    limit: int,
    offset: int,
    state: str | None,
    version: str | None,
) -> Call[RewardPage]:
    """Describe listRewards."""
    models = _models()
    kwargs: dict[str, Any] = {
        "pid": check.uuid_str("program_id", program_id),
        "limit": check.integer("limit", limit, minimum=1, maximum=MAX_PAGE_SIZE),
        "offset": check.integer("offset", offset, minimum=0),
    }
    if state is not None:
        kwargs["state"] = check.choice("state", state, models.RewardStateFilter)
    if version is not None:
        kwargs["version"] = check.choice("version", version, models.RewardVersion)
    return Call("list_rewards", kwargs, idempotent=True, result=models.RewardPage)


def create_reward(
    *,
    program_id: UUID | str,
    name: str,
    public_description: str | None,
    public_image: str | None,
    public_name: str | None,
) -> Call[CreatedReward]:
    """Describe createReward."""
    models = _models()
    body = models.CreateRewardRequest(
        name=check.text("name", name, max_length=MAX_NAME_LENGTH),
        public_description=_opt(
            check.text, "public_description", public_description, max_length=MAX_NAME_LENGTH
        ),
        public_image=_opt(check.text, "public_image", public_image),
        public_name=_opt(check.text, "public_name", public_name, max_length=MAX_NAME_LENGTH),
    )
    return Call(
        "create_reward",
        {"pid": check.uuid_str("program_id", program_id), "body": body},
        idempotent=False,
        result=models.CreatedReward,
    )


def create_voucher(
    *,
    program_id: UUID | str,
    reward_id: UUID | str,
    contact_id: int | None,
    loyalty_subscription_id: str | None,
    code: str | None,
    expiration_date: datetime | str | None,
    meta: Mapping[str, Any] | None,
    value: float | None,
) -> Call[Voucher]:
    """Describe createVoucher."""
    models = _models()
    check.one_of(("contact_id", "loyalty_subscription_id"), (contact_id, loyalty_subscription_id))
    body = models.CreateVoucherRequest(
        reward_id=check.uuid_str("reward_id", reward_id),
        contact_id=_opt(_contact, "contact_id", contact_id),
        loyalty_subscription_id=_opt(
            check.text, "loyalty_subscription_id", loyalty_subscription_id
        ),
        code=_opt(check.text, "code", code, max_length=MAX_CODE_LENGTH),
        expiration_date=_opt(check.timestamp, "expiration_date", expiration_date),
        meta=_opt(_meta, "meta", meta, model=models.CreateVoucherRequestMeta),
        value=_opt(check.number, "value", value),
    )
    return Call(
        "create_voucher",
        {"pid": check.uuid_str("program_id", program_id), "body": body},
        idempotent=False,
        result=models.Voucher,
    )


def create_redeem_request(
    *,
    program_id: UUID | str,
    contact_id: int | None,
    loyalty_subscription_id: str | None,
    attributed_reward_id: UUID | str | None,
    code: str | None,
    reward_id: str | None,
    ttl: int | None,
    meta: Mapping[str, Any] | None,
    order: Order | Mapping[str, Any] | None,
) -> Call[RedeemTransaction]:
    """Describe createRedeemRequest."""
    models = _models()
    check.one_of(("contact_id", "loyalty_subscription_id"), (contact_id, loyalty_subscription_id))
    body = models.CreateRedeemRequest(
        attributed_reward_id=_opt(check.uuid_str, "attributed_reward_id", attributed_reward_id),
        code=_opt(check.text, "code", code),
        contact_id=_opt(_contact, "contact_id", contact_id),
        loyalty_subscription_id=_opt(
            check.text, "loyalty_subscription_id", loyalty_subscription_id
        ),
        meta=_opt(_meta, "meta", meta, model=models.CreateRedeemRequestMeta),
        order=_opt(_order, "order", order, model=models.Order),
        reward_id=_opt(check.identifier, "reward_id", reward_id),
        ttl=_opt(check.integer, "ttl", ttl, minimum=0),
    )
    return Call(
        "create_redeem_request",
        {"pid": check.uuid_str("program_id", program_id), "body": body},
        idempotent=False,
        result=models.RedeemTransaction,
    )


def complete_redeem_request(
    *, program_id: UUID | str, transaction_id: str
) -> Call[RedeemTransaction]:
    """Describe completeRedeemRequest."""
    return Call(
        "complete_redeem_request",
        {
            "pid": check.uuid_str("program_id", program_id),
            "tid": check.identifier("transaction_id", transaction_id),
        },
        idempotent=False,
        result=_models().RedeemTransaction,
    )


def revoke_vouchers(
    *, program_id: UUID | str, attributed_reward_ids: Sequence[UUID | str]
) -> Call[None]:
    """Describe revokeVouchers; the ids travel as one comma-separated query value (see spec)."""
    ids = check.uuid_list("attributed_reward_ids", attributed_reward_ids)
    return Call(
        "revoke_vouchers",
        {"pid": check.uuid_str("program_id", program_id), "attributed_reward_ids": ",".join(ids)},
        idempotent=True,
        result=None,
    )


def get_reward(
    *, program_id: UUID | str, reward_id: UUID | str, version: str | None
) -> Call[Reward]:
    """Describe getReward."""
    models = _models()
    kwargs: dict[str, Any] = {
        "pid": check.uuid_str("program_id", program_id),
        "rid": check.uuid_str("reward_id", reward_id),
    }
    if version is not None:
        kwargs["version"] = check.choice("version", version, models.RewardVersion)
    return Call("get_reward", kwargs, idempotent=True, result=models.Reward)


def validate_reward(
    *,
    program_id: UUID | str,
    contact_id: int | None,
    loyalty_subscription_id: str | None,
    attributed_reward_id: UUID | str | None,
    code: str | None,
    point_of_sell_id: str | None,
    reward_id: str | None,
) -> Call[RewardValidation]:
    """Describe validateReward."""
    models = _models()
    check.one_of(
        ("contact_id", "loyalty_subscription_id", "code", "attributed_reward_id"),
        (contact_id, loyalty_subscription_id, code, attributed_reward_id),
    )
    body = models.ValidateRewardRequest(
        attributed_reward_id=_opt(check.uuid_str, "attributed_reward_id", attributed_reward_id),
        code=_opt(check.text, "code", code),
        contact_id=_opt(_contact, "contact_id", contact_id),
        loyalty_subscription_id=_opt(
            check.text, "loyalty_subscription_id", loyalty_subscription_id
        ),
        point_of_sell_id=_opt(check.text, "point_of_sell_id", point_of_sell_id),
        reward_id=_opt(check.identifier, "reward_id", reward_id),
    )
    return Call(
        "validate_reward",
        {"pid": check.uuid_str("program_id", program_id), "body": body},
        idempotent=True,
        result=models.RewardValidation,
    )


def list_contact_vouchers(
    *,
    program_id: UUID | str,
    contact_id: int,
    limit: int,
    offset: int,
    sort: str | None,
    sort_field: str | None,
    metadata_value: str | None,
    reward_id: str | None,
) -> Call[ContactVouchers]:
    """Describe listContactVouchers."""
    models = _models()
    kwargs: dict[str, Any] = {
        "pid": check.uuid_str("program_id", program_id),
        "contact_id": _contact("contact_id", contact_id),
        "limit": check.integer("limit", limit, minimum=1, maximum=MAX_PAGE_SIZE),
        "offset": check.integer("offset", offset, minimum=0),
    }
    if sort is not None:
        kwargs["sort"] = check.choice("sort", sort, models.SortOrder)
    if sort_field is not None:
        kwargs["sort_field"] = check.choice("sort_field", sort_field, models.VoucherSortField)
    if metadata_value is not None:
        kwargs["metadata_key_value"] = check.text("metadata_value", metadata_value)
    if reward_id is not None:
        kwargs["reward_id"] = check.identifier("reward_id", reward_id)
    return Call("list_contact_vouchers", kwargs, idempotent=True, result=models.ContactVouchers)


def _contact(name: str, value: object) -> int:
    return check.integer(name, value, minimum=1)


def _meta(name: str, value: object, *, model: Any) -> Any:
    return model.from_dict(check.mapping(name, value))


def _order(name: str, value: object, *, model: Any) -> Any:
    if isinstance(value, model):
        return value
    return model.from_dict(check.mapping(name, value))
