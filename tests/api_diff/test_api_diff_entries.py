"""One entry per user-visible change: HTTP and Python changes of one origin merged, named by
what users call, with the spec's description; the SemVer bump; the changelog draft."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from scripts import _api_diff_version as semver
from scripts._api_diff_entries import Entry, build, snake
from scripts._api_diff_http import diff_specs
from scripts._api_diff_python import SurfaceChange, diff_packages
from scripts._api_diff_render import Report, bump_line, changelog, markdown
from scripts._api_diff_rules import Classification

from .surface_fixture import FILES, edited, write
from .test_api_diff_mutations import GEN_CLIENT, LIST, PACKAGES, REQUEST, SURFACE

B, R, N = Classification.BREAKING, Classification.REVIEW, Classification.NON_BREAKING
OFFERS = "/loyalty/offer/programs/{pid}/offers"
METHODS = {
    "list_rewards": [
        "brevo_loyalty.Rewards.list_rewards",
        "brevo_loyalty.AsyncRewards.list_rewards",
    ]
}
GENERATED = (
    "brevo_loyalty_api.api.rewards.list_rewards.{sync, sync_detailed, asyncio, asyncio_detailed}"
)
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        OFFERS: {
            "get": {
                "operationId": "listRewards",
                "summary": "List rewards",
                "description": "Returns one page of the program's rewards.",
                "parameters": [
                    {"name": "limit", "in": "query", "description": "Page size.",
                     "schema": {"type": "integer"}},
                ],
                "responses": {"200": {"description": "OK"}},
            },
            "post": {
                "operationId": "createReward",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/CreateRewardRequest"}}},
                },
                "responses": {"200": {"description": "OK"}},
            },
        }
    },
    "components": {
        "schemas": {
            "CreateRewardRequest": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": "Internal reward name."},
                    "publicName": {"type": "string", "description": "Customer-facing name."},
                },
            }
        }
    },
}  # fmt: skip


def _python(tmp_path: Path, edits: list[tuple[str, str, str | None]]) -> list[SurfaceChange]:
    old = write(tmp_path / "old", dict(FILES))
    new = write(tmp_path / "new", edited(edits))
    roots = [Path("overlays"), Path("generated")]
    return diff_packages(PACKAGES, [old / r for r in roots], [new / r for r in roots])


def _entries(
    tmp_path: Path, edits: list[tuple[str, str, str | None]], new_spec: dict[str, Any]
) -> list[Entry]:
    http = diff_specs(SPEC, new_spec)
    return build(http, _python(tmp_path, edits), [new_spec, SPEC], METHODS)


def _spec() -> dict[str, Any]:
    return copy.deepcopy(SPEC)


def test_a_new_query_parameter_is_one_entry_named_by_the_client_methods(tmp_path: Path) -> None:
    spec = _spec()
    spec["paths"][OFFERS]["get"]["parameters"].append(
        {"name": "name", "in": "query", "description": "Only rewards whose name contains this.",
         "schema": {"type": "string"}}
    )  # fmt: skip
    keyword = "limit: int = 25"
    edits: list[tuple[str, str, str | None]] = [
        (SURFACE, keyword, keyword + ", name: str | None = None"),
        (LIST, "state: RewardState | Unset = UNSET\n",
         "state: RewardState | Unset = UNSET, name: str | Unset = UNSET\n"),
    ]  # fmt: skip
    (entry,) = _entries(tmp_path, edits, spec)
    assert entry.subjects == ["Rewards.list_rewards", "AsyncRewards.list_rewards"]
    assert entry.title == "`Rewards.list_rewards` / `AsyncRewards.list_rewards`"
    assert entry.change == "new keyword `name`"
    assert entry.description == "Only rewards whose name contains this."
    assert [c.rule for c in entry.http] == ["parameter-added-optional"]
    assert entry.also == [GENERATED]
    assert (entry.classification, entry.section, entry.operation) == (N, "Added", "listRewards")
    assert len(entry.python) == 6  # 2 methods + 4 generated functions, one entry


def test_a_field_that_became_required_is_one_breaking_entry_with_its_description(
    tmp_path: Path,
) -> None:
    spec = _spec()
    spec["components"]["schemas"]["CreateRewardRequest"]["required"].append("publicName")
    edits: list[tuple[str, str, str | None]] = [
        (REQUEST, "    name: str\n", "    name: str\n    public_name: str\n"),
        (REQUEST, '    public_name: str | Unset = UNSET\n    """ Customer-facing name. """\n', ""),
    ]
    (entry,) = _entries(tmp_path, edits, spec)
    assert entry.subjects == ["models.CreateRewardRequest.public_name"]
    assert entry.change.startswith("`public_name` is now required")
    assert "positional order (name, public_description, public_name)" in entry.change
    assert entry.description == "Customer-facing name."
    assert [(c.operation, c.rule, c.location) for c in entry.http] == [
        ("createReward", "request-field-became-required", "CreateRewardRequest.publicName")
    ]
    assert (entry.classification, entry.section) == (B, "Changed")
    assert {"public_name", "createReward"} <= entry.names


def test_a_renamed_parameter_is_one_changed_entry(tmp_path: Path) -> None:
    spec = _spec()
    spec["paths"][OFFERS]["get"]["parameters"][0]["name"] = "pageSize"
    edits: list[tuple[str, str, str | None]] = [
        (LIST, "limit: int | Unset = 25", "page_size: int | Unset = 25")
    ]
    (entry,) = _entries(tmp_path, edits, spec)
    assert entry.subjects == [GENERATED]
    assert entry.names == {"list_rewards", "listRewards"}
    assert entry.change == "new keyword `page_size`; parameter `limit` removed"
    assert [c.rule for c in entry.http] == ["parameter-renamed"]
    assert (entry.classification, entry.section, entry.description) == (B, "Changed", "Page size.")


def test_an_http_change_without_python_change_is_named_by_the_client_methods(
    tmp_path: Path,
) -> None:
    spec = _spec()
    spec["paths"][OFFERS]["get"]["responses"]["202"] = {"description": "Accepted"}
    (entry,) = _entries(tmp_path, [], spec)
    assert entry.subjects == ["Rewards.list_rewards", "AsyncRewards.list_rewards"]
    assert entry.change == "response 202: status `202` added"
    assert (entry.classification, entry.section) == (R, "Added")


def test_python_only_changes_carry_their_docstring(tmp_path: Path) -> None:
    edits: list[tuple[str, str, str | None]] = [(SURFACE, "limit: int = 25", "limit: int = 50")]
    (entry,) = _entries(tmp_path, edits, _spec())
    assert entry.subjects == ["Rewards.list_rewards", "AsyncRewards.list_rewards"]
    assert entry.change == "`limit` default `25` → `50`"
    assert entry.description == "page size, 1 to 100."
    assert entry.http == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [("publicImageUrl", "public_image_url"), ("cpid", "cpid"), ("HTTPCode", "http_code"),
     ("page-size", "page_size")],
)  # fmt: skip
def test_snake(name: str, expected: str) -> None:
    assert snake(name) == expected


# -- SemVer -------------------------------------------------------------------------------------


def _entry(classification: Classification, section: str) -> Entry:
    return Entry(["Rewards.x"], "changed", classification, section)


@pytest.mark.parametrize(
    ("entries", "level"),
    [
        ([], None),
        ([_entry(N, "Changed")], "patch"),
        ([_entry(N, "Changed"), _entry(N, "Added")], "minor"),
        ([_entry(N, "Deprecated")], "minor"),
        ([_entry(R, "Changed")], "minor"),
        ([_entry(N, "Added"), _entry(B, "Removed")], "major"),
    ],
)
def test_required_bump(entries: list[Entry], level: str | None) -> None:
    assert semver.required(entries) == level


@pytest.mark.parametrize(
    ("version", "level", "bumped"),
    [
        ("1.4.2", "major", "2.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("1.4.2", "patch", "1.4.3"),
        ("0.1.0", "major", "0.2.0"),  # 0.x: a breaking change asks for minor
        ("0.1.3", "minor", "0.1.4"),  # ... and a feature for patch
        ("0.1.3", "patch", "0.1.4"),
        ("v2.0.0rc1", "major", "3.0.0"),
    ],
)
def test_bump(version: str, level: str, bumped: str) -> None:
    assert semver.bump(version, level) == bumped


def test_satisfies_and_read_version() -> None:
    assert semver.satisfies("0.1.0", "0.2.0", "major")
    assert semver.satisfies("0.1.0", "1.0.0", "major")
    assert not semver.satisfies("0.1.0", "0.1.5", "major")
    assert not semver.satisfies("1.2.0", "1.9.0", "major")
    assert semver.read_version('"""Doc."""\n\n__version__ = "0.3.1"\n') == "0.3.1"
    assert semver.read_version("x = 1\n") is None
    with pytest.raises(ValueError, match="SemVer"):
        semver.parse("one")


def test_bump_line_names_the_0x_rule() -> None:
    report = Report("a", "b", [], [], entries=[_entry(B, "Removed")], versions=("0.1.0", "0.1.0"))
    assert report.bump() == "minor"
    assert bump_line(report) == (
        "SemVer asks for a **minor** bump (a major change, while the version is 0.x): "
        "0.1.0 → 0.2.0."
    )
    released = Report("a", "b", [], [], entries=[_entry(N, "Added")], versions=("1.0.0", "1.1.0"))
    assert bump_line(released) == (
        "SemVer asks for a **minor** bump: 1.0.0 → 1.1.0; the version is 1.1.0."
    )


# -- changelog ----------------------------------------------------------------------------------


def _added(name: str, kind: str = "class") -> Entry:
    change = SurfaceChange("brevo_loyalty", f"brevo_loyalty.{name}", "python-object-added", "")
    return Entry([name], f"new {kind}", N, "Added", python=[change])


def test_changelog_groups_by_section_and_summarises_many_plain_additions() -> None:
    entries = [_added(n) for n in ("Rewards", "AsyncRewards", "RetryPolicy", "APIResponse")]
    entries += [_added(n) for n in ("APIError", "NotFoundError", "RateLimitError", "FooError")]
    entries += [_added("demo", "module")]
    breaking = Entry(
        ["Rewards.list_rewards", "AsyncRewards.list_rewards"], "keyword `limit` removed", B,
        "Removed", description="Page size.",
    )  # fmt: skip
    text = changelog(Report("a", "b", [], [], entries=[*entries, breaking]))
    assert text == (
        "### Added\n\n"
        "- `demo`: new module\n"
        "- 4 new classes in `brevo_loyalty`: `Rewards`, `AsyncRewards`, `RetryPolicy`, "
        "`APIResponse`.\n"
        "- 4 new exceptions in `brevo_loyalty`: `APIError`, `NotFoundError`, `RateLimitError`, "
        "`FooError`.\n\n"
        "### Removed\n\n"
        "- **Breaking:** `Rewards.list_rewards` / `AsyncRewards.list_rewards`: keyword `limit` "
        "removed — Page size.\n"
    )


def test_markdown_leads_with_what_users_see(tmp_path: Path) -> None:
    spec = _spec()
    spec["paths"][OFFERS]["get"]["parameters"][0]["required"] = True
    http = diff_specs(SPEC, spec)
    entries = build(http, [], [spec, SPEC], METHODS)
    text = markdown(Report("a", "b", http, [], entries=entries, versions=("1.0.0", "1.0.0")))
    lines = text.splitlines()
    assert lines[2].startswith("**1 breaking change(s)**")
    assert lines[4] == "SemVer asks for a **major** bump: 1.0.0 → 2.0.0."
    assert "### What users see" in lines
    assert (
        "| breaking | Changed | `Rewards.list_rewards` / `AsyncRewards.list_rewards` | "
        "query parameter limit: `limit` is now required — Page size. | `listRewards` |"
    ) in lines
    assert lines.index("<details><summary>Every change, rule by rule</summary>") > lines.index(
        "### What users see"
    )


def test_constructor_arguments_changed_alike_are_one_entry(tmp_path: Path) -> None:
    edits: list[tuple[str, str, str | None]] = [
        (GEN_CLIENT, 'base_url: str, token: str = ""', '*, base_url: str, token: str = ""')
    ]
    (entry,) = _entries(tmp_path, edits, _spec())
    assert entry.subjects == ["brevo_loyalty_api.Client"]
    assert entry.change == (
        "constructor arguments `base_url`, `token` were positional or keyword, now keyword-only"
    )
    assert (entry.classification, entry.section, len(entry.python)) == (B, "Changed", 2)


def test_a_body_field_is_one_entry_with_the_method_keyword_and_the_model_field(
    tmp_path: Path,
) -> None:
    # The client flattens the request body into keywords: a new body field is a new keyword of
    # Rewards.create_reward and a new field of the model; one entry, named by the method.
    spec = _spec()
    spec["components"]["schemas"]["CreateRewardRequest"]["properties"]["tier"] = {
        "type": "string",
        "description": "Loyalty tier the reward is for.",
    }
    method = (
        "    def create_reward(self, *, program_id: str, name: str, tier: str | None = None)"
        ' -> None:\n        """Create."""\n\n'
    )
    before = method.replace(", tier: str | None = None", "")
    mixin = "class RewardsOperations:\n"
    old = write(tmp_path / "old", edited([(SURFACE, mixin, mixin + before)]))
    field = "    public_description:"
    new_field = "    tier: str | Unset = UNSET\n" + field
    new = write(
        tmp_path / "new", edited([(SURFACE, mixin, mixin + method), (REQUEST, field, new_field)])
    )
    roots = [Path("overlays"), Path("generated")]
    python = diff_packages(PACKAGES, [old / r for r in roots], [new / r for r in roots])
    (entry,) = build(diff_specs(SPEC, spec), python, [spec, SPEC], METHODS)
    assert entry.subjects == ["Rewards.create_reward"]
    assert entry.change == "new keyword `tier`"
    assert entry.also == ["models.CreateRewardRequest.tier"]
    assert entry.description == "Loyalty tier the reward is for."
    assert [(c.rule, c.location) for c in entry.http] == [
        ("request-field-added-optional", "CreateRewardRequest.tier")
    ]
    # Inserted before public_description: positional construction of the model shifts.
    assert (entry.classification, entry.section) == (R, "Added")
