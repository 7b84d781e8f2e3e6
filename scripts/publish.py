"""Upload dist/'s wheel and sdist to the internal index with twine, after checking them.

usage: python -m scripts.publish --dist dist --repository-url URL --index-url URL/simple/
           --version-file openapi/VERSION --spec build/spec/openapi.json --surface openapi/api-surface.json

Refuses, naming the culprit, when:
- dist/ does not hold exactly one wheel and one sdist matching dist/SHA256SUMS;
- the wheel, the sdist and openapi/VERSION name different versions;
- the packaged code was generated from another spec than build/spec/openapi.json, or that
  spec is not the one the version was assigned to (openapi/api-surface.json's fingerprint):
  a changed spec needs `make bump` first, or two different wheels would share a version;
- the index's simple API already lists that version (indexes must never be overwritten).
Credentials come from TWINE_USERNAME / TWINE_PASSWORD, read by twine itself.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename

from scripts.common import (
    BUILD_INFO_JSON,
    DISTRIBUTION,
    GENERATED_PACKAGE,
    PipelineError,
    read_version,
    run_main,
    sha256_bytes,
)

BUILD_INFO = f"{GENERATED_PACKAGE}/{BUILD_INFO_JSON}"


@dataclass(frozen=True)
class Artifact:
    path: Path
    version: str  # from the archive's own metadata
    spec_sha256: str  # from the packaged build-info.json


def build_info_value(text: str, name: str, where: str) -> str:
    try:
        value = json.loads(text).get(name)
    except (ValueError, AttributeError) as exc:
        raise PipelineError(f"{where}: {BUILD_INFO} is not a JSON object") from exc
    if not isinstance(value, str):
        raise PipelineError(f"{where}: no {name} in {BUILD_INFO}")
    return value


def metadata_version(text: str, where: str) -> str:
    for line in text.splitlines():
        if line.startswith("Version: "):
            return line.removeprefix("Version: ").strip()
    raise PipelineError(f"{where}: metadata has no Version field")


def read_wheel(path: Path) -> Artifact:
    name, version, _, _ = parse_wheel_filename(path.name)
    with zipfile.ZipFile(path) as archive:
        metadata = archive.read(f"{name.replace('-', '_')}-{version}.dist-info/METADATA").decode()
        info = archive.read(BUILD_INFO).decode()
    return Artifact(path, metadata_version(metadata, path.name), build_info_value(info, "spec_sha256", path.name))


def read_sdist(path: Path) -> Artifact:
    name, version = parse_sdist_filename(path.name)
    root = f"{name.replace('-', '_')}-{version}"
    with tarfile.open(path) as archive:

        def member(inner: str) -> str:
            handle = archive.extractfile(f"{root}/{inner}")
            if handle is None:
                raise PipelineError(f"{path.name}: {inner} is missing")
            return handle.read().decode()

        metadata, info = member("PKG-INFO"), member(f"generated/{BUILD_INFO}")
    return Artifact(path, metadata_version(metadata, path.name), build_info_value(info, "spec_sha256", path.name))


def find_artifacts(dist: Path) -> tuple[Path, Path]:
    """The one wheel and one sdist of dist/, verified against its SHA256SUMS."""
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        found = [p.name for p in [*wheels, *sdists]]
        raise PipelineError(f"{dist}: expected exactly one wheel and one sdist, found {found}")
    sums_file = dist / "SHA256SUMS"
    if not sums_file.exists():
        raise PipelineError(f"{sums_file}: missing (run `make` to build the dist)")
    sums: dict[str, str] = {}
    for line in sums_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name] = digest
    for path in (wheels[0], sdists[0]):
        if sums.get(path.name) != sha256_bytes(path.read_bytes()):
            raise PipelineError(f"{path}: its sha256 does not match {sums_file}; rebuild with `make`")
    return wheels[0], sdists[0]


def disagreements(artifacts: list[Artifact], version: str, spec_sha: str, baseline_sha: str) -> list[str]:
    problems = [
        f"{a.path.name} says version {a.version}, openapi/VERSION says {version}"
        for a in artifacts
        if a.version != version
    ]
    problems += [
        f"{a.path.name} was generated from spec sha256 {a.spec_sha256}, build/spec/openapi.json is {spec_sha}"
        for a in artifacts
        if a.spec_sha256 != spec_sha
    ]
    if baseline_sha != spec_sha:
        problems.append(
            f"build/spec/openapi.json (sha256 {spec_sha}) is not the spec version {version} was assigned to "
            f"(openapi/api-surface.json: {baseline_sha}); run `make bump` to version this spec "
            f"(or `make api-surface` if {version} was never published)"
        )
    return problems


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self._in_anchor = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_anchor = tag == "a"

    def handle_endtag(self, tag: str) -> None:
        self._in_anchor = False

    def handle_data(self, data: str) -> None:
        if self._in_anchor and data.strip():
            self.names.append(data.strip())


def versions_in_simple_page(html: str) -> set[str]:
    """Versions named by the file links of a PEP 503 project page."""
    parser = _Links()
    parser.feed(html)
    versions: set[str] = set()
    for filename in parser.names:
        try:
            if filename.endswith(".whl"):
                versions.add(str(parse_wheel_filename(filename)[1]))
            elif filename.endswith(".tar.gz"):
                versions.add(str(parse_sdist_filename(filename)[1]))
        except ValueError:
            continue  # not a distribution file name: not ours to judge
    return versions


def versions_on_index(index_url: str, project: str) -> set[str]:
    url = f"{index_url.rstrip('/')}/{canonicalize_name(project)}/"
    user, password = os.environ.get("TWINE_USERNAME"), os.environ.get("TWINE_PASSWORD")
    auth = (user, password) if user and password else None
    try:
        response = httpx.get(url, auth=auth, follow_redirects=True, timeout=30, headers={"Accept": "text/html"})
    except httpx.HTTPError as exc:
        raise PipelineError(f"cannot ask {url} which versions exist ({exc}); refusing to upload blind") from exc
    if response.status_code == 404:
        return set()
    if response.status_code != 200:
        raise PipelineError(f"{url} answered {response.status_code}; refusing to upload without knowing its versions")
    return versions_in_simple_page(response.text)


def upload(repository_url: str, files: list[Path]) -> None:
    for variable in ("TWINE_USERNAME", "TWINE_PASSWORD"):
        if variable not in os.environ:
            raise PipelineError(f"{variable} is not set: twine reads the index credentials from it")
    command = [sys.executable, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar"]
    command += ["--repository-url", repository_url, *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PipelineError(f"twine upload to {repository_url} failed:\n{(result.stdout + result.stderr)[-3000:]}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, required=True)
    parser.add_argument("--repository-url", required=True, help="twine's upload URL of the internal index")
    parser.add_argument("--index-url", required=True, help="the same index's simple API")
    parser.add_argument("--version-file", type=Path, required=True)
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--surface", type=Path, required=True)
    args = parser.parse_args(argv)
    if not args.repository_url:
        raise PipelineError("REPOSITORY_URL is empty: `make publish REPOSITORY_URL=https://<internal index>/`")
    version = read_version(args.version_file)
    wheel, sdist = find_artifacts(args.dist)
    baseline = json.loads(args.surface.read_text(encoding="utf-8")).get("spec_sha256", "")
    problems = disagreements(
        [read_wheel(wheel), read_sdist(sdist)], version, sha256_bytes(args.spec.read_bytes()), baseline
    )
    if problems:
        raise PipelineError("the dist disagrees with its inputs:\n  " + "\n  ".join(problems))
    if version in versions_on_index(args.index_url, DISTRIBUTION):
        raise PipelineError(
            f"{DISTRIBUTION} {version} is already on {args.index_url}; published versions are never replaced: "
            "bump openapi/VERSION (`make bump` after a spec change)"
        )
    upload(args.repository_url, [wheel, sdist])
    print(f"publish: {wheel.name} and {sdist.name} uploaded to {args.repository_url}")


if __name__ == "__main__":
    run_main(main)
