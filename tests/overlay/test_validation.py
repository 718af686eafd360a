"""Bad arguments fail before any request, naming the parameter; ids are confined to one segment."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

import pytest
from brevo_loyalty import _validation as check
from brevo_loyalty_api._surface import GET_CODE_COUNT
from hypothesis import given
from hypothesis import strategies as st

from ._loopback import ATTR1, KINDS, PID, PROGRAM, RID, Kind, LoopbackServer, Reply, call

INVALID: list[tuple[str, str, dict[str, Any], type[Exception], str]] = [
    (
        "bad-program-id",
        "get_code_count",
        {"program_id": "not-a-uuid", "code_pool_id": "p"},
        ValueError,
        "program_id",
    ),
    ("program-id-int", "list_rewards", {"program_id": 12}, TypeError, "program_id"),
    (
        "bad-reward-id",
        "get_reward",
        {"program_id": PID, "reward_id": "r1"},
        ValueError,
        "reward_id",
    ),
    ("limit-0", "list_rewards", {"program_id": PID, "limit": 0}, ValueError, "limit"),
    ("limit-101", "list_rewards", {"program_id": PID, "limit": 101}, ValueError, "limit"),
    ("limit-str", "list_rewards", {"program_id": PID, "limit": "10"}, TypeError, "limit"),
    ("offset-negative", "list_rewards", {"program_id": PID, "offset": -1}, ValueError, "offset"),
    (
        "vouchers-limit-101",
        "list_contact_vouchers",
        {"program_id": PID, "contact_id": 1, "limit": 101},
        ValueError,
        "limit",
    ),
    (
        "vouchers-offset-negative",
        "list_contact_vouchers",
        {"program_id": PID, "contact_id": 1, "offset": -1},
        ValueError,
        "offset",
    ),
    (
        "contact-id-0",
        "list_contact_vouchers",
        {"program_id": PID, "contact_id": 0},
        ValueError,
        "contact_id",
    ),
    (
        "contact-id-bool",
        "list_contact_vouchers",
        {"program_id": PID, "contact_id": True},
        TypeError,
        "contact_id",
    ),
    (
        "voucher-contact-id-bool",
        "create_voucher",
        {"program_id": PID, "reward_id": RID, "contact_id": True},
        TypeError,
        "contact_id",
    ),
    (
        "voucher-no-recipient",
        "create_voucher",
        {"program_id": PID, "reward_id": RID},
        ValueError,
        "contact_id.*loyalty_subscription_id",
    ),
    (
        "redeem-no-recipient",
        "create_redeem_request",
        {"program_id": PID, "code": "C"},
        ValueError,
        "contact_id.*loyalty_subscription_id",
    ),
    (
        "redeem-no-voucher",
        "create_redeem_request",
        {"program_id": PID, "contact_id": 1},
        ValueError,
        "attributed_reward_id, code, reward_id",
    ),
    ("validate-nothing", "validate_reward", {"program_id": PID}, ValueError, "contact_id"),
    (
        "voucher-code-too-long",
        "create_voucher",
        {"program_id": PID, "reward_id": RID, "contact_id": 1, "code": "c" * 129},
        ValueError,
        "code",
    ),
    ("name-too-long", "create_reward", {"program_id": PID, "name": "n" * 129}, ValueError, "name"),
    ("name-empty", "create_reward", {"program_id": PID, "name": ""}, ValueError, "name"),
    (
        "public-name-too-long",
        "create_reward",
        {"program_id": PID, "name": "n", "public_name": "p" * 129},
        ValueError,
        "public_name",
    ),
    (
        "revoke-bare-string",
        "revoke_vouchers",
        {"program_id": PID, "attributed_reward_ids": ATTR1},
        TypeError,
        "attributed_reward_ids",
    ),
    (
        "revoke-empty",
        "revoke_vouchers",
        {"program_id": PID, "attributed_reward_ids": []},
        ValueError,
        "attributed_reward_ids",
    ),
    (
        "revoke-not-uuid",
        "revoke_vouchers",
        {"program_id": PID, "attributed_reward_ids": [ATTR1, "x,y"]},
        ValueError,
        r"attributed_reward_ids\[1\]",
    ),
    (
        "state-unknown",
        "list_rewards",
        {"program_id": PID, "state": "foo"},
        ValueError,
        "state must be one of .*'foo'",
    ),
    (
        "version-unknown",
        "get_reward",
        {"program_id": PID, "reward_id": RID, "version": "beta"},
        ValueError,
        "version must be one of .*'beta'",
    ),
    (
        "sort-unknown",
        "list_contact_vouchers",
        {"program_id": PID, "contact_id": 1, "sort": "up"},
        ValueError,
        "sort must be one of .*'up'",
    ),
    (
        "sort-field-unknown",
        "list_contact_vouchers",
        {"program_id": PID, "contact_id": 1, "sort_field": "name"},
        ValueError,
        "sort_field",
    ),
    (
        "code-pool-dot",
        "get_code_count",
        {"program_id": PID, "code_pool_id": "."},
        ValueError,
        "code_pool_id",
    ),
    (
        "code-pool-dotdot",
        "get_code_count",
        {"program_id": PID, "code_pool_id": ".."},
        ValueError,
        "code_pool_id",
    ),
    (
        "code-pool-empty",
        "get_code_count",
        {"program_id": PID, "code_pool_id": ""},
        ValueError,
        "code_pool_id",
    ),
    (
        "transaction-dotdot",
        "complete_redeem_request",
        {"program_id": PID, "transaction_id": ".."},
        ValueError,
        "transaction_id",
    ),
    (
        "ttl-negative",
        "create_redeem_request",
        {"program_id": PID, "contact_id": 1, "code": "C", "ttl": -1},
        ValueError,
        "ttl",
    ),
    (
        "value-nan",
        "create_voucher",
        {"program_id": PID, "reward_id": RID, "contact_id": 1, "value": float("nan")},
        ValueError,
        "value",
    ),
    (
        "meta-not-mapping",
        "create_voucher",
        {"program_id": PID, "reward_id": RID, "contact_id": 1, "meta": ["a"]},
        TypeError,
        "meta",
    ),
    (
        "per-call-max-retries",
        "get_code_count",
        {"program_id": PID, "code_pool_id": "p", "max_retries": -1},
        ValueError,
        "max_retries",
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("operation", "arguments", "error", "match"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_invalid_argument_fails_before_any_request(
    kind: Kind,
    operation: str,
    arguments: dict[str, Any],
    error: type[Exception],
    match: str,
    server: LoopbackServer,
) -> None:
    with pytest.raises(error, match=match):
        call(kind, server.base_url, operation, arguments)
    assert server.count == 0


def test_unknown_enum_message_lists_allowed_values(server: LoopbackServer) -> None:
    with pytest.raises(ValueError, match="state") as info:
        call("sync", server.base_url, "list_rewards", {"program_id": PID, "state": "foo"})
    message = str(info.value)
    for allowed in ("all", "active", "pending", "disabled", "expired"):
        assert repr(allowed) in message
    assert "'foo'" in message


ODD_IDS = [
    ("../x", "..%2Fx"),
    ("a/b", "a%2Fb"),
    ("?x=1", "%3Fx%3D1"),
    ("#frag", "%23frag"),
    ("a b", "a%20b"),
    ("%2F", "%252F"),
    ("...", "..."),
    ("café", "caf%C3%A9"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("value", "encoded"), ODD_IDS, ids=[v for v, _ in ODD_IDS])
def test_code_pool_id_stays_in_one_path_segment(
    kind: Kind, value: str, encoded: str, server: LoopbackServer
) -> None:
    server.enqueue(Reply.json({"count": 0}))

    call(kind, server.base_url, "get_code_count", {"program_id": PID, "code_pool_id": value})

    sent = server.requests[0]
    assert sent.target == f"{PROGRAM}/code-pools/{encoded}/codes-count"
    assert sent.query == {}


@pytest.mark.parametrize(("value", "encoded"), ODD_IDS, ids=[v for v, _ in ODD_IDS])
def test_transaction_id_stays_in_one_path_segment(
    value: str, encoded: str, server: LoopbackServer
) -> None:
    server.enqueue(Reply.json({"id": value, "status": "completed"}))

    call(
        "sync",
        server.base_url,
        "complete_redeem_request",
        {"program_id": PID, "transaction_id": value},
    )

    assert server.requests[0].target == f"{PROGRAM}/rewards/redeem/{encoded}/complete"


def test_reward_id_filter_with_reserved_characters_is_one_query_value(
    server: LoopbackServer,
) -> None:
    server.enqueue(Reply.json({"contactRewards": [], "count": 0}))
    call(
        "sync",
        server.base_url,
        "list_contact_vouchers",
        {"program_id": PID, "contact_id": 1, "reward_id": "a&limit=1#x"},
    )
    query = server.requests[0].query
    assert query["rewardId"] == ["a&limit=1#x"]
    assert "limit" not in query


# The fast paths of argument encoding (a canonical UUID string kept as given, a URL-safe path
# segment put in without quote()) must give exactly what the general path gives.

_UUID_FORMS = st.uuids().flatmap(
    lambda u: st.sampled_from(
        [str(u), str(u).upper(), u.hex, "{" + str(u) + "}", u.urn, f"  {u}"]
    ).map(lambda text: (u, text))
)


@given(_UUID_FORMS)
def test_uuid_argument_is_sent_in_canonical_form_whatever_its_spelling(
    case: tuple[UUID, str],
) -> None:
    expected, text = case
    try:
        canonical = str(UUID(text))
    except ValueError:
        with pytest.raises(ValueError, match="reward_id"):
            check.uuid_str("reward_id", text)
        return
    assert check.uuid_str("reward_id", text) == canonical == str(expected)


@given(st.text(max_size=40))
def test_uuid_check_accepts_exactly_what_uuid_accepts(text: str) -> None:
    try:
        canonical = str(UUID(text))
    except ValueError:
        with pytest.raises(ValueError, match="reward_id"):
            check.uuid_str("reward_id", text)
    else:
        assert check.uuid_str("reward_id", text) == canonical


@given(st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and t not in {".", ".."}))
def test_path_segment_is_percent_encoded_as_quote_does(code_pool_id: str) -> None:
    encoded = GET_CODE_COUNT.encode((PID, code_pool_id))

    assert (
        encoded.path
        == f"/loyalty/offer/programs/{PID}/code-pools/{quote(code_pool_id, safe='')}/codes-count"
    )
