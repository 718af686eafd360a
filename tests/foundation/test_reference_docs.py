"""The API reference (mkdocs, docs/reference/) covers every public name, each with a docstring.

CI builds the pages with ``mkdocs build --strict``; this checks what a build cannot: that no public
name is missing from the pages, and that griffe (what mkdocstrings reads) finds its docstring in
the source, not only at run time.
"""

from __future__ import annotations

import re

import brevo_loyalty
import brevo_loyalty.sandbox
import griffe
import pytest

from ._helpers import REPO_ROOT

REFERENCE = REPO_ROOT / "docs" / "reference"
PAGES = "\n".join(page.read_text(encoding="utf-8") for page in sorted(REFERENCE.glob("*.md")))
OPTIONAL = ["DefaultAioHttpClient"]  # not in __all__: it needs the aiohttp extra


@pytest.fixture(scope="module")
def package() -> griffe.Module:
    loaded = griffe.load(
        "brevo_loyalty",
        search_paths=[str(REPO_ROOT / "overlays"), str(REPO_ROOT / "generated")],
        allow_inspection=False,  # the source, as mkdocstrings reads it
    )
    assert isinstance(loaded, griffe.Module)
    return loaded


def _on_a_page(name: str) -> bool:
    return (
        re.search(rf"(::: [\w.]*\b{re.escape(name)}\b|^\s+- {re.escape(name)}$)", PAGES, re.M)
        is not None
    )


@pytest.mark.parametrize("name", [*brevo_loyalty.__all__, *OPTIONAL])
def test_every_top_level_name_is_on_a_reference_page(name: str) -> None:
    if name == "models":
        assert "::: brevo_loyalty_api.models" in PAGES
    else:
        assert _on_a_page(name), name


@pytest.mark.parametrize("name", brevo_loyalty.sandbox.__all__)
def test_every_sandbox_name_is_on_the_sandbox_page(name: str) -> None:
    assert _on_a_page(name), name


@pytest.mark.parametrize(
    "path",
    [
        *(f"{n}" for n in brevo_loyalty.__all__ if n not in {"models", "__version__"}),
        *(f"sandbox.{n}" for n in brevo_loyalty.sandbox.__all__),
        "_aiohttp.DefaultAioHttpClient",
        "pytest_plugin",
    ],
)
def test_every_public_name_has_a_docstring_in_the_source(package: griffe.Module, path: str) -> None:
    obj = package[path]
    target = obj.final_target if isinstance(obj, griffe.Alias) else obj
    assert target.docstring is not None, path
    assert target.docstring.value.strip(), path
