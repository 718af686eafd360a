"""A JSON null anywhere in a response body: read as None, the rest of the body intact.

Generated from the spec: for every response schema of every operation, a full body (every field
set, arrays holding one item, the rule tree two levels deep) gets a null at one place at a time —
each field at every depth, and each list item — and is parsed with the generated model's
``from_dict``. A field that is not required reads as None and is left out of ``to_dict()``; a
required one is refused with a ValueError naming ``Model.field`` (the overlay turns it into
ResponseParseError), except a required array, which reads null as ``[]``. A null list item is
dropped, unless the spec lets the items be null (the rule arrays), where it stays None in place.
"""

from __future__ import annotations

import re
from typing import Any

import brevo_loyalty_api.models as models
import pytest

from ._spec_bodies import (
    NullSite,
    expected_after_null,
    full_body,
    null_sites,
    response_models,
    with_null,
)

CASES = [(model, site) for model in response_models() for site in null_sites(model)]


def _attribute(model: Any, field: str) -> str:
    """The Python attribute of JSON field ``field`` (snake case, ``_`` after a reserved word)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", field).lower()
    names = {attribute.name for attribute in model.__attrs_attrs__}
    return snake if snake in names else snake + "_"


def _walk(parsed: Any, site: NullSite) -> tuple[Any, Any]:
    """The parsed object holding the site's field, and the field's value."""
    node = parsed
    for step in site.path[:-1] if not site.item else site.path[:-2]:
        node = node[step] if isinstance(step, int) else getattr(node, _attribute(node, step))
    return node, getattr(node, _attribute(node, site.field))


def test_the_cases_cover_every_response_model_deeply() -> None:
    # The generated cases are only as good as this table.
    assert set(response_models()) >= {"Reward", "RewardPage", "Voucher", "ContactVouchers"}
    labels = {site.label for _, site in CASES}
    assert "rule.condition.and[0].lhs.array[0].expression.args[0]" in labels
    assert "items[0].createdAt" in labels
    assert "contactRewards[0]" in labels
    assert len(CASES) > 300


@pytest.mark.parametrize("model_name", response_models())
def test_the_full_body_parses_and_round_trips(model_name: str) -> None:
    body = full_body(model_name)
    assert getattr(models, model_name).from_dict(body).to_dict() == body


@pytest.mark.parametrize(
    ("model_name", "site"), CASES, ids=[f"{model}:{site.label}" for model, site in CASES]
)
def test_a_null_reads_as_none_and_the_rest_is_intact(model_name: str, site: NullSite) -> None:
    model: Any = getattr(models, model_name)
    body = full_body(model_name)
    nulled = with_null(body, site.path)

    if site.required and not site.is_array:
        with pytest.raises(ValueError, match=rf"^{site.schema_name}\.{site.field} is required"):
            model.from_dict(nulled)
        return

    parsed = model.from_dict(nulled)
    assert parsed.to_dict() == expected_after_null(body, site)
    holder, value = _walk(parsed, site)
    assert type(holder).__name__ == site.schema_name
    if site.item:
        assert isinstance(value, list)
        assert len(value) == (1 if site.item_admits_null else 0)
        if site.item_admits_null:
            assert value == [None]
    elif site.is_array and site.required:
        assert value == []
    else:
        assert value is None
