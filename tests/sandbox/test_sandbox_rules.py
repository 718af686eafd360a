"""Business rules of the sandbox, observed over its HTTP interface (in-memory transport)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from brevo_loyalty.sandbox import (
    DEFAULT_PARTNER_KEY,
    DEFAULT_TTL_SECONDS,
    ManualClock,
    Sandbox,
)

from .conftest import START


def _reward(http: httpx.Client, sandbox: Sandbox, program_id: str, **config: Any) -> str:
    reward_id: str = http.post("offers", json={"name": "Reward"}).json()["id"]
    sandbox.configure_reward(program_id, reward_id, **config)
    return reward_id


def _attribute(http: httpx.Client, reward_id: str, contact_id: int, **extra: Any) -> httpx.Response:
    return http.post(
        "rewards/attribute", json={"rewardId": reward_id, "contactId": contact_id, **extra}
    )


def _problem(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message"}
    message: str = body["message"]
    return message


def _redeem(http: httpx.Client, voucher: dict[str, Any], **extra: Any) -> httpx.Response:
    body = {"attributedRewardId": voucher["id"], "contactId": voucher["contactId"], **extra}
    return http.post("rewards/redeem", json=body)


def _complete(http: httpx.Client, transaction_id: str) -> httpx.Response:
    return http.post(f"rewards/redeem/{transaction_id}/complete")


# -- attribution ----------------------------------------------------------------------------------


def test_attribution_limits(http: httpx.Client, sandbox: Sandbox, program_id: str) -> None:
    rid = _reward(http, sandbox, program_id, attribution_per_consumer=2, total_attribution=3)
    assert _attribute(http, rid, 1).status_code == 200
    assert _attribute(http, rid, 1).status_code == 200
    assert _problem(_attribute(http, rid, 1), 412) == "attribute limit per customer exceeded"
    assert _attribute(http, rid, 2).status_code == 200
    assert _problem(_attribute(http, rid, 3), 412) == "total attribution count exceeded"


def test_revoked_vouchers_still_count_towards_attribution_limits(
    http: httpx.Client, sandbox: Sandbox, program_id: str
) -> None:
    rid = _reward(http, sandbox, program_id, attribution_per_consumer=1)
    voucher = _attribute(http, rid, 1).json()
    assert (
        http.delete("rewards/revoke", params={"attributedRewardIds": voucher["id"]}).status_code
        == 204
    )
    assert _problem(_attribute(http, rid, 1), 412) == "attribute limit per customer exceeded"


def test_codes_are_consumed_from_the_pool(
    http: httpx.Client, sandbox: Sandbox, program_id: str
) -> None:
    pool = sandbox.add_code_pool(program_id, ["FIRST", "SECOND"], size=1)
    rid = _reward(http, sandbox, program_id, code_pool_id=pool)
    count_url = f"code-pools/{pool}/codes-count"
    assert http.get(count_url).json() == {"count": 3}
    assert _attribute(http, rid, 1).json()["code"] == "FIRST"
    assert _attribute(http, rid, 2).json()["code"] == "SECOND"
    third = _attribute(http, rid, 3).json()["code"]
    assert third not in {"FIRST", "SECOND"}
    assert http.get(count_url).json() == {"count": 0}
    assert _problem(_attribute(http, rid, 4), 424) == "no code left in the reward's pool"
    # An explicit code does not need the pool.
    assert _attribute(http, rid, 4, code="MINE").json()["code"] == "MINE"


def test_reward_states_and_versions(
    http: httpx.Client, sandbox: Sandbox, program_id: str, clock: ManualClock
) -> None:
    pending = http.post("offers", json={"name": "Draft only"}).json()["id"]
    assert _problem(_attribute(http, pending, 1), 412) == "reward attribution not valid"
    assert http.get(f"rewards/{pending}", params={"version": "active"}).status_code == 404
    later = _reward(http, sandbox, program_id, start_date=START + timedelta(days=1))
    ended = _reward(http, sandbox, program_id, end_date=START + timedelta(hours=1))
    disabled = _reward(http, sandbox, program_id, disabled=True)
    live = _reward(http, sandbox, program_id, value=1.0)
    sandbox.configure_reward(program_id, live, value=2.0, publish=False)

    def states() -> dict[str, str]:
        items = http.get("offers", params={"limit": 100}).json()["items"]
        return {item["id"]: item["state"] for item in items}

    assert states() == {
        pending: "pending",
        later: "pending",
        ended: "active",
        disabled: "disabled",
        live: "active",
    }
    assert _problem(_attribute(http, later, 1), 412) == "invalid reward attribution period"
    assert _problem(_attribute(http, disabled, 1), 412) == "reward disabled"
    clock.advance(days=2)
    assert states()[ended] == "expired"
    assert states()[later] == "active"
    assert _problem(_attribute(http, ended, 1), 412) == "invalid reward attribution period"
    active_only = http.get("offers", params={"version": "active", "state": "active"}).json()
    assert {item["id"] for item in active_only["items"]} == {later, live}
    # The unpublished draft change is visible in the draft only; vouchers use the active version.
    assert http.get(f"rewards/{live}").json()["value"] == 2.0
    assert http.get(f"rewards/{live}", params={"version": "active"}).json()["value"] == 1.0
    assert _attribute(http, live, 1).json()["value"] == 1.0


def test_get_reward_is_fully_populated(
    http: httpx.Client, sandbox: Sandbox, program_id: str
) -> None:
    rid = _reward(
        http, sandbox, program_id, total_redeem=5, expiration_value=1, expiration_unit="day"
    )
    reward = http.get(f"rewards/{rid}").json()
    assert reward["totalRedeem"] == 5
    assert reward["limits"][0]["type"] == "totalRedeem"
    rule = reward["rule"]
    condition = rule["condition"]["or"][0]["and"][0]
    assert set(condition) == {"lhs", "op", "rhs"}
    expression = rule["condition"]["or"][1]["and"][0]["lhs"]["expression"]
    assert expression["args"][1] == {"int": 2}
    assert rule["event"]["name"]
    assert rule["results"][0]["parameters"][0]["value"] == {"string": rid}
    custom = {"ruleId": "r1", "condition": {"op": "true"}}
    sandbox.configure_reward(program_id, rid, rule=custom)
    assert http.get(f"rewards/{rid}").json()["rule"] == custom


# -- redemption -----------------------------------------------------------------------------------


def test_redeem_then_complete_consumes_the_voucher(
    http: httpx.Client, sandbox: Sandbox, program_id: str, clock: ManualClock
) -> None:
    rid = _reward(http, sandbox, program_id)
    voucher = _attribute(http, rid, 1).json()
    transaction = _redeem(http, voucher, ttl=30, meta={"till": 4}).json()
    assert transaction["status"] == "pending"
    assert transaction["rewardAttributionId"] == voucher["id"]
    assert transaction["expiresAt"] == "2025-03-14T09:27:23Z"
    clock.advance(seconds=30)  # exactly at expiresAt: still valid
    done = _complete(http, transaction["id"])
    assert done.status_code == 200
    assert done.json()["status"] == "completed"
    assert done.json()["completedAt"] == "2025-03-14T09:27:23Z"
    listed = http.get("vouchers", params={"contactId": 1}).json()["contactRewards"]
    assert listed[0]["consumedAt"] == "2025-03-14T09:27:23Z"
    # Completing twice is 417 (the request is no longer pending); redeeming again is 412.
    assert _problem(_complete(http, transaction["id"]), 417) == "redeem request is completed"
    assert _problem(_redeem(http, voucher), 412) == "code is already consumed"
    assert http.post("rewards/validate", json={"code": voucher["code"]}).json() == {
        "authorize": False
    }


def test_redeem_request_expires_after_its_ttl(
    http: httpx.Client, sandbox: Sandbox, program_id: str, clock: ManualClock
) -> None:
    rid = _reward(http, sandbox, program_id)
    voucher = _attribute(http, rid, 1).json()
    short = _redeem(http, voucher, ttl=10).json()
    default = _redeem(http, voucher).json()
    clock.advance(seconds=11)
    assert _problem(_complete(http, short["id"]), 417) == "redeem request is expired"
    assert _problem(_complete(http, short["id"]), 417) == "redeem request is expired"
    clock.advance(seconds=DEFAULT_TTL_SECONDS - 11)
    assert _complete(http, default["id"]).status_code == 200


def test_voucher_problems_at_redeem_time(
    http: httpx.Client, sandbox: Sandbox, program_id: str, clock: ManualClock
) -> None:
    rid = _reward(http, sandbox, program_id, expiration_value=1, expiration_unit="day")
    expiring = _attribute(http, rid, 1).json()
    revoked = _attribute(http, rid, 2).json()
    pending = _redeem(http, revoked).json()
    http.delete("rewards/revoke", params={"attributedRewardIds": revoked["id"]})
    # The voucher was revoked while its redeem request was pending: the request is rejected.
    assert _problem(_complete(http, pending["id"]), 412) == "code is deleted"
    assert _problem(_complete(http, pending["id"]), 417) == "redeem request is rejected"
    assert _problem(_redeem(http, revoked), 412) == "code is deleted"
    assert _problem(_redeem(http, expiring, contactId=2), 412) == "code is invalid"
    by_code = {"code": "NO-SUCH-CODE", "contactId": 1}
    assert _problem(http.post("rewards/redeem", json=by_code), 412) == "code is invalid"
    clock.advance(days=1)
    assert _problem(_redeem(http, expiring), 412) == "code is expired"
    assert http.post("rewards/validate", json={"attributedRewardId": expiring["id"]}).json() == {
        "authorize": False
    }


def test_redeem_limits(http: httpx.Client, sandbox: Sandbox, program_id: str) -> None:
    rid = _reward(http, sandbox, program_id, redeem_per_consumer=1, total_redeem=2)
    first, second = (_attribute(http, rid, 1).json() for _ in range(2))
    other, last = _attribute(http, rid, 2).json(), _attribute(http, rid, 3).json()
    assert _complete(http, _redeem(http, first).json()["id"]).status_code == 200
    assert _problem(_redeem(http, second), 412) == "reward per consumer redeem limit reached"
    assert _complete(http, _redeem(http, other).json()["id"]).status_code == 200
    assert _problem(_redeem(http, last), 412) == "reward total redeem limit reached"


def test_redeem_by_reward_picks_the_contacts_voucher(
    http: httpx.Client, sandbox: Sandbox, program_id: str
) -> None:
    rid = _reward(http, sandbox, program_id)
    voucher = _attribute(http, rid, 8).json()
    body = {"rewardId": rid, "contactId": 8, "order": {"contact_id": 8, "amount": 12.5}}
    transaction = http.post("rewards/redeem", json=body).json()
    assert transaction["rewardAttributionId"] == voucher["id"]
    assert _problem(http.post("rewards/redeem", json={**body, "contactId": 9}), 412) == (
        "code is invalid"
    )


def test_validate(http: httpx.Client, sandbox: Sandbox, program_id: str) -> None:
    rid = _reward(http, sandbox, program_id)
    subscription = sandbox.add_subscription(program_id, 4)
    voucher = _attribute(http, rid, 4).json()

    def authorize(**body: Any) -> bool:
        response = http.post("rewards/validate", json=body)
        assert response.status_code == 200, response.text
        result: bool = response.json()["authorize"]
        return result

    assert authorize(code=voucher["code"])
    assert authorize(loyaltySubscriptionId=subscription, rewardId=rid)
    assert authorize(contactId=4, attributedRewardId=voucher["id"], pointOfSellId="pos-1")
    assert not authorize(contactId=5, attributedRewardId=voucher["id"])
    assert not authorize(contactId=5)
    assert not authorize(code="UNKNOWN")
    mismatch = {"contactId": 5, "loyaltySubscriptionId": subscription}
    assert _problem(http.post("rewards/validate", json=mismatch), 422) == (
        "contactId does not match loyaltySubscriptionId"
    )


# -- listing --------------------------------------------------------------------------------------


def test_reward_pagination_edges(http: httpx.Client) -> None:
    ids = [http.post("offers", json={"name": f"R{i}"}).json()["id"] for i in range(5)]

    def page(**params: Any) -> tuple[list[str], int]:
        body = http.get("offers", params=params).json()
        return [item["id"] for item in body["items"]], body["totalCount"]

    assert page() == (ids, 5)
    assert page(limit=2) == (ids[:2], 5)
    assert page(limit=2, offset=4) == (ids[4:], 5)
    assert page(limit=100, offset=5) == ([], 5)
    assert page(offset=50) == ([], 5)
    assert page(limit=1, offset=0) == (ids[:1], 5)
    assert _problem(http.get("offers", params={"limit": 0}), 422) == "limit must be >= 1, got 0"
    assert (
        _problem(http.get("offers", params={"limit": 101}), 422) == "limit must be <= 100, got 101"
    )
    assert _problem(http.get("offers", params={"limit": "ten"}), 422) == "limit must be an integer"
    assert _problem(http.get("offers", params={"state": "odd"}), 422).startswith("state must be")


def test_contact_voucher_sorting_and_filters(
    http: httpx.Client, sandbox: Sandbox, program_id: str, clock: ManualClock
) -> None:
    coffee = _reward(http, sandbox, program_id, unit="cups")
    tea = _reward(http, sandbox, program_id)
    a = _attribute(http, coffee, 3, meta={"shop": "north"}).json()["id"]
    clock.advance(minutes=1)
    b = _attribute(http, tea, 3, meta={"shop": "south", "n": 2}).json()["id"]
    clock.advance(minutes=1)
    c = _attribute(http, coffee, 3).json()["id"]
    _attribute(http, coffee, 4)
    clock.advance(minutes=1)
    http.delete("rewards/revoke", params={"attributedRewardIds": c})
    clock.advance(minutes=1)
    _complete(http, _redeem(http, {"id": a, "contactId": 3}).json()["id"])  # a updated last

    def ids(**params: Any) -> list[str]:
        body = http.get("vouchers", params={"contactId": 3, **params}).json()
        assert body["count"] == len(body["contactRewards"]) or "limit" in params
        return [v["id"] for v in body["contactRewards"]]

    assert ids() == [a, b]  # default: updatedAt desc; the revoked voucher is gone
    assert ids(sort="asc", sortField="createdAt") == [a, b]
    assert ids(sort="desc", sortField="createdAt") == [b, a]
    assert ids(sort="asc") == [b, a]
    assert ids(rewardId=tea) == [b]
    assert ids(metadata_key_value="north") == [a]
    assert ids(metadata_key_value="2") == [b]
    assert ids(limit=1, offset=1, sort="asc") == [a]
    body = http.get("vouchers", params={"contactId": 3, "limit": 1}).json()
    assert body["count"] == 2
    assert body["contactId"] == 3
    assert http.get("vouchers", params={"contactId": 99}).json()["count"] == 0
    unit = http.get("vouchers", params={"contactId": 3, "rewardId": coffee}).json()
    assert unit["contactRewards"][0]["unit"] == "cups"


# -- the HTTP surface -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"partner-key": DEFAULT_PARTNER_KEY}, 200),
        ({"authorization": "Bearer tok-1"}, 200),
        ({"authorization": "Bearer tok-2"}, 401),
        ({"partner-key": "nope"}, 401),
        ({}, 401),
    ],
)
def test_credentials(headers: dict[str, str], status: int, clock: ManualClock) -> None:
    sandbox = Sandbox(bearer_tokens=["tok-1"], clock=clock)
    program_id = sandbox.create_program()
    with httpx.Client(transport=sandbox.transport(), base_url="http://any.host") as client:
        url = f"/v3/loyalty/offer/programs/{program_id}/offers"
        assert client.get(url, headers=headers).status_code == status


def test_bad_bodies_and_routes(http: httpx.Client) -> None:
    assert _problem(http.post("offers", content=b"[1, 2]"), 400) == "Parsing error: unmarshal json"
    assert _problem(http.post("offers", content=b"\xff"), 400) == "Parsing error: unmarshal json"
    assert _problem(http.post("offers", json={"name": 3}), 422) == "name must be a str, not int"
    assert _problem(http.post("offers", json={"name": ""}), 422) == "name must not be empty"
    bad_meta = {"rewardId": "00000000-0000-4000-8000-000000000000", "contactId": 1, "meta": []}
    assert (
        _problem(http.post("rewards/attribute", json=bad_meta), 422)
        == "meta must be a mapping, not list"
    )
    bad_date = {**bad_meta, "meta": {}, "expirationDate": "tomorrow"}
    assert "expirationDate: not a date-time" in _problem(
        http.post("rewards/attribute", json=bad_date), 422
    )
    not_int = {"contactId": True, "code": "X"}
    assert (
        _problem(http.post("rewards/redeem", json=not_int), 422)
        == "contactId must be an int, not bool"
    )
    assert http.put("offers").status_code == 405
    assert http.get("http://sandbox.test/v2/anything").status_code == 404


def test_injected_failures(http: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.fail_next(2, status=429, headers={"Retry-After": "1"})
    for _ in range(2):
        response = http.get("offers")
        assert response.status_code == 429
        assert response.headers["retry-after"] == "1"
    assert http.get("offers").status_code == 200
    with pytest.raises(ValueError, match="error status"):
        sandbox.fail_next(status=200)


def test_failing_program(http: httpx.Client, sandbox: Sandbox, program_id: str) -> None:
    sandbox.fail_program(program_id, status=500, message="database down")
    assert _problem(http.get("offers"), 500) == "database down"
    assert _problem(http.get("vouchers", params={"contactId": 1}), 500) == "database down"
