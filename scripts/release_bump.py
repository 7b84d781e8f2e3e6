"""Compare the new build's API surface with the one the current version was built from, and bump.

usage: python -m scripts.release_bump --surface openapi/api-surface.json --spec build/spec/openapi.json
           [--docs build/spec/merged.json] --version-file openapi/VERSION --changelog openapi/CHANGELOG.md

`openapi/api-surface.json` is the surface (client and docs layers, see scripts/api_surface.py)
of the build the version in `openapi/VERSION` was made from. When the new build differs, this applies the proposed bump in one go: the new
version into VERSION, a changelog entry on top of CHANGELOG.md and the new surface as the
next baseline. Applying (rather than only printing) keeps the pins, the version and the
baseline consistent in every commit; the three files are plain text, so `git diff openapi/`
is the review and `git checkout openapi/` the undo. No change at all leaves them untouched.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scripts.api_diff import Bump, Change, bumped, classify, compare_surfaces, format_report, layers_note
from scripts.api_surface import format_surface, load_surface
from scripts.common import read_version, run_main, write_if_changed

CHANGELOG_HEADER = (
    "# API changelog\n\n"
    "One entry per version, newest first, written by `make update-spec` (scripts/release_bump.py)\n"
    "from the API surface diff: breaking -> major, additions -> minor, anything else -> patch.\n"
)


def changelog_entry(version: str, bump: Bump, previous: str, spec_sha: str, changes: list[Change]) -> str:
    lines = [f"## {version} ({bump})", "", f"Built from spec sha256 `{spec_sha}`; compared with {previous}.", ""]
    breaking = [c for c in changes if c.weight == "breaking"]
    additions = [c for c in changes if c.weight == "addition"]
    if breaking:
        lines += ["### Breaking", "", *(f"- `{c.operation}`: {c.text}" for c in breaking), ""]
    if additions:
        lines += ["### Added", "", *(f"- `{c.operation}`: {c.text}" for c in additions), ""]
    if not changes:
        lines += ["No change to operations, parameters or types (descriptions, examples or overlays only).", ""]
    return "\n".join(lines)


def with_entry(changelog: str, entry: str) -> str:
    """Insert `entry` above the newest one, keeping the header."""
    text = changelog if changelog.strip() else CHANGELOG_HEADER
    at = text.find("\n## ")
    if at == -1:
        return text.rstrip("\n") + "\n\n" + entry
    return text[: at + 1] + entry + "\n" + text[at + 1 :]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surface", type=Path, required=True, help="baseline: surface of the current version")
    parser.add_argument("--spec", type=Path, required=True, help="the new final spec")
    parser.add_argument(
        "--docs", type=Path, help="the new spec before the overlays (default: merged.json beside --spec)"
    )
    parser.add_argument("--version-file", type=Path, required=True)
    parser.add_argument("--changelog", type=Path, required=True)
    args = parser.parse_args(argv)
    version = read_version(args.version_file)
    old, new = load_surface(args.surface), load_surface(args.spec, args.docs)
    changes = compare_surfaces(old, new)
    bump = classify(changes, spec_changed=old.get("spec_sha256") != new["spec_sha256"])
    print(format_report(changes, bump))
    note = layers_note(old, new)
    if note:
        print(note)
    if bump == "none":
        print(f"version: {version} unchanged (the spec is the one {version} was built from)")
        return
    next_version = bumped(version, bump)
    changelog = args.changelog.read_text(encoding="utf-8") if args.changelog.exists() else ""
    entry = changelog_entry(next_version, bump, version, new["spec_sha256"], changes)
    write_if_changed(args.changelog, with_entry(changelog, entry).encode())
    write_if_changed(args.surface, format_surface(new).encode())
    write_if_changed(args.version_file, f"{next_version}\n".encode())
    print(
        f"version: {version} -> {next_version} ({bump}) applied to {args.version_file}, {args.changelog}, {args.surface}"
    )
    print("review with `git diff openapi/`; undo with `git checkout openapi/`")


if __name__ == "__main__":
    run_main(main)
