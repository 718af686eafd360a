"""Deliberate mistakes: each line marked ``expect-error`` must be flagged by mypy and pyright.

Checked by tests/typing/test_typing.py; never run.
"""

from __future__ import annotations

from brevo_loyalty import Rewards
from brevo_loyalty.models import Reward

PID = "5e6f33d1-99b1-4244-a573-942498a4a201"
RID = "00000000-0000-4000-8000-000000000000"


def mistakes(client: Rewards, reward: Reward) -> None:
    """Misspelled keywords and attributes, an invalid literal, a possibly-missing field."""
    raw = client.with_raw_response.get_reward(program_id=PID, reward_id=RID, oops=1)  # expect-error
    print(raw.parse().nmae)  # expect-error
    print(raw.status_cod)  # expect-error
    client.list_rewards(program_id=PID, state="actve")  # expect-error
    client.list_contact_vouchers(program_id=PID, contact_id=1, sort="up")  # expect-error
    client.get_reward(program_id=PID)  # expect-error
    client.create_reward(program_id=PID, name=3)  # expect-error
    print(reward.naem)  # expect-error
    length: int = len(reward.public_name)  # expect-error
    print(length)
