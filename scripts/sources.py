"""Where the docs pages come from, and the lock file that pins them.

A docs source is either a base URL (the live site) or a local folder laid out like the
site's URLs. `llms.txt` at its root lists every page; the lock in `openapi/` pins the
API pages (one per operation) by the sha256 of their bytes.
"""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from scripts.common import LIVE_SITE as LIVE_SITE  # noqa: PLC0414 - re-exported for callers importing it from here
from scripts.common import PipelineError

LOCK_HEADER = "# METHOD\tPATH\tPAGE\tSHA256 -- written by `make update-spec`; edit by hand only to drop a page\n"
_LLMS_LINK = re.compile(r"^\s*-\s*\[[^\]]*\]\((?P<url>[^)\s]+)\)", re.MULTILINE)


@dataclass(frozen=True, order=True)
class Pin:
    page: str  # the page's URL path, e.g. /api-reference/movies/details.md
    method: str  # upper case
    path: str
    sha256: str

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}"


class DocsSource:
    """Reads pages by URL path from a base URL or a local folder."""

    def __init__(self, location: str, timeout: float = 30.0) -> None:
        self.location = location.rstrip("/")
        self.is_remote = bool(re.match(r"^https?://", location))
        self.timeout = timeout

    def __str__(self) -> str:
        return self.location

    def read(self, page: str) -> bytes:
        if self.is_remote:
            url = self.location + page
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as resp:
                    data: bytes = resp.read()
                    return data
            except (urllib.error.URLError, OSError) as exc:
                raise PipelineError(f"{page}: cannot fetch {url}: {exc}") from exc
        file = Path(self.location) / page.lstrip("/")
        try:
            return file.read_bytes()
        except OSError as exc:
            raise PipelineError(f"{page}: cannot read {file}: {exc.strerror}") from exc

    def local_file(self, page: str) -> Path | None:
        return None if self.is_remote else Path(self.location) / page.lstrip("/")


def page_paths_from_llms(text: str) -> list[str]:
    """The URL paths of the markdown pages that llms.txt links to, in its order, once each."""
    seen: dict[str, None] = {}
    for match in _LLMS_LINK.finditer(text):
        url = urllib.parse.urlsplit(match.group("url"))
        if url.path.endswith(".md"):
            seen.setdefault(url.path, None)
    return list(seen)


def read_lock(path: Path) -> list[Pin]:
    pins = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise PipelineError(f"{path}: missing; run `make update-spec` to create it") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4 or not re.fullmatch(r"[0-9a-f]{64}", fields[3]):
            raise PipelineError(f"{path}:{number}: expected METHOD, PATH, PAGE, SHA256 separated by tabs")
        method, op_path, page, digest = fields
        pins.append(Pin(page=page, method=method, path=op_path, sha256=digest))
    return pins


def format_lock(pins: list[Pin]) -> str:
    rows = (f"{p.method}\t{p.path}\t{p.page}\t{p.sha256}\n" for p in sorted(pins, key=lambda p: p.page))
    return LOCK_HEADER + "".join(rows)
