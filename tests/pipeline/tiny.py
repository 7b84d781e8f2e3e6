"""Tiny hand-made docs pages and OpenAPI documents shaped like TMDB's, for the pipeline tests.

A page mimics the docs site's markdown: a short header, then the operation's whole
OpenAPI document in a ````yaml METHOD PATH fence. The content is written for these tests.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from scripts.common import LIVE_SITE as SITE

SERVERS = [{"url": "https://api.themoviedb.org"}]
BEARER: dict[str, list[str]] = {"bearerAuth": []}
COMPONENTS = {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}}
HEADERS: dict[str, dict[str, Any]] = {
    "v3": {
        "openapi": "3.0.3",
        "info": {"title": "Tiny TMDB", "description": "Reference", "version": "1.0.0"},
        "servers": SERVERS,
        "security": [BEARER],
        "tags": [{"name": "ACCOUNT"}, {"name": "GENRES"}, {"name": "MOVIES"}],
    },
    "v4": {
        "openapi": "3.0.3",
        "info": {"title": "Tiny TMDB v4", "description": "Version 4", "version": "1.0.0"},
        "servers": SERVERS,
        "security": [BEARER],
        "tags": [{"name": "ACCOUNT"}, {"name": "LISTS"}],
    },
}
_PAGE_HEAD = """> ## Documentation Index
> Fetch the complete documentation index at: {site}/llms.txt
> Use this file to discover all available pages before exploring further.

# {title}

> {title}: a tiny page written for the pipeline tests



## OpenAPI

"""


def path_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "example": 7}}


def query_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string"}}


def operation(op_id: str, tag: str, summary: str, properties: dict[str, Any] | None = None) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties or {"id": {"type": "integer", "example": 7}}}
    return {
        "tags": [tag],
        "summary": summary,
        "operationId": op_id,
        "responses": {"200": {"description": summary, "content": {"application/json": {"schema": schema}}}},
    }


def document(
    method: str,
    path: str,
    op: dict[str, Any],
    version: str = "v3",
    path_parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One page's document: the version's shared header and exactly one operation."""
    item: dict[str, Any] = {"parameters": path_parameters} if path_parameters else {}
    item[method.lower()] = op
    return {**copy.deepcopy(HEADERS[version]), "paths": {path: item}, "components": copy.deepcopy(COMPONENTS)}


def page(title: str, method: str, path: str, doc: dict[str, Any] | None = None, yaml_text: str | None = None) -> str:
    """A docs page whose fence holds `yaml_text`, or `doc` dumped as YAML."""
    body = yaml_text if yaml_text is not None else yaml.safe_dump(doc, sort_keys=False)
    return _PAGE_HEAD.format(site=SITE, title=title) + f"````yaml {method.lower()} {path}\n{body}````\n"


def guide_page(title: str) -> str:
    return _PAGE_HEAD.format(site=SITE, title=title) + "Read the endpoints' pages; this guide has no fence.\n"


GENRES_PAGE = "/api-reference/genres/movies.md"
MOVIE_PAGE = "/api-reference/movies/details.md"
ACCOUNT_PAGE = "/api-reference/account/details.md"
V4_LIST_PAGE = "/version-4/api-reference-4/lists/details.md"
GUIDE_PAGE = "/api-reference/getting-started.md"


def tiny_pages() -> dict[str, str]:
    """Four operation pages (three v3, one v4; `details` three times) and one guide page."""
    genres = {"genres": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}}
    movie = {"id": {"type": "integer"}, "title": {"type": "string"}, "release_date": {"type": "string"}}
    return {
        GENRES_PAGE: page(
            "Movies List", "GET", "/3/genre/movie/list",
            document("GET", "/3/genre/movie/list", operation("moviesList1", "GENRES", "Movies List", genres)),
        ),
        MOVIE_PAGE: page(
            "Details", "GET", "/3/movie/{movie_id}",
            document(
                "GET", "/3/movie/{movie_id}", operation("details", "MOVIES", "Details", movie),
                path_parameters=[path_parameter("movie_id")],
            ),
        ),
        ACCOUNT_PAGE: page(
            "Details", "GET", "/3/account/{account_id}",
            document(
                "GET", "/3/account/{account_id}", operation("details", "ACCOUNT", "Details"),
                path_parameters=[path_parameter("account_id")],
            ),
        ),
        V4_LIST_PAGE: page(
            "Details", "GET", "/4/list/{list_id}",
            document(
                "GET", "/4/list/{list_id}", operation("details", "LISTS", "Details"), version="v4",
                path_parameters=[path_parameter("list_id")],
            ),
        ),
        GUIDE_PAGE: guide_page("Getting Started"),
    }  # fmt: skip


def llms_txt(pages: list[str]) -> str:
    links = "".join(f"- [{Path(p).stem}]({SITE}{p}): a tiny page\n" for p in pages)
    return f"# TMDB API Documentation\n\n## Docs\n\n{links}"


def write_docs(root: Path, pages: dict[str, str]) -> Path:
    """Lay `pages` out like the site (URL path = file path) with an llms.txt listing them."""
    for name, text in pages.items():
        file = root / name.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    (root / "llms.txt").write_text(llms_txt(list(pages)), encoding="utf-8")
    return root
