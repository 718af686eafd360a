"""The test suite on every supported Python, each in its own virtualenv.

    nox -s tests-3.12 tests-3.13     # what .ci/run adds to its 3.11 run (the README's command)
    nox -s tests-3.13 -- tests/overlay -x     # arguments after -- go to pytest

Each session installs the package with its dev extra once into a fresh virtualenv under .nox/
and runs pytest there. The interpreters are found on PATH (.ci/run puts pyenv's there); nox
never downloads one.
"""

from __future__ import annotations

import nox

PYTHONS = ["3.11", "3.12", "3.13"]

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True
nox.options.download_python = "never"
nox.options.sessions = [f"tests-{version}" for version in PYTHONS]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Install ``.[dev]`` (once) and run the whole suite (or the given pytest arguments)."""
    session.install("--quiet", "-e", ".[dev]")
    session.run("python", "-m", "pytest", "-q", *session.posargs)
