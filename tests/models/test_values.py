"""Models behave as values: a short repr, ==, and pickle / deepcopy round-trips that stay equal.

Every response model is checked on a full body built from the spec (every field set at every
depth), so a new field or model is covered without editing this file.
"""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import brevo_loyalty_api.models as models
import pytest
from brevo_loyalty_api.models import (
    ExpirationModifier,
    Reward,
    RewardPage,
    RewardPageItem,
    RewardStateFilter,
)

from ._spec_bodies import full_body, response_models

SEED = Path(__file__).resolve().parents[2] / "spec" / "sources" / "seed-reward-example.json"


def _parsed(name: str) -> Any:
    return getattr(models, name).from_dict(full_body(name))


@pytest.mark.parametrize("name", response_models())
def test_pickle_and_deepcopy_stay_equal_and_serialisable(name: str) -> None:
    original = _parsed(name)
    for twin in (
        pickle.loads(pickle.dumps(original)),
        copy.deepcopy(original),
        copy.copy(original),
    ):
        assert twin == original
        assert twin.to_dict() == original.to_dict()
        # Nothing but JSON types in the result (a lost sentinel would fail here).
        assert json.loads(json.dumps(twin.to_dict())) == full_body(name)


def test_a_model_differs_from_one_with_another_value() -> None:
    one = Reward.from_dict({"id": "r-1", "name": "A"})
    assert one == Reward(id="r-1", name="A")
    assert one != Reward(id="r-1", name="B")
    assert one != Reward.from_dict({"id": "r-1", "name": "A", "extra": 1})


def test_the_seed_example_round_trips_through_pickle() -> None:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    reward = Reward.from_dict(seed)
    again = pickle.loads(pickle.dumps(reward))
    assert again == reward
    assert again.to_dict() == reward.to_dict()
    json.dumps(again.to_dict())


def test_repr_shows_only_the_fields_that_are_set() -> None:
    reward = Reward.from_dict({"id": "r-1", "name": "Gift", "publicName": None, "tier": 3})
    assert repr(reward) == "Reward(id='r-1', name='Gift', additional_properties={'tier': 3})"
    assert repr(Reward(id="r-1", name="Gift")) == "Reward(id='r-1', name='Gift')"


def test_repr_is_recursive_and_abridges_long_lists() -> None:
    page = RewardPage(
        items=[RewardPageItem(id=f"r{n}", name="N") for n in range(1000)], total_count=1000
    )
    text = repr(page)
    assert text == (
        "RewardPage(items=[RewardPageItem(id='r0', name='N'), RewardPageItem(id='r1', name='N'), "
        "RewardPageItem(id='r2', name='N'), ...997 more], total_count=1000)"
    )


@pytest.mark.parametrize("name", response_models())
def test_repr_never_shows_an_unset_field(name: str) -> None:
    model: Any = getattr(models, name)
    required = {key: value for key, value in full_body(name).items() if key in _required(name)}
    text = repr(model.from_dict(required))
    assert "None" not in text
    assert "Unset" not in text
    assert text.startswith(f"{name}(")


def _required(name: str) -> set[str]:
    from ._spec_bodies import schemas

    return set(schemas()[name].get("required", ()))


def test_the_seed_repr_has_no_unset_noise() -> None:
    reward = Reward.from_dict(json.loads(SEED.read_text(encoding="utf-8")))
    text = repr(reward)
    assert "Unset" not in text
    assert "=None" not in text
    # Every field of the documentation example is set, at every depth: it stays a few KB.
    assert len(text) < 10_000


@pytest.mark.parametrize("value", ["noModification", "endOfQuarter"])
def test_open_enums_pickle_and_copy(value: str) -> None:
    member = ExpirationModifier(value)
    for twin in (pickle.loads(pickle.dumps(member)), copy.deepcopy(member), copy.copy(member)):
        assert twin == member
        assert type(twin) is ExpirationModifier
        assert ExpirationModifier.is_known(twin) is ExpirationModifier.is_known(member)
    assert pickle.loads(pickle.dumps(ExpirationModifier.NOMODIFICATION)) is (
        ExpirationModifier.NOMODIFICATION
    )
    reward = Reward(id="r", name="n", expiration_modifier=member)
    assert pickle.loads(pickle.dumps(reward)).to_dict()["expirationModifier"] == value


def test_unknown_filter_value_pickles() -> None:
    state = RewardStateFilter("archived")
    assert pickle.loads(pickle.dumps(state)) == "archived"
