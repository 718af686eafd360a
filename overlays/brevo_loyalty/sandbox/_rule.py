"""The rule every sandbox reward carries unless configured otherwise.

It touches every branch of the spec's recursive rule schema (``and``/``or`` condition trees,
``lhs op rhs`` comparisons, list and expression operands, nested expression nodes, an event and
results with parameters), so that clients parsing ``getReward`` exercise all recursive models.
"""

from __future__ import annotations

from typing import Any


def default_rule(
    *, rule_id: str, program_id: str, reward_id: str, timestamp: str
) -> dict[str, Any]:
    """Build a complete rule for ``reward_id``: spend 50 as a gold/silver member, or twice 30."""
    doubled_spend = {
        "op": "multiply",
        "description": "twice the order amount",
        "args": [{"op": "var", "string": "amount"}, {"int": 2}],
        "array": [{"float": 1.5}, {"boolean": True}],
    }
    return {
        "ruleId": rule_id,
        "name": "Reward rule",
        "description": "Attribute the reward on qualifying orders.",
        "ruleType": "reward",
        "isInternal": False,
        "loyaltyProgramId": program_id,
        "loyaltyVersionId": 1,
        "meta": {"origin": "sandbox"},
        "createdAt": timestamp,
        "updatedAt": timestamp,
        "event": {"name": "order_completed", "source": "ecommerce"},
        "condition": {
            "or": [
                {
                    "and": [
                        {"lhs": {"eventProperty": "amount"}, "op": ">=", "rhs": {"number": 50.0}},
                        {
                            "lhs": {"contactProperty": "TIER"},
                            "op": "in",
                            "rhs": {"array": [{"string": "gold"}, {"string": "silver"}]},
                        },
                    ]
                },
                {
                    "and": [
                        {"lhs": {"expression": doubled_spend}, "op": ">=", "rhs": {"number": 60.0}},
                        {"lhs": {"date": "2025-01-01"}, "op": "<=", "rhs": {"boolean": True}},
                    ]
                },
            ]
        },
        "results": [
            {
                "service": "reward",
                "action": "attribute",
                "parameters": [
                    {"name": "rewardId", "value": {"string": reward_id}},
                    {"name": "quantity", "value": {"number": 1}},
                ],
            }
        ],
    }
