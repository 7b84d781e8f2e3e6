"""The recorded responses in the docs pages, read the way the build reads them.

Pages come from the docs source the build uses (`DOCS_SOURCE`, default `../shared/tmdb-docs`),
each checked against its pin in openapi/pages.lock, so the tests see the very bytes the spec
was built from. A remote source is never fetched: its pages are read from the build cache.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from scripts.common import HTTP_METHODS as METHODS
from scripts.extract import extract_page
from scripts.fetch_pages import cache_file, check_pin
from scripts.merge import push_down_path_parameters
from scripts.sources import DocsSource, Pin, read_lock

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DOCS_SOURCE = "../shared/tmdb-docs"
BUILD_RECORD = REPO / "build" / "docs-source.txt"  # the source `make` last built from
LOCK = REPO / "openapi" / "pages.lock"
PAGES_CACHE = REPO / "build" / "pages"


@dataclass(frozen=True)
class RecordedExample:
    page: str
    operation: str  # "METHOD /path" as the page's fence names it
    status: str
    name: str
    value: Any


def docs_source() -> DocsSource:
    """DOCS_SOURCE if set, else the source the last build used, else the default mirror."""
    recorded = BUILD_RECORD.read_text(encoding="utf-8").strip() if BUILD_RECORD.exists() else ""
    location = os.environ.get("DOCS_SOURCE") or recorded or DEFAULT_DOCS_SOURCE
    source = DocsSource(location)
    if not source.is_remote and not Path(location).is_absolute():
        source = DocsSource(str(REPO / location))  # relative to the checkout, as in the Makefile
    return source


def read_page(source: DocsSource, pin: Pin, cache_dir: Path) -> str:
    """A pinned page's text: from a local source, else from the build cache; checked against its pin."""
    if source.is_remote:
        where, data = str(cache_file(cache_dir, pin)), cache_file(cache_dir, pin).read_bytes()
    else:
        where, data = f"page {pin.page} from {source}", source.read(pin.page)
    check_pin(pin, data, where)
    return data.decode("utf-8")


def response_examples(document: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(status, example name, value) of every response example in a page's document."""
    found = []
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for status, response in (operation.get("responses") or {}).items():
                for media in (response.get("content") or {}).values():
                    found.extend(media_examples(status, media))
    return found


def media_examples(status: str, media: dict[str, Any]) -> list[tuple[str, str, Any]]:
    examples = [(status, name, ex["value"]) for name, ex in (media.get("examples") or {}).items() if "value" in ex]
    if "example" in media:
        examples.append((status, "example", media["example"]))
    return examples


@dataclass(frozen=True)
class DocsPage:
    page: str
    operation: str  # "METHOD /path" as the page's fence names it
    document: dict[str, Any] = field(repr=False, compare=False, hash=False)


@cache
def docs_pages(lock: Path = LOCK, cache_dir: Path = PAGES_CACHE) -> tuple[DocsPage, ...]:
    """Every pinned page that documents an operation, parsed (seconds of YAML: once per session)."""
    source = docs_source()
    pages = []
    for pin in read_lock(lock):
        item = extract_page(pin.page, read_page(source, pin, cache_dir))
        if item is not None:
            pages.append(DocsPage(pin.page, item["operation"], item["document"]))
    return tuple(pages)


def recorded_examples(pages: tuple[DocsPage, ...]) -> list[RecordedExample]:
    """Every response example recorded in the pages."""
    return [
        RecordedExample(page.page, page.operation, status, name, value)
        for page in pages
        for status, name, value in response_examples(page.document)
    ]


def page_key(method: str, path: str) -> str:
    """An operation's key, blind to the doubled slashes of some recorded paths."""
    return f"{method.upper()} {re.sub('/+', '/', path)}"


def parameter_example(parameter: dict[str, Any]) -> tuple[bool, Any]:
    """The parameter's recorded value, if any. An empty string is Postman's blank field: no value."""
    candidates = [parameter.get("example"), (parameter.get("schema") or {}).get("example")]
    candidates[1:1] = [ex.get("value") for ex in (parameter.get("examples") or {}).values()]
    for value in candidates:
        if value is not None and value != "":
            return True, value
    return False, None


def recorded_parameters(pages: tuple[DocsPage, ...]) -> dict[str, dict[tuple[str, str], Any]]:
    """page_key -> {(in, name): recorded value} of the parameters each page records a value for."""
    recorded: dict[str, dict[tuple[str, str], Any]] = {}
    for page in pages:
        method, path = page.operation.split(" ", 1)
        operation = push_down_path_parameters(page.document)["paths"][path][method.lower()]
        values = recorded.setdefault(page_key(method, path), {})
        for parameter in operation.get("parameters") or []:
            found, value = parameter_example(parameter)
            if found:
                values[(parameter.get("in", ""), parameter.get("name", ""))] = value
    return recorded
