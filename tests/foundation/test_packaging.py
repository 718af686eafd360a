"""One wheel ships both packages, typed, and installs and imports in a clean virtualenv."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import Any

import pytest

from ._helpers import GENERATED_PACKAGE, OVERLAY_PACKAGE, REPO_ROOT

pytestmark = pytest.mark.slow

DIST_NAME = "brevo-loyalty"
PACKAGES = ("brevo_loyalty_api", "brevo_loyalty")
# Not sources: caches, virtualenvs (bench/.venvs holds ~100 MB) and build output.
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".venvs", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis",
    "__pycache__", "dist", "build", "*.egg-info",
)  # fmt: skip
TIMEOUT = 300


def _clean_env() -> dict[str, str]:
    # Nothing of the developer's environment may leak into the fresh venvs' imports; pip's own
    # configuration (index, certificates) is kept so that installs work as they would for a user.
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONUSERBASE"):
        env.pop(name, None)
    return env


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=TIMEOUT,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _expected_version() -> str:
    text = (OVERLAY_PACKAGE / "_version.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    assert match, "overlays/brevo_loyalty/_version.py has no __version__"
    return match.group(1)


def _source_files(package_dir: Path) -> set[str]:
    return {
        path.relative_to(package_dir.parent).as_posix()
        for path in package_dir.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("dist")
    # Built straight from the working tree (what CI builds); --outdir keeps dist/ out of it.
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), "."], cwd=REPO_ROOT)
    (built,) = outdir.glob("*.whl")
    return built


def _make_venv(path: Path) -> Path:
    # No --system-site-packages: only what the wheel declares may be importable.
    _run([sys.executable, "-m", "venv", str(path)], cwd=path.parent)
    cfg = (path / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in cfg
    return path / "bin" / "python"


PROBE = """
import importlib, importlib.metadata, json, pathlib, pkgutil, sys
import brevo_loyalty, brevo_loyalty_api
# Modules of optional features: they may miss exactly their own dependency, nothing else.
OPTIONAL = {"brevo_loyalty._aiohttp": {"aiohttp", "httpx_aiohttp"},
            "brevo_loyalty.pytest_plugin": {"pytest"}}
unimportable = []
for package in (brevo_loyalty, brevo_loyalty_api):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        try:
            importlib.import_module(info.name)
        except ModuleNotFoundError as error:
            if error.name not in OPTIONAL.get(info.name, ()):
                unimportable.append(f"{info.name}: {error!r}")
        except Exception as error:
            unimportable.append(f"{info.name}: {error!r}")
from brevo_loyalty_api.api.rewards import get_reward
from brevo_loyalty_api.models import Reward
dist = importlib.metadata.distribution("brevo-loyalty")
print(json.dumps({
    "prefix": sys.prefix,
    "version": importlib.metadata.version("brevo-loyalty"),
    "dunder_version": brevo_loyalty.__version__,
    "files": [m.__file__ for m in (brevo_loyalty, brevo_loyalty_api, get_reward)],
    "py_typed": [
        (pathlib.Path(m.__file__).parent / "py.typed").is_file()
        for m in (brevo_loyalty, brevo_loyalty_api)
    ],
    "parsed": type(Reward.from_dict({"id": "r", "name": "n"})).__name__,
    "unimportable": unimportable,
    "console_scripts": sorted(
        (ep.name, ep.value) for ep in dist.entry_points if ep.group == "console_scripts"
    ),
}))
"""


def _probe(python: Path, cwd: Path) -> dict[str, Any]:
    # -I: isolated mode, so neither the cwd nor PYTHON* variables can put the repo on sys.path.
    result = _run([str(python), "-I", "-c", PROBE], cwd=cwd)
    probed: dict[str, Any] = json.loads(result.stdout)
    return probed


def _assert_installed_properly(probed: dict[str, Any], venv: Path) -> None:
    assert Path(probed["prefix"]).resolve() == venv.resolve()
    for module_file in probed["files"]:
        # Imported from the venv's site-packages, never from the repo (editable) checkout.
        assert Path(module_file).resolve().is_relative_to(venv.resolve()), module_file
        assert "site-packages" in Path(module_file).parts
    assert probed["py_typed"] == [True, True]
    assert probed["version"] == probed["dunder_version"] == _expected_version()
    assert probed["parsed"] == "Reward"
    # Every module imports with the runtime dependencies alone (no dev tool imported at runtime).
    assert probed["unimportable"] == []


@pytest.fixture(scope="module")
def wheel_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    python = _make_venv(venv)
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=venv.parent)
    return venv


def test_wheel_holds_both_packages_and_nothing_else(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = [name for name in archive.namelist() if not name.endswith("/")]
    dist_info = f"brevo_loyalty-{_expected_version()}.dist-info"
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {*PACKAGES, dist_info}, "no tests/, spec/, scripts/ or other top-level junk"
    assert [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo"))] == []
    for package in PACKAGES:
        assert f"{package}/py.typed" in names
    # Every source file of both packages is shipped, at the top level (not under generated/ or
    # overlays/), and nothing else is.
    shipped = {name for name in names if not name.startswith(dist_info)}
    assert shipped == _source_files(GENERATED_PACKAGE) | _source_files(OVERLAY_PACKAGE)


def test_wheel_metadata(wheel: Path) -> None:
    dist_info = f"brevo_loyalty-{_expected_version()}.dist-info"
    with zipfile.ZipFile(wheel) as archive:
        metadata = Parser().parsestr(archive.read(f"{dist_info}/METADATA").decode("utf-8"))
    assert metadata["Name"] == DIST_NAME
    assert metadata["Version"] == _expected_version()
    assert metadata["Requires-Python"] == ">=3.11"
    required = {re.split(r"[<>=!~; \[]", req, maxsplit=1)[0] for req in metadata.get_all(
        "Requires-Dist", []) if "extra ==" not in req}  # fmt: skip
    # The runtime needs exactly these; dev tools must stay behind the `dev` extra.
    assert required == {"httpx", "attrs", "python-dateutil"}


def test_wheel_installs_and_imports_in_a_fresh_venv(wheel_venv: Path) -> None:
    _assert_installed_properly(_probe(wheel_venv / "bin" / "python", wheel_venv.parent), wheel_venv)


def test_console_scripts_point_at_callables(wheel_venv: Path) -> None:
    probed = _probe(wheel_venv / "bin" / "python", wheel_venv.parent)
    assert probed["console_scripts"], "the wheel declares no console scripts"
    broken = []
    for name, target in probed["console_scripts"]:
        module, _, attribute = target.partition(":")
        check = f"import {module} as m; assert callable(m.{attribute})"
        result = subprocess.run(
            [str(wheel_venv / "bin" / "python"), "-I", "-c", check],
            cwd=wheel_venv.parent, env=_clean_env(), capture_output=True, text=True,
            timeout=TIMEOUT, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            broken.append(f"{name} -> {target}: {result.stderr.strip().splitlines()[-1]}")
        if not (wheel_venv / "bin" / name).is_file():
            broken.append(f"{name}: no script installed")
    # All reported at once, so one broken entry point does not hide another.
    assert broken == []


def test_pip_install_dot_from_a_copy(tmp_path: Path) -> None:
    # A copy, so that the non-editable build leaves nothing (build/, *.egg-info) in the tree.
    source = tmp_path / "src"
    shutil.copytree(REPO_ROOT, source, ignore=COPY_IGNORE)
    python = _make_venv(tmp_path / "venv")
    _run([str(python), "-m", "pip", "install", "--quiet", "."], cwd=source)
    _assert_installed_properly(_probe(python, tmp_path), tmp_path / "venv")


def test_wheel_built_via_sdist_is_the_same(wheel: Path, tmp_path: Path) -> None:
    # `python -m build` (no --wheel) builds the wheel from the sdist: a file the sdist forgets
    # would be missing from that wheel only.
    _run([sys.executable, "-m", "build", "--outdir", str(tmp_path), "."], cwd=REPO_ROOT)
    (via_sdist,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as direct, zipfile.ZipFile(via_sdist) as indirect:
        direct_files = {n: direct.read(n) for n in direct.namelist() if "/RECORD" not in n}
        indirect_files = {n: indirect.read(n) for n in indirect.namelist() if "/RECORD" not in n}
    assert sorted(direct_files) == sorted(indirect_files)
    assert [n for n in direct_files if direct_files[n] != indirect_files[n]] == []


def test_wheel_declares_urls_status_extras_and_the_pytest_plugin(wheel: Path) -> None:
    dist_info = f"brevo_loyalty-{_expected_version()}.dist-info"
    with zipfile.ZipFile(wheel) as archive:
        metadata = Parser().parsestr(archive.read(f"{dist_info}/METADATA").decode("utf-8"))
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode("utf-8")
    urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL", []))
    assert {"Homepage", "Documentation", "Repository", "Issues", "Changelog"} <= urls.keys()
    assert all(url.startswith("https://") for url in urls.values())
    classifiers = metadata.get_all("Classifier", [])
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert "aiohttp" in metadata.get_all("Provides-Extra", [])
    aiohttp_reqs = [
        r for r in metadata.get_all("Requires-Dist", []) if re.search(r"extra == .aiohttp.$", r)
    ]
    assert {re.split(r"[<>=!~; \[]", r, maxsplit=1)[0] for r in aiohttp_reqs} == {
        "httpx-aiohttp",
        "aiohttp",
    }
    # pytest loads the sandbox fixtures wherever the package is installed.
    assert "[pytest11]\nbrevo_loyalty = brevo_loyalty.pytest_plugin" in entry_points


@pytest.fixture(scope="module")
def sdist_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    outdir = tmp_path_factory.mktemp("sdist")
    _run([sys.executable, "-m", "build", "--sdist", "--outdir", str(outdir), "."], cwd=REPO_ROOT)
    (built,) = outdir.glob("*.tar.gz")
    with tarfile.open(built) as archive:
        # Paths inside the archive start with brevo_loyalty-<version>/.
        return {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


def test_sdist_holds_what_a_packager_needs_to_build_and_test(sdist_names: set[str]) -> None:
    for needed in (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        ".ci/run",  # tests/test_readme.py compares it with the README
        "tests/test_readme.py",
        "tests/plugin/test_pytester.py",
        "tests/cassettes/world.json",
        "scripts/api-diff",
        "docs/api-diff.md",  # tests/api_diff checks the rules table in it
        "docs/reference/clients.md",
        "mkdocs.yml",
        "bench/run.py",
        "spec/reward-api.yaml",
        "spec/sources/seed-reward-example.json",
        "overlays/brevo_loyalty/pytest_plugin.py",
        "generated/brevo_loyalty_api/client.py",
    ):
        assert needed in sdist_names, needed


def test_sdist_leaves_out_stray_files_and_brevos_pages(sdist_names: set[str]) -> None:
    stray = sorted(
        name
        for name in sdist_names
        if name.startswith((".github/", ".venv/", ".nox/", "bench/results/", "bench/.venvs/"))
        or name == "bench/README.md"
        or "__pycache__" in name
    )
    assert stray == []
    # Brevo's documentation pages, copied verbatim, are not ours to license: repository only.
    assert sorted(n for n in sdist_names if re.fullmatch(r"spec/sources/\d{3}_.*\.txt", n)) == []
