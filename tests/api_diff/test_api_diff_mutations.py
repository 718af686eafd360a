"""The Python-surface differ against mutations of a miniature of both packages, each with the
changes (public path, rule) it must report, exactly, and its worst classification.

The miniature (tests/api_diff/surface_fixture.py) has the project's shape: clients whose
operation methods are inherited from generated mixins, attrs models re-exported by a real
``brevo_loyalty.models`` module, four generated functions per operation, an exception hierarchy.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from scripts._api_diff_python import SurfaceChange, compare_types, diff_packages, members
from scripts._api_diff_rules import Classification

from .surface_fixture import FILES, edited, write

B, R, N = Classification.BREAKING, Classification.REVIEW, Classification.NON_BREAKING
PACKAGES = ["brevo_loyalty", "brevo_loyalty_api"]
SURFACE = "generated/brevo_loyalty_api/_surface.py"
CLIENT = "overlays/brevo_loyalty/_client.py"
BASE = "overlays/brevo_loyalty/_base_client.py"
ERRORS = "overlays/brevo_loyalty/_exceptions.py"
INIT = "overlays/brevo_loyalty/__init__.py"
REWARD = "generated/brevo_loyalty_api/models/reward.py"
REQUEST = "generated/brevo_loyalty_api/models/create_reward_request.py"
STATE = "generated/brevo_loyalty_api/models/reward_state.py"
MODELS = "generated/brevo_loyalty_api/models/__init__.py"
LIST = "generated/brevo_loyalty_api/api/rewards/list_rewards.py"
GEN_CLIENT = "generated/brevo_loyalty_api/client.py"
FLAVOURS = ("sync", "sync_detailed", "asyncio", "asyncio_detailed")
SYNC_LIST = "    def list_rewards(\n        self, *, program_id: UUID | str, limit: int = 25"
ASYNC_LIST = "    async def list_rewards(\n        self, *, program_id: UUID | str, limit: int = 25"
GET_SORT = 'sort: Literal["asc", "desc"] = "asc"'


class Mutation(NamedTuple):
    name: str
    edits: list[tuple[str, str, str | None]]
    expected: set[tuple[str, str]]
    """Every (public path, rule) reported, exactly."""
    worst: Classification | None


def both(member: str, rule: str) -> set[tuple[str, str]]:
    """The change on ``Rewards.<member>`` and ``AsyncRewards.<member>``."""
    return {(f"brevo_loyalty.{c}.{member}", rule) for c in ("Rewards", "AsyncRewards")}


def four(rule: str) -> set[tuple[str, str]]:
    """The change on the four generated functions of list_rewards."""
    return {(f"brevo_loyalty_api.api.rewards.list_rewards.{f}", rule) for f in FLAVOURS}


def everywhere(old: str, new: str) -> list[tuple[str, str, str | None]]:
    """Replace ``old`` by ``new`` in the four generated functions (every occurrence)."""
    return [(LIST, old, new)]


MUTATIONS = [
    # -- inherited members (the operation methods live in generated mixins) -----------------
    Mutation(
        "inherited method gains an optional keyword",
        [
            (SURFACE, SYNC_LIST, SYNC_LIST + ", name: str | None = None"),
            (SURFACE, ASYNC_LIST, ASYNC_LIST + ", name: str | None = None"),
        ],
        both("list_rewards", "python-parameter-added"),
        N,
    ),
    Mutation(
        "a method added to the shared base class",
        [
            (
                BASE,
                "    def _private",
                "    def with_raw_response(self) -> Self:\n"
                '        """Raw."""\n        return self\n\n    def _private',
            )
        ],
        both("with_raw_response", "python-object-added"),
        N,
    ),
    Mutation(
        "an inherited operation method removed",
        [(SURFACE, "    def get_reward(", "    def _get_reward(")],  # the sync one only
        {("brevo_loyalty.Rewards.get_reward", "python-object-removed")},
        B,
    ),
    Mutation(
        "the client stops inheriting the mixin",
        [(CLIENT, "class Rewards(BaseClient, RewardsOperations):", "class Rewards(BaseClient):")],
        {
            ("brevo_loyalty.Rewards.list_rewards", "python-object-removed"),
            ("brevo_loyalty.Rewards.get_reward", "python-object-removed"),
        },
        B,
    ),
    Mutation(
        "an operation method moved from the client into the mixin (a refactor)",
        [
            (CLIENT, '    def close(self) -> None:\n        """Close the connections."""\n', ""),
            (
                CLIENT,
                "class Rewards(BaseClient, RewardsOperations):\n",
                "class Rewards(BaseClient, RewardsOperations):\n    def close(self) -> None:\n"
                '        """Close the connections."""\n\n',
            ),
            (
                SURFACE,
                "class RewardsOperations:\n",
                "class RewardsOperations:\n    def close(self) -> None:\n"
                '        """Close the connections."""\n\n',
            ),
        ],
        set(),
        None,
    ),
    # -- signatures ---------------------------------------------------------------------------
    Mutation(
        "an optional keyword becomes required",
        [(SURFACE, "reward_id: str,\n", "reward_id: str, shop: str,\n")],
        both("get_reward", "python-parameter-added-required"),
        B,
    ),
    Mutation(
        "a default removed: the keyword is required now",
        [(SURFACE, "limit: int = 25", "limit: int")],
        both("list_rewards", "python-parameter-changed-required"),
        B,
    ),
    Mutation(
        "a default changed",
        [(SURFACE, "limit: int = 25", "limit: int = 50")],
        both("list_rewards", "python-parameter-changed-default"),
        R,
    ),
    Mutation(
        "an annotation narrowed (X | None -> X)",
        [(SURFACE, "state: Optional[str] = None", 'state: str = "all"')],
        both("list_rewards", "python-parameter-type-narrowed")
        | both("list_rewards", "python-parameter-changed-default"),
        B,
    ),
    Mutation(
        "an annotation narrowed (UUID | str -> UUID)",
        [(SURFACE, "program_id: UUID | str, limit", "program_id: UUID, limit")],
        both("list_rewards", "python-parameter-type-narrowed"),
        B,
    ),
    Mutation(
        "an annotation widened (int -> int | None)",
        [(SURFACE, "limit: int = 25", "limit: int | None = 25")],
        both("list_rewards", "python-parameter-type-widened"),
        N,
    ),
    Mutation(
        "a Literal gains a member",
        [(SURFACE, GET_SORT, 'sort: Literal["asc", "desc", "random"] = "asc"')],
        both("get_reward", "python-parameter-type-widened"),
        N,
    ),
    Mutation(
        "a Literal loses a member",
        [(SURFACE, GET_SORT, 'sort: Literal["asc"] = "asc"')],
        both("get_reward", "python-parameter-type-narrowed"),
        B,
    ),
    Mutation(
        "Optional[X] spelled X | None, datetime.datetime spelled datetime (no change)",
        [
            (SURFACE, "state: Optional[str] = None", "state: str | None = None"),
            (REWARD, "created_at: datetime.datetime", "created_at: datetime"),
        ],
        set(),
        None,
    ),
    Mutation(
        "a return annotation widened (may return None)",
        [(SURFACE, ") -> Reward:", ") -> Reward | None:")],
        both("get_reward", "python-return-type-widened"),
        B,
    ),
    Mutation(
        "a return annotation narrowed (never None any more)",
        [(LIST, ") -> list[Reward] | None:", ") -> list[Reward]:")],
        {
            (f"brevo_loyalty_api.api.rewards.list_rewards.{f}", "python-return-type-narrowed")
            for f in ("sync", "asyncio")
        },
        N,
    ),
    Mutation(
        "keyword-only becomes positional-or-keyword (widened)",
        [(ERRORS, "message: str, *, status: int", "message: str, status: int")],
        {
            (f"brevo_loyalty.{e}", "python-parameter-kind-widened")
            for e in ("APIError", "NotFoundError")
        },
        N,
    ),
    Mutation(
        "positional-or-keyword becomes keyword-only",
        [(ERRORS, "message: str, *, status: int", "*, message: str, status: int")],
        {
            (f"brevo_loyalty.{e}", "python-parameter-changed-kind")
            for e in ("APIError", "NotFoundError")
        },
        B,
    ),
    Mutation(
        "positional parameters swapped",
        [(GEN_CLIENT, 'base_url: str, token: str = ""', 'token: str = "", base_url: str = ""')],
        {
            ("brevo_loyalty_api.Client", "python-parameter-moved"),
            ("brevo_loyalty_api.Client", "python-parameter-became-optional"),
        },
        B,
    ),
    Mutation(
        "a method becomes a coroutine function",
        [(CLIENT, "    def close(self)", "    async def close(self)")],
        {("brevo_loyalty.Rewards.close", "python-function-changed-async")},
        B,
    ),
    Mutation(
        "a method becomes a property",
        [(CLIENT, "    def close(self)", "    @property\n    def close(self)")],
        {("brevo_loyalty.Rewards.close", "python-object-changed-kind")},
        B,
    ),
    Mutation(
        "a parameter renamed",
        [(SURFACE, "limit: int = 25", "page_size: int = 25")],
        both("list_rewards", "python-parameter-removed")
        | both("list_rewards", "python-parameter-added"),
        B,
    ),
    Mutation(
        "deprecated",
        [
            (CLIENT, "    def close(self)", "    @deprecated('use with')\n    def close(self)"),
            (
                CLIENT,
                "from ._base_client",
                "from typing_extensions import deprecated\n\nfrom ._base_client",
            ),
        ],
        {("brevo_loyalty.Rewards.close", "python-object-deprecated")},
        N,
    ),
    # -- generated functions ------------------------------------------------------------------
    Mutation(
        "generated functions gain an optional query parameter",
        everywhere(
            "state: RewardState | Unset = UNSET",
            "state: RewardState | Unset = UNSET, name: str | Unset = UNSET",
        ),
        four("python-parameter-added"),
        N,
    ),
    Mutation(
        "a generated path parameter's type changes (format: uuid dropped)",
        everywhere("pid: UUID, *", "pid: str, *"),
        four("python-parameter-type-changed"),
        B,
    ),
    # -- models (attrs: the constructor is made of the annotated fields) ----------------------
    Mutation(
        "a request field becomes required (required fields come first)",
        [
            (REQUEST, "    name: str\n", "    name: str\n    public_name: str\n"),
            (
                REQUEST,
                '    public_name: str | Unset = UNSET\n    """ Customer-facing name. """\n',
                "",
            ),
        ],
        {
            ("brevo_loyalty.models.CreateRewardRequest.public_name", r)
            for r in (
                "python-parameter-changed-required",
                "python-field-order-changed",
                "python-parameter-type-narrowed",
                "python-attribute-type-narrowed",
            )
        },
        B,
    ),
    Mutation(
        "an optional field added",
        [(REWARD, "    public_image:", "    tier: str | Unset = UNSET\n    public_image:")],
        {
            ("brevo_loyalty.models.Reward.tier", "python-parameter-added"),
            ("brevo_loyalty.models.Reward.tier", "python-field-order-changed"),
        },
        R,  # inserted before public_image: Reward(id, name, created_at, image) now sets tier
    ),
    Mutation(
        "an optional field appended",
        [
            (
                REWARD,
                "    additional_properties:",
                "    tier: str | Unset = UNSET\n    additional_properties:",
            )
        ],
        {("brevo_loyalty.models.Reward.tier", "python-parameter-added")},
        N,
    ),
    Mutation(
        "a field removed",
        [
            (
                REWARD,
                '    public_image: str | Unset = UNSET\n    """ URL of the public image. """\n',
                "",
            )
        ],
        {("brevo_loyalty.models.Reward.public_image", "python-parameter-removed")},
        B,
    ),
    Mutation(
        "a field's type changes (format: uuid added)",
        [(REWARD, "    id: str\n", "    id: UUID\n")],
        {
            ("brevo_loyalty.models.Reward.id", "python-parameter-type-changed"),
            ("brevo_loyalty.models.Reward.id", "python-attribute-changed-type"),
        },
        B,
    ),
    Mutation(
        "a field that is not a constructor argument (init=False) added",
        [
            (
                REWARD,
                "    additional_properties:",
                "    raw: dict[str, object] = "
                "_attrs_field(init=False, factory=dict)\n    additional_properties:",
            )
        ],
        {("brevo_loyalty.models.Reward.raw", "python-object-added")},
        N,
    ),
    Mutation(
        "an open enum gains a value",
        [(STATE, '    ALL = "all"\n', '    ALL = "all"\n    ARCHIVED = "archived"\n')],
        {("brevo_loyalty.models.RewardState.ARCHIVED", "python-object-added")},
        N,
    ),
    Mutation(
        "an enum member's value changes",
        [(STATE, 'ALL = "all"', 'ALL = "any"')],
        {("brevo_loyalty.models.RewardState.ALL", "python-attribute-changed-value")},
        R,
    ),
    Mutation(
        "a model renamed (same fields)",
        [
            (REQUEST, "class CreateRewardRequest:", "class NewRewardRequest:"),
            (
                MODELS,
                "from .create_reward_request import CreateRewardRequest",
                "from .create_reward_request import NewRewardRequest",
            ),
            (MODELS, '__all__ = ("CreateRewardRequest",', '__all__ = ("NewRewardRequest",'),
        ],
        {
            ("brevo_loyalty.models.CreateRewardRequest", "python-object-removed"),
            ("brevo_loyalty.models.NewRewardRequest", "python-object-added"),
        },
        B,
    ),
    # -- exceptions ---------------------------------------------------------------------------
    Mutation(
        "an exception's base class changes",
        [(ERRORS, "class NotFoundError(APIError):", "class NotFoundError(BrevoLoyaltyError):")],
        # (Its constructor is now Exception's, which a static reading cannot compare.)
        {
            ("brevo_loyalty.NotFoundError", "python-class-removed-base"),
            ("brevo_loyalty.NotFoundError.status", "python-object-removed"),
        },
        B,
    ),
    Mutation(
        "an exception gains a base class",
        [(ERRORS, "class NotFoundError(APIError):", "class NotFoundError(APIError, LookupError):")],
        {("brevo_loyalty.NotFoundError", "python-exception-added-base")},
        R,
    ),
    Mutation(
        "a new exception exported",
        [
            (ERRORS, "", '\n\nclass RateLimitError(APIError):\n    """429."""\n'),
            (INIT, "NotFoundError\n", "NotFoundError, RateLimitError\n"),
            (INIT, '    "Rewards",\n', '    "RateLimitError",\n    "Rewards",\n'),
        ],
        {("brevo_loyalty.RateLimitError", "python-object-added")},
        N,
    ),
    # -- modules and __all__ ------------------------------------------------------------------
    Mutation(
        "a name dropped from __all__ (still defined)",
        [(INIT, '    "NotFoundError",\n', "")],
        {("brevo_loyalty.NotFoundError", "python-object-removed")},
        B,
    ),
    Mutation(
        "a generated model module renamed (the model is still re-exported)",
        [
            (REWARD, "", None),
            ("generated/brevo_loyalty_api/models/reward_model.py", "", edited([])[REWARD] or ""),
            (MODELS, "from .reward import Reward", "from .reward_model import Reward"),
            (
                LIST,
                "from ...models.reward import Reward",
                "from ...models.reward_model import Reward",
            ),
        ],
        {
            ("brevo_loyalty_api.models.reward", "python-object-removed"),
            ("brevo_loyalty_api.models.reward_model", "python-object-added"),
        },
        B,
    ),
    Mutation(
        "the models module removed from the overlay",
        [
            ("overlays/brevo_loyalty/models.py", "", None),
            (INIT, "from . import models\n", ""),
            (INIT, '    "models",\n', ""),
        ],
        {("brevo_loyalty.models", "python-object-removed")},
        B,
    ),
    Mutation(
        "a module constant changes; __version__ changes (not an API change)",
        [
            (INIT, "DEFAULT_TIMEOUT = 30.0", "DEFAULT_TIMEOUT = 60.0"),
            ("overlays/brevo_loyalty/_version.py", "0.1.0", "0.2.0"),
        ],
        {("brevo_loyalty.DEFAULT_TIMEOUT", "python-attribute-changed-value")},
        R,
    ),
    Mutation(
        "private names change (no change)",
        [
            (BASE, "def _private(self) -> None:", "def _private2(self, x: int) -> None:"),
            (LIST, "def _get_kwargs(pid: UUID)", "def _get_kwargs(pid: str)"),
        ],
        set(),
        None,
    ),
]


def _diff(tmp_path: Path, mutation: Mutation) -> list[SurfaceChange]:
    old = write(tmp_path / "old", dict(FILES))
    new = write(tmp_path / "new", edited(mutation.edits))
    roots = [Path("overlays"), Path("generated")]
    return diff_packages(PACKAGES, [old / r for r in roots], [new / r for r in roots])


def test_there_are_at_least_25_mutations() -> None:
    assert len(MUTATIONS) >= 25
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_mutation(tmp_path: Path, mutation: Mutation) -> None:
    changes = _diff(tmp_path, mutation)
    assert {(c.path, c.rule) for c in changes} == mutation.expected, changes
    assert len({(c.path, c.rule, c.member) for c in changes}) == len(changes), "duplicates"
    worst = max((c.classification for c in changes), key=lambda c: c.severity, default=None)
    assert worst is mutation.worst
    # One public path per object: never a private module, never the generated module of a
    # model the overlay re-exports.
    for change in changes:
        assert not any(p.startswith("_") and p != "__version__" for p in change.path.split("."))
        assert ".models.reward." not in change.path, change


def test_an_unchanged_surface_reports_nothing(tmp_path: Path) -> None:
    assert _diff(tmp_path, Mutation("same", [], set(), None)) == []


def _named(name: str) -> Mutation:
    (found,) = [m for m in MUTATIONS if m.name == name]
    return found


def test_parameters_carry_their_docstring_and_the_field_its_description(tmp_path: Path) -> None:
    changes = _diff(tmp_path, _named("a default removed: the keyword is required now"))
    described = {c.path: c.description for c in changes}
    assert described == {
        "brevo_loyalty.Rewards.list_rewards": "page size, 1 to 100.",  # from Args:
        "brevo_loyalty.AsyncRewards.list_rewards": "",  # its docstring has no Args:
    }
    (removed,) = _diff(tmp_path / "field", _named("a field removed"))
    assert (removed.member, removed.description) == ("public_image", "URL of the public image.")


@pytest.mark.parametrize(
    ("old", "new", "verdict"),
    [
        ("str | None", "str", "narrowed"),
        ("Optional[str]", "str | None", None),
        ("Union[int, str]", "int", "narrowed"),
        ("Literal['a', 'b']", "Literal['a', 'b', 'c']", "widened"),
        ("Literal['a', 'b']", "Literal['b', 'a']", None),
        ("str", "Any", "widened"),
        ("Any", "str", "narrowed"),
        ("str", "UUID", "changed"),
        ("dict[str, int | None]", "dict[str, int]", "changed"),  # inside brackets: compared whole
        (None, "str", None),  # an annotation added is not a change
    ],
)
def test_compare_types(old: str | None, new: str | None, verdict: str | None) -> None:
    assert compare_types(old, new) == verdict


def test_union_members() -> None:
    assert members("Optional[Union[int, str]]") == {"int", "str", "None"}
    assert members("Literal[\"a\", 'b']") == {"Literal['a']", "Literal['b']"}
