"""CI gate: a breaking API change needs the version bump SemVer asks for and a CHANGELOG entry.

    scripts/api_diff_gate.py                  # last release tag (else root commit) -> working tree
    scripts/api_diff_gate.py --base v1.2.0 --head HEAD

Since the last release (the newest tag ``v<x.y.z>`` reachable from HEAD; the root commit when
there is none), every *breaking* change found by scripts/api-diff must come with

1. the bump SemVer asks for: ``__version__`` in overlays/brevo_loyalty/_version.py at least
   the released version bumped one major (one minor while it is 0.x); with no release yet the
   current version is the first one and needs no bump;
2. a CHANGELOG.md entry: the ``## [Unreleased]`` (or ``## [<version>]``) section names what
   broke in a code span (`` `Rewards.close()` ``: the method, function, class or field name,
   or the operationId), or an explicit
   acknowledgement: a commit trailer ``API-Break-Acknowledged: <why>`` in a commit since the
   base, or a non-empty ``API_BREAK_ACKNOWLEDGED`` environment variable (the api-diff workflow
   sets it from the pull-request label ``api-break-acknowledged``). The acknowledgement stands
   in for the CHANGELOG entry, never for the bump.

Exit status 0 when the gate passes, 1 with the reasons (and the lines to paste) when it fails.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import _api_diff_version as semver
from scripts._api_diff_render import bump_line, entry_line
from scripts._api_diff_rules import Classification
from scripts.api_diff import compare, label, last_release, read_at, root_commit, try_git

CHANGELOG = "CHANGELOG.md"
TRAILER = "API-Break-Acknowledged"
ENVIRONMENT = "API_BREAK_ACKNOWLEDGED"


def unreleased_section(changelog: str, version: str | None) -> str:
    """The text of ``## [Unreleased]`` and ``## [<version>]`` (the next release's entry)."""
    wanted = {"unreleased", *([version] if version else [])}
    found, keep = [], False
    for line in changelog.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip().lower()
            name = re.split(r"[\s\]]", heading.lstrip("["), maxsplit=1)[0]
            keep = name in wanted
        elif keep:
            found.append(line)
    return "\n".join(found)


def acknowledgements(base: str) -> list[str]:
    """Reasons given for breaking changes: commit trailers since ``base``, the environment."""
    log = try_git("log", f"--format=%(trailers:key={TRAILER},valueonly)", f"{base}..HEAD") or ""
    found = [line.strip() for line in log.splitlines() if line.strip()]
    if os.environ.get(ENVIRONMENT, "").strip():
        found.append(os.environ[ENVIRONMENT].strip())
    return found


def _mentions(text: str, name: str) -> bool:
    """Whether ``name`` is in a code span of ``text`` (`Rewards.close()` names ``close``)."""
    spans = re.findall(r"`([^`]+)`", text)
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", span) for span in spans)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", help="the released revision (default: last v* tag, else root)")
    parser.add_argument("--head", help="the revision to check (default: the working tree)")
    args = parser.parse_args(argv)
    if try_git("rev-parse", "--is-shallow-repository") == "true":
        print(
            "api-diff gate: this clone is shallow; fetch the history and tags "
            "(actions/checkout: fetch-depth: 0) so the last release can be found.",
            file=sys.stderr,
        )
        return 1
    tag = None if args.base else last_release()
    base = args.base or tag or root_commit()
    report = compare(base, args.head)
    released = report.versions[0] if (tag or args.base) else None
    current = report.versions[1]
    what = " (last release)" if tag else ("" if args.base else " (root commit: no release yet)")
    print(f"api-diff gate: {label(base)}{what} → {report.head}")
    if tag or args.base:
        print(f"{len(report.entries)} user-visible change(s). {bump_line(report)}")
    else:
        print(
            f"{len(report.entries)} user-visible change(s). No release yet: version {current} "
            "will be the first, whatever changed."
        )
    breaking = [e for e in report.entries if e.classification is Classification.BREAKING]
    if not breaking:
        print("PASS: no breaking change.")
        return 0
    problems = []
    if current is None:
        problems.append("no __version__ found in overlays/brevo_loyalty/_version.py")
    elif released is not None and not semver.satisfies(released, current, "major"):
        needed = semver.bump(released, "major")
        problems.append(
            f"{len(breaking)} breaking change(s) since {released} need version {needed} or "
            f"later (SemVer; {semver.effective('major', released)} while 0.x): "
            f"__version__ is {current} in overlays/brevo_loyalty/_version.py"
        )
    section = unreleased_section(read_at(args.head, CHANGELOG) or "", current)
    missing = [e for e in breaking if not any(_mentions(section, n) for n in e.names)]
    reasons = acknowledgements(base) if missing else []
    if missing and not reasons:
        lines = "\n".join(f"  - {entry_line(e)}" for e in missing)
        problems.append(
            f"{len(missing)} breaking change(s) not in {CHANGELOG}'s Unreleased section; add "
            f"them (e.g. under ### Changed / ### Removed):\n{lines}\n  or acknowledge them: a "
            f"commit trailer '{TRAILER}: <why>' or the PR label api-break-acknowledged"
        )
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if problems:
        return 1
    if reasons:
        print(f"PASS: breaking changes acknowledged: {'; '.join(reasons)}")
    else:
        print(f"PASS: {len(breaking)} breaking change(s), bumped and in {CHANGELOG}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
