"""Every shape of a JSON object reads the same: all fields, some fields, extra keys.

A generated ``from_dict`` reads an object that carries each declared key and no other (the usual
shape) with one call, and any other shape key by key. These tests take the full body of each
model (every field set, so the first way) and change its shape at the top or at any nested object
— drop keys, add keys, put an unknown key in place of a declared one (same size, so the first way
is tried and given up) — and check that the result is what the spec says: ``to_dict()`` gives
back the body exactly (extra keys included), and a missing required field is a ValueError naming
it.
"""

from __future__ import annotations

from typing import Any

import brevo_loyalty_api.models as models
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ._spec_bodies import TIMESTAMP, full_body, response_models, schemas

# Each response model; the objects nested in it are reshaped too (any depth is drawn).
OBJECT_MODELS = response_models()


def _distinct(value: Any, counter: list[int] | None = None) -> Any:
    """``value`` with its free-form leaves made distinct, so that two fields read into each
    other's place cannot go unnoticed (the full body writes the same sample in every field)."""
    counter = [0] if counter is None else counter
    if isinstance(value, dict):
        return {key: _distinct(item, counter) for key, item in value.items()}
    if isinstance(value, list):
        return [_distinct(item, counter) for item in value]
    counter[0] += 1
    n = counter[0]
    if value == "text":
        return f"text-{n}"
    if value == TIMESTAMP:
        return TIMESTAMP.replace(":30:", f":{n % 60:02d}:")
    if type(value) is int:
        return n
    if type(value) is float:
        return n + 0.5
    return value  # enum members, booleans, null


def _objects(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The paths of every JSON object inside ``value`` (itself included)."""
    found: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        found.append(path)
        for key, item in value.items():
            found.extend(_objects(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_objects(item, (*path, index)))
    return found


def _at(body: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        body = body[step]
    return body


def _required_of(path: tuple[str | int, ...], model: str) -> set[str]:
    """The required keys of the object at ``path``: known here only for the top-level object."""
    return set(schemas()[model].get("required", ())) if not path else set()


@st.composite
def _reshaped(draw: st.DrawFn, model: str) -> tuple[dict[str, Any], set[str]]:
    """A full body of ``model`` with one of its objects reshaped; the required keys it lost."""
    body = _distinct(full_body(model))
    path = draw(st.sampled_from(_objects(body)))
    target = _at(body, path)
    keys = sorted(target)
    dropped = draw(st.sets(st.sampled_from(keys), max_size=len(keys))) if keys else set()
    extras = draw(
        st.dictionaries(
            st.text(alphabet="xyzXYZ_", min_size=1, max_size=6).map(lambda k: "zz" + k),
            st.one_of(st.none(), st.integers(), st.text(max_size=5), st.just({"a": [1]})),
            max_size=3,
        )
    )
    if draw(st.booleans()) and keys:
        # An unknown key in place of a declared one: the object keeps its size.
        swapped = draw(st.sampled_from(keys))
        dropped |= {swapped}
        extras = {**extras, "zzInstead": 1}
    for key in dropped:
        del target[key]
    target.update(extras)
    return body, dropped & _required_of(path, model)


@pytest.mark.parametrize("model_name", OBJECT_MODELS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_shape_reads_as_the_spec_says(model_name: str, data: st.DataObject) -> None:
    model: Any = getattr(models, model_name)
    body, lost_required = data.draw(_reshaped(model_name))
    error: ValueError | None = None
    try:
        parsed = model.from_dict(body)
    except ValueError as exc:
        error = exc
    if error is not None:
        # A nested required field may be gone too; the message names the model and the field.
        assert "is required but is missing" in str(error)
        return
    assert not lost_required, f"{sorted(lost_required)} missing, yet {model_name} parsed"
    assert parsed.to_dict() == body


def test_the_full_body_takes_the_one_call_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fast path is real: a full body of a model with it is read by its `_every_field` getter.
    from brevo_loyalty_api.models import reward_page_item

    calls: list[object] = []
    getter = reward_page_item._every_field

    def counting(d: Any) -> Any:
        calls.append(d)
        return getter(d)

    monkeypatch.setattr(reward_page_item, "_every_field", counting)
    body = _distinct(full_body("RewardPageItem"))
    assert models.RewardPageItem.from_dict(body).to_dict() == body
    assert len(calls) == 1
    body["zzExtra"] = 1  # another size: read key by key
    assert models.RewardPageItem.from_dict(body).additional_properties == {"zzExtra": 1}
    assert len(calls) == 1
