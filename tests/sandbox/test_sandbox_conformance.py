"""Every status the sandbox produces, for every operation, conforms to spec/reward-api.yaml."""

from __future__ import annotations

from typing import Any

import httpx
from brevo_loyalty.sandbox import ManualClock, Sandbox

from ._openapi import check_exchange, check_httpx

ZERO_UUID = "00000000-0000-4000-8000-000000000000"


class Recorder:
    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.seen: set[tuple[str, int]] = set()

    def __call__(
        self, op: str, method: str, url: str, expect: int, *, valid: bool = True, **kw: Any
    ) -> httpx.Response:
        response = self.http.request(method, url, **kw)
        assert response.status_code == expect, (op, response.text)
        check_httpx(response, request_valid=valid)
        self.seen.add((op, expect))
        return response


def test_full_scenario_conforms(
    sandbox: Sandbox, program_id: str, http: httpx.Client, clock: ManualClock
) -> None:
    call = Recorder(http)
    pool = sandbox.add_code_pool(program_id, ["ONLY-CODE"])
    subscription = sandbox.add_subscription(program_id, 5)

    call("getCodeCount", "GET", f"code-pools/{pool}/codes-count", 200)
    call("getCodeCount", "GET", "code-pools/nope/codes-count", 404)

    created = call("createReward", "POST", "offers", 200, json={"name": "Coffee"}).json()
    rid = created["id"]
    call("createReward", "POST", "offers", 422, valid=False, json={"name": "x" * 129})
    call("createReward", "POST", "offers", 422, valid=False, json={"publicName": "no name"})
    call("createReward", "POST", "offers", 400, valid=False, content=b"{not json")

    # Not yet published: attribution is refused.
    voucher_body = {"rewardId": rid, "contactId": 5}
    call("createVoucher", "POST", "rewards/attribute", 412, json=voucher_body)
    sandbox.configure_reward(
        program_id,
        rid,
        code_pool_id=pool,
        expiration_value=1,
        expiration_unit="week",
        expiration_modifier="endOfPeriod",
        attribution_per_consumer=1,
        redeem_per_consumer=1,
        value=2.5,
        unit="cups",
    )
    first = call(
        "createVoucher",
        "POST",
        "rewards/attribute",
        200,
        json={"rewardId": rid, "loyaltySubscriptionId": subscription, "meta": {"shop": "north"}},
    ).json()
    call("createVoucher", "POST", "rewards/attribute", 412, json=voucher_body)
    call("createVoucher", "POST", "rewards/attribute", 422, json={"rewardId": rid})
    call("createVoucher", "POST", "rewards/attribute", 422, valid=False, json={"contactId": 5})
    call(
        "createVoucher",
        "POST",
        "rewards/attribute",
        422,
        valid=False,
        json={"rewardId": rid, "contactId": 0},
    )
    call(
        "createVoucher",
        "POST",
        "rewards/attribute",
        404,
        json={"rewardId": ZERO_UUID, "contactId": 5},
    )
    call(
        "createVoucher",
        "POST",
        "rewards/attribute",
        404,
        json={"rewardId": rid, "loyaltySubscriptionId": "unknown"},
    )
    call("createVoucher", "POST", "rewards/attribute", 424, json={**voucher_body, "contactId": 6})

    call("listRewards", "GET", "offers", 200, params={"limit": 1, "state": "active"})
    call("listRewards", "GET", "offers", 422, valid=False, params={"limit": 101})
    call("listRewards", "GET", "offers", 422, valid=False, params={"offset": -1})
    call("getReward", "GET", f"rewards/{rid}", 200, params={"version": "active"})
    call("getReward", "GET", f"rewards/{ZERO_UUID}", 404)
    call("getReward", "GET", "rewards/not-a-uuid", 422, valid=False)

    vouchers = {"contactId": 5, "sort": "asc", "sortField": "createdAt"}
    listed = call("listContactVouchers", "GET", "vouchers", 200, params=vouchers).json()
    assert listed["loyaltySubscriptionId"] == subscription
    call("listContactVouchers", "GET", "vouchers", 422, valid=False, params={"contactId": 0})
    call("listContactVouchers", "GET", "vouchers", 422, valid=False)

    call("validateReward", "POST", "rewards/validate", 200, json={"code": "ONLY-CODE"})
    call("validateReward", "POST", "rewards/validate", 422, json={})
    call("validateReward", "POST", "rewards/validate", 404, json={"contactId": 5, "rewardId": "x"})

    redeem = {"attributedRewardId": first["id"], "contactId": 5, "ttl": 60}
    pending = call("createRedeemRequest", "POST", "rewards/redeem", 200, json=redeem).json()
    call("createRedeemRequest", "POST", "rewards/redeem", 422, json={"contactId": 5})
    call(
        "createRedeemRequest",
        "POST",
        "rewards/redeem",
        422,
        valid=False,
        json={**redeem, "ttl": -1},
    )
    call("createRedeemRequest", "POST", "rewards/redeem", 412, json={**redeem, "contactId": 9})
    call(
        "createRedeemRequest",
        "POST",
        "rewards/redeem",
        404,
        json={**redeem, "attributedRewardId": ZERO_UUID},
    )
    stale = call("createRedeemRequest", "POST", "rewards/redeem", 200, json=redeem).json()
    clock.advance(seconds=61)
    call("completeRedeemRequest", "POST", f"rewards/redeem/{stale['id']}/complete", 417)
    pending = call("createRedeemRequest", "POST", "rewards/redeem", 200, json=redeem).json()
    call("completeRedeemRequest", "POST", f"rewards/redeem/{pending['id']}/complete", 200)
    call("completeRedeemRequest", "POST", f"rewards/redeem/{pending['id']}/complete", 417)
    call("completeRedeemRequest", "POST", "rewards/redeem/unknown/complete", 404)
    call("createRedeemRequest", "POST", "rewards/redeem", 412, json=redeem)

    call(
        "revokeVouchers",
        "DELETE",
        "rewards/revoke",
        204,
        params={"attributedRewardIds": first["id"]},
    )
    call(
        "revokeVouchers", "DELETE", "rewards/revoke", 404, params={"attributedRewardIds": ZERO_UUID}
    )
    call("revokeVouchers", "DELETE", "rewards/revoke", 422, valid=False)

    # Authentication, authorization and unknown programs.
    call("listRewards", "GET", "offers", 401, headers={"api-key": "wrong"})
    key = http.headers.pop("api-key")
    call("listRewards", "GET", "offers", 401, valid=False)
    http.headers["api-key"] = key
    locked = sandbox.create_program(allowed_keys=["someone-else"])
    root = "http://sandbox.test/v3/loyalty/offer/programs"
    call("listRewards", "GET", f"{root}/{locked}/offers", 403)
    call("listRewards", "GET", f"{root}/{ZERO_UUID}/offers", 404)
    call("listRewards", "GET", f"{root}/not-a-uuid/offers", 422, valid=False)
    sandbox.fail_next()
    call("getReward", "GET", f"rewards/{rid}", 500)

    operations = {op for op, _ in call.seen}
    assert len(operations) == 10
    statuses = {status for _, status in call.seen}
    assert statuses == {200, 204, 400, 401, 403, 404, 412, 417, 422, 424, 500}


def test_the_check_rejects_a_response_that_breaks_the_spec(program_id: str) -> None:
    """The conformance check has teeth: a wrongly typed field or undeclared status fails it."""
    url = f"https://api.brevo.com/v3/loyalty/offer/programs/{program_id}/code-pools/p/codes-count"
    headers = {"api-key": "k"}
    json_type = {"content-type": "application/json"}
    check_exchange("GET", url, headers, None, 200, json_type, b'{"count":3}')
    for status, body in [(200, b'{"count":"three"}'), (418, b"{}")]:
        try:
            check_exchange("GET", url, headers, None, status, json_type, body)
        except AssertionError:
            raise
        except Exception:
            continue
        raise AssertionError(f"{status} {body!r} passed the check")
