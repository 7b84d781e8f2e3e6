"""What the pipeline scripts share: the project's names, errors, YAML/JSON I/O, atomic writes,
folder swaps, the VERSION file and the page cache layout. Each name is defined here only."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

# The distribution on the package index, and the generated package inside it.
DISTRIBUTION = "tmdb-sdk-internal"
GENERATED_PACKAGE = "tmdb_generated"
# The live docs site (llms.txt and one page per operation); the Makefile reads this line too.
LIVE_SITE = "https://ileolami.mintlify.site"
# The operation keys of an OpenAPI path item.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# What the package was built from (version, spec sha256, generator), written into the generated
# package by scripts/generate.py; the wheel metadata, the runtime and publish read it.
BUILD_INFO_JSON = "build-info.json"


class PipelineError(Exception):
    """A build step failed because of its input; the message names the culprit."""


# libyaml's C parser when PyYAML has it: it makes extracting the pages 5x faster (BENCHMARKS.md).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# PyYAML's YAML 1.1 resolver turns `2024-12-26` into a `datetime.date`, which is neither
# JSON nor what TMDB sent: recorded examples must stay byte-for-byte strings.
_NO_TIMESTAMPS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _StringDatesLoader(_SafeLoader):  # type: ignore[valid-type,misc]  # chosen at import time
    """Safe loader (C when available) that leaves timestamps as text."""

    yaml_implicit_resolvers = _NO_TIMESTAMPS


class _StringDatesPyLoader(yaml.SafeLoader):
    """The pure-Python twin: slower, but its error messages name the offending character."""

    yaml_implicit_resolvers = _NO_TIMESTAMPS


def load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_StringDatesLoader)
    except yaml.YAMLError:
        # Only on the error path: re-parse for PyYAML's clearer message and the same marks.
        return yaml.load(text, Loader=_StringDatesPyLoader)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump_json(data: Any) -> str:
    """Stable JSON text: the same document always gives the same bytes."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically, and only when the bytes differ, so make sees no false change."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return True


def write_json(path: Path, data: Any) -> bool:
    return write_if_changed(path, dump_json(data).encode())


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PipelineError(f"{path}: missing (run the previous build step first)") from exc


def read_version(path: Path) -> str:
    """The package version of openapi/VERSION (or any such file): a plain semantic version."""
    version = path.read_text(encoding="utf-8").strip()
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise PipelineError(f"{path}: expected a semantic version like 1.2.3, got {version!r}")
    return version


def swap_into_place(new: Path, target: Path) -> None:
    """Replace `target` by `new` with two renames; the old tree is kept until the new one is in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def page_cache_file(cache: Path, page: str) -> Path:
    """Where the page cache (build/pages) keeps a docs page, by its URL path."""
    return cache / page.lstrip("/")


def run_main(main: Callable[[list[str]], int | None]) -> None:
    """Run a script's main; a PipelineError becomes one clear line and exit status 1."""
    try:
        sys.exit(main(sys.argv[1:]) or 0)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
