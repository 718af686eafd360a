"""Responses from a newer server (unknown enum values, extra fields, odd timestamps) still parse."""

from __future__ import annotations

import pytest
from brevo_loyalty_api.models import ExpirationModifier, Reward, RewardPage, RuleCondition

from ._loopback import KINDS, PID, RID, Kind, LoopbackServer, Reply, call

NEWER_REWARD = {
    "id": RID,
    "name": "Future",
    "expirationModifier": "endOfQuarter",
    "brandNewField": {"nested": [1, 2]},
    "rule": {
        "name": "r",
        "condition": {
            "op": "and",
            "xor": [{"lhs": {"number": 1}}],
            "and": [{"op": "eq", "lhs": {"contactProperty": "tier"}, "rhs": {"string": "gold"}}],
        },
    },
    "createdAt": "2024-01-15T09:30:00Z",
}


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_enum_value_and_extra_fields_are_kept(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply.json(NEWER_REWARD))

    reward = call(kind, server.base_url, "get_reward", {"program_id": PID, "reward_id": RID})

    assert isinstance(reward, Reward)
    assert reward.expiration_modifier == "endOfQuarter"
    assert isinstance(reward.expiration_modifier, ExpirationModifier)
    assert not ExpirationModifier.is_known(reward.expiration_modifier)
    assert ExpirationModifier.is_known("noModification")
    assert reward.additional_properties == {"brandNewField": {"nested": [1, 2]}}
    condition = reward.rule.condition  # type: ignore[union-attr]
    assert isinstance(condition, RuleCondition)
    assert condition.additional_properties == {"xor": [{"lhs": {"number": 1}}]}

    dumped = reward.to_dict()
    assert dumped["expirationModifier"] == "endOfQuarter"
    assert dumped["brandNewField"] == {"nested": [1, 2]}
    assert dumped["rule"]["condition"]["xor"] == [{"lhs": {"number": 1}}]
    assert dumped["rule"]["condition"]["and"] == NEWER_REWARD["rule"]["condition"]["and"]  # type: ignore[index]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", ["", None, "not a date", "2024-13-45T99:00:00Z", 17])
def test_odd_timestamps_are_kept_as_they_arrived(
    kind: Kind, value: object, server: LoopbackServer
) -> None:
    server.enqueue(
        Reply.json(
            {
                "id": RID,
                "name": "n",
                "createdAt": value,
                "disabledAt": value,
                "endDate": value,
                "limits": [{"createdAt": value}],
            }
        )
    )

    reward = call(kind, server.base_url, "get_reward", {"program_id": PID, "reward_id": RID})

    assert reward.created_at == value
    assert reward.disabled_at == value
    assert reward.end_date == value
    assert reward.limits[0].created_at == value
    # to_dict() never sends null: a null field is left out.
    assert reward.to_dict().get("createdAt") == value
    assert ("createdAt" in reward.to_dict()) is (value is not None)


def test_page_items_with_unknown_state_and_extra_fields(server: LoopbackServer) -> None:
    server.enqueue(
        Reply.json(
            {
                "items": [
                    {"id": "r1", "name": "n", "state": "archived", "tier": 3, "createdAt": ""}
                ],
                "totalCount": 1,
                "cursor": "abc",
            }
        )
    )

    page = call("sync", server.base_url, "list_rewards", {"program_id": PID})

    assert isinstance(page, RewardPage)
    assert page.additional_properties == {"cursor": "abc"}
    item = page.items[0]
    assert item.state == "archived"
    assert item.additional_properties == {"tier": 3}
    assert item.created_at == ""
