"""spec/sources/ holds verbatim copies of the documents the spec was written from."""

from __future__ import annotations

import hashlib

from ._helpers import REPO_ROOT, SOURCES, needs_brevo_pages

SHARED = REPO_ROOT.parent / "shared"  # the project's reference folder, where a clone sits beside it


def _sums() -> dict[str, str]:
    lines = (SOURCES / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in lines)}


@needs_brevo_pages
def test_sources_match_their_pinned_sums() -> None:
    sums = _sums()
    assert set(sums) == {
        "000_0bface07d5d27e7e.txt",
        "002_47adef31983d3b64.txt",
        "reward-api-facts.md",
        "seed-reward-example.json",
    }
    for name, digest in sums.items():
        assert hashlib.sha256((SOURCES / name).read_bytes()).hexdigest() == digest, name


@needs_brevo_pages
def test_sources_are_identical_to_the_shared_originals_where_present() -> None:
    originals = [*SHARED.glob("seeds/*.txt"), *SHARED.glob("reference/*")]
    for original in originals:
        copy = SOURCES / original.name
        if copy.exists():
            assert copy.read_bytes() == original.read_bytes(), original.name
    # Every vendored copy is accounted for by a pinned sum, whether or not shared/ is around.
    assert {p.name for p in SOURCES.iterdir()} == {*_sums(), "SHA256SUMS", "README.md"}
