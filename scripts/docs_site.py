"""Write the sources of the reference site (`make docs`: mkdocs-material + mkdocstrings) into build/docs-src.

usage: python -m scripts.docs_site --spec build/spec/openapi.json --config generator/config.yaml
           --lock openapi/pages.lock --readme README.md --models generated/tmdb_generated/models
           --out build/docs-src

Everything comes from what the build already has: the operation index (scripts/op_index.py, the
same entries docs/API.md and the typed facade are written from), the generated models (rendered by
mkdocstrings from their source, one page per initial; this script only lists their classes and fields), the error
hierarchy of tmdb_sdk.errors, and the README's sections for the guides (GUIDES below: one table,
guide -> headings; a heading that is gone fails the build, naming it). One page per resource: each
operation with its signature, parameters, result model and fields (linked to the model pages), the
errors it can raise, a sync and an async example (run against FakeTMDB by tests/docs) and its TMDB
docs page. Needs `runtime` on sys.path (`tmdb_sdk.errors`, the testing kit's schema sampler).
"""

from __future__ import annotations

import argparse
import ast
import json
import posixpath
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from scripts import facade, op_index
from scripts.common import PipelineError, read_json, run_main, write_if_changed
from scripts.sources import read_lock

SITE_NAME = "tmdb-sdk-internal"
# Guides: (page, title, [(source file, heading), ...]). Each heading's section (down to the next heading of
# its level or above, sub-headings included) becomes part of the page, in this order; heading None takes the
# whole file (e.g. a docs/*.md of the maintainers). Edit this table when a README heading is renamed or moved
# to docs/: the build names the heading it cannot find.
GUIDES: tuple[tuple[str, str, tuple[tuple[str, str | None], ...]], ...] = (
    ("auth", "Auth flows", (("README.md", "Connect"), ("README.md", "Sign a user in"))),
    ("paging", "Paging", (("README.md", "Paging"),)),
    ("errors", "Errors and retries", (("README.md", "Errors and retries"),)),
    ("cache", "Cache", (("README.md", "Caching"),)),
    ("rate-limit", "Fleet rate limit", (("README.md", "Rate limits across a fleet"),)),
    ("testing", "Testing kit", (("README.md", "Testing a service"),)),
    ("async", "Async", (("README.md", "Async"),)),
    ("append", "Append parts", (("README.md", "append_to_response"),)),
    ("catalogue-sync", "Keeping a catalogue in sync", (("README.md", "Keeping a catalogue in sync"),)),
    ("releases", "Releases and regeneration", (("docs/RELEASES.md", None), ("docs/MAINTAINERS.md", "The pipeline"),
                                               ("docs/MAINTAINERS.md", "Template edits"))),
)
# The field an example prints, the first the result model has.
SHOWN_FIELDS = ("title", "name", "id", "success", "status_message", "page", "request_token", "results")
# Errors every call can raise besides those of its documented HTTP statuses (tmdb_sdk.errors).
ALWAYS = (
    ("ArgumentError", "arguments that cannot work, before anything is sent"),
    ("ConfigurationError", "missing credentials (a v4 call with only an API key)"),
    ("ServerError", "HTTP 5xx, after the retries"),
    ("TimeoutError", "no answer in time, after the retries"),
    ("ConnectionError", "the connection could not be made or broke, after the retries"),
    ("ResponseParseError", "a 2xx body that does not fit the result model"),
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(([^)\s]+)\)")
_CLASS = re.compile(r"^class (\w+)\b|^(\w+) = Literal\[", re.MULTILINE)


# --- README sections -> guides ---------------------------------------------------------------------


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line number, level, text) of every Markdown heading outside fenced code (`# ->` lines are code)."""
    found, fenced = [], False
    for number, line in enumerate(text.splitlines()):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            found.append((number, len(match.group(1)), match.group(2)))
    return found


def section(text: str, heading: str, source: str = "README.md") -> tuple[int, str]:
    """(level, body) of the section under `heading`: down to the next heading of its level or above."""
    lines, marks = text.splitlines(), headings(text)
    for position, (number, level, title) in enumerate(marks):
        if title == heading:
            end = next((n for n, lv, _ in marks[position + 1:] if lv <= level), len(lines))
            return level, "\n".join(lines[number + 1:end]).strip("\n")
    known = ", ".join(repr(t) for _, _, t in marks)
    raise PipelineError(f"docs site: {source} has no heading {heading!r} (GUIDES in scripts/docs_site.py); it has: {known}")


def shift_headings(body: str, from_level: int, to_level: int) -> str:
    """Moves the sub-headings of a section so that a heading of `from_level` would sit at `to_level`."""
    out, fenced = [], False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            level = min(6, max(to_level + 1, len(match.group(1)) - from_level + to_level))
            line = f"{'#' * level} {match.group(2)}"
        out.append(line)
    return "\n".join(out)


def rewrite_links(body: str, targets: Mapping[str, str], source: str = "README.md") -> str:
    """Links into the repository become links to the site's pages (`targets`: repo path or #anchor -> page),
    or plain text when the site has no such page; links to other sites stay. Relative links are read from
    `source`'s folder (docs/x.md links `../README.md`)."""

    def replace(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if "://" in target or target.startswith("mailto:"):
            return match.group(0)
        path, _, fragment = target.partition("#")
        if path:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        page = targets.get(f"{path}#{fragment}" if fragment else path) or targets.get(path or f"#{fragment}")
        return f"[{label}]({page})" if page else label

    out, fenced = [], False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        out.append(line if fenced else _LINK.sub(replace, line))
    return "\n".join(out)


def anchor_of(heading: str) -> str:
    """GitHub's anchor of a heading (how the README links its own sections)."""
    return "#" + re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def whole(text: str) -> tuple[str, str]:
    """(title, body) of a whole Markdown file: its first level-1 heading and what follows it."""
    marks = [(n, t) for n, level, t in headings(text) if level == 1]
    if not marks:
        return "", text.strip("\n")
    lines = text.splitlines()
    return marks[0][1], "\n".join(lines[:marks[0][0]] + lines[marks[0][0] + 1:]).strip("\n")


def guide_pages(sources: Mapping[str, str], guides: Sequence[tuple[str, str, Sequence[tuple[str, str | None]]]] = GUIDES,
                ) -> dict[str, str]:
    """guides/<page>.md -> its Markdown, from the sections the table names (`sources`: file name -> text)."""
    targets = {"docs/API.md": "../reference/index.md"}
    for page, _title, parts in guides:
        for source, heading in parts:
            if heading is None:
                targets.setdefault(source, f"{page}.md")
            else:
                targets.setdefault(f"{source}{anchor_of(heading)}", f"{page}.md")
                if source == "README.md":
                    targets.setdefault(anchor_of(heading), f"{page}.md")
    pages = {}
    for page, title, parts in guides:
        chunks = [f"# {title}", ""]
        for number, (source, heading) in enumerate(parts):
            if source not in sources:
                raise PipelineError(f"docs site: guide {page!r} reads {source}, which is missing")
            if heading is None:
                level, (heading, body) = 1, whole(sources[source])
            else:
                level, body = section(sources[source], heading, source)
            if number:
                chunks += [f"## {heading}", ""]
            chunks += [shift_headings(rewrite_links(body, targets, source), level, 2 if number else 1), ""]
        pages[f"guides/{page}.md"] = "\n".join(chunks)
    return pages


# --- operations ------------------------------------------------------------------------------------


def where(entry: Mapping[str, Any]) -> str:
    """`movies.details`, `v4.lists.create`."""
    return facade._where(entry)


def resource_of(entry: Mapping[str, Any]) -> str:
    return ("v4." if entry["version"] == 4 else "") + str(entry["resource"])


def resource_page(resource: str) -> str:
    return f"reference/{resource.replace('.', '-')}.md"


def _spec_operation(spec: Mapping[str, Any], operation_id: str) -> Mapping[str, Any]:
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, Mapping) and operation.get("operationId") == operation_id:
                return operation
    raise PipelineError(f"docs site: the spec has no operation {operation_id!r}")


def _recorded(node: Mapping[str, Any]) -> tuple[bool, Any]:
    """The value the docs recorded for a parameter or a body (its example), if any."""
    for holder in (node, node.get("schema") or {}):
        if "example" in holder:
            return True, holder["example"]
    for example in (node.get("examples") or {}).values():
        if isinstance(example, Mapping) and "value" in example:
            return True, example["value"]
    return False, None


def _as_kind(kind: str, value: Any) -> Any:
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if kind == "list":
        return value if isinstance(value, list) else [value]
    return str(value) or "abc123"


def example_arguments(entry: Mapping[str, Any], spec: Mapping[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """(path values, required keyword values) a call needs: the docs' recorded values, else the simplest
    the schema accepts (the values FakeTMDB's spec check accepts)."""
    from tmdb_sdk.testing._catalog import sample  # the testing kit's own sampler: one rule for "simplest"

    operation = _spec_operation(spec, entry["operation_id"])
    schemas = spec.get("components", {}).get("schemas", {})
    by_wire = {(p.get("in"), p.get("name")): p for p in operation.get("parameters") or []}

    def value(where: str, param: Mapping[str, Any]) -> Any:
        node = by_wire.get((where, param["wire"]), {})
        found, recorded = _recorded(node)
        return _as_kind(param["kind"], recorded if found else sample(dict(node.get("schema") or {}), schemas))

    args = [value("path", p) for p in entry["path_params"]]
    kwargs = {p["name"]: value("query", p) for p in entry["query_params"] if p["required"]}
    if entry["body"] and entry["body"]["required"]:
        media = operation["requestBody"]["content"]["application/json"]
        found, body = _recorded(media)
        kwargs["body"] = body if found else sample(dict(media.get("schema") or {}), schemas)
    return args, kwargs


def call_code(entry: Mapping[str, Any], args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
    """`tmdb.movies.details(550)` with Python literals."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"tmdb.{where(entry)}({', '.join(parts)})"


def shown_field(fields: Sequence[str]) -> str | None:
    return next((f for f in SHOWN_FIELDS if f in fields), None)


def examples(entry: Mapping[str, Any], call: str, fields: Sequence[str]) -> tuple[str, str]:
    """(sync, async) example of one operation: credentials and base URL from the environment."""
    shown = shown_field(fields)
    name = "page" if entry["paged"] else "result"
    if entry["paged"]:  # `x or []`: a field TMDB may leave out is `X | Unset`, and Unset is falsy
        printed = f"print({name}.page, len({name}.results or []))"
    else:
        printed = f"print({name}.{shown})" if shown else f"print(type({name}).__name__)"
    sync = f"from tmdb_sdk import TMDB\n\nwith TMDB() as tmdb:\n    {name} = {call}\n    {printed}\n"
    async_ = (
        "import asyncio\n\nfrom tmdb_sdk import AsyncTMDB\n\n\nasync def main() -> None:\n"
        f"    async with AsyncTMDB() as tmdb:\n        {name} = await {call}\n        {printed}\n\n\n"
        "asyncio.run(main())\n"
    )
    return sync, async_


def operation_examples(index: Mapping[str, Mapping[str, Any]], spec: Mapping[str, Any],
                       fields: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, str]]:
    """operationId -> (sync, async) example, as the resource pages show them (tests/docs runs each)."""
    out = {}
    for operation_id, entry in index.items():
        model = entry["result"]["model"] if entry["result"] else None
        out[operation_id] = examples(entry, call_code(entry, *example_arguments(entry, spec)), fields.get(model or "", ()))
    return out


def documented_errors(spec: Mapping[str, Any], operation_id: str) -> list[tuple[str, str]]:
    """(error class, when) for each HTTP error status the operation documents, then those of every call."""
    from tmdb_sdk.errors import error_class

    responses = _spec_operation(spec, operation_id).get("responses", {})
    statuses = sorted(int(s) for s in responses if s.isdigit() and int(s) >= 400)
    by_class: dict[str, list[str]] = {}
    for status in statuses:
        by_class.setdefault(error_class(status).__name__, []).append(f"HTTP {status}")
    return [(name, ", ".join(when)) for name, when in by_class.items()] + [
        (name, when) for name, when in ALWAYS if name not in by_class
    ]


def signature(entry: Mapping[str, Any], width: int = 88) -> str:
    """The facade's signature text, one parameter a line when it is wider than `width`."""
    line = facade._call_text(entry, None)
    if len(line) <= width:
        return line
    params = "".join(f"    {p},\n" for p in facade._parameters(entry, None))
    return f"tmdb.{where(entry)}(\n{params}) -> {facade._result(entry)}"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _model_ref(module: str, model: str) -> str:
    return f"[{model}][{module}.{model}]"


def operation_section(entry: Mapping[str, Any], errors: Sequence[tuple[str, str]], example: tuple[str, str],
                      fields: Mapping[str, Sequence[str]]) -> str:
    """One operation's part of its resource page."""
    name = where(entry)
    lines = [f"## tmdb.{name} {{ #{name.replace('.', '-')} }}", ""]
    summary, description = entry["summary"], entry.get("description", "").strip()
    lines += [summary + ("" if summary.endswith(".") else "."), ""]
    if description and description.rstrip(".") != summary.rstrip("."):
        lines += [" ".join(description.split()), ""]
    lines += ["```python", signature(entry), "```", ""]
    links = f"`{entry['method']} {entry['path']}`"
    if entry.get("docs"):
        links += f" · [TMDB docs]({entry['docs']})"
    lines += [links, ""]
    params = [*entry["path_params"], *entry["query_params"]]
    if params or entry["body"]:
        lines += ["**Parameters**", "", "| name | type | required | sent as | description |", "| --- | --- | --- | --- | --- |"]
        for p in params:
            where_sent = "path" if p in entry["path_params"] else f"query `{p['wire']}`"
            default = f" TMDB's default: `{p['default']!r}`." if p["default"] is not None else ""
            lines.append(f"| `{p['name']}` | `{_cell(p['annotation'])}` | {'yes' if p['required'] else 'no'} | "
                         f"{where_sent} | {_cell(p['description'])}{_cell(default)} |")  # fmt: skip
        if entry["body"]:
            body = entry["body"]
            lines.append(f"| `body` | {_model_ref(body['module'], body['model'])} or a mapping | "
                         f"{'yes' if body['required'] else 'no'} | JSON body | the request body |")  # fmt: skip
        lines.append("")
    result = entry["result"]
    lines.append("**Returns**")
    lines.append("")
    if result and result["model"]:
        model = result["model"]
        lines.append(f"{_model_ref(result['module'], model)} (HTTP {result['status']}).")
        names = fields.get(model, ())
        if names:
            refs = ", ".join(f"[`{f}`][{result['module']}.{model}.{f}]" for f in names)
            lines += ["", f"Fields: {refs}."]
    else:
        lines.append(f"`{_cell(result['annotation']) if result else 'Any'}`: the decoded JSON.")
    if entry["paged"] and entry["item"]:
        item = _cell(entry["item"]["annotation"])
        bounds = "`max_pages`, `max_items`, `start_page`"
        lines += ["", f"Paged: `.pages(...)` yields each page, `.items(...)` each `{item}` (bounds: {bounds})."]
    if entry["append"]:
        parts = ", ".join(f"`{p}`" for p in entry["append"])
        lines += ["", f"Parts for `.with_appended(..., append=[...])`: {parts}."]
    lines += ["", "**Errors**", "", "| error | when |", "| --- | --- |"]
    lines += [f"| [{cls}][tmdb_sdk.errors.{cls}] | {_cell(when)} |" for cls, when in errors]
    sync, async_ = example
    lines += ["", "**Example**", "", '=== "Sync"', "", *_indent_code(sync), "", '=== "Async"', "", *_indent_code(async_), ""]
    return "\n".join(lines)


def _indent_code(code: str) -> list[str]:
    return ["    ```python", *(f"    {line}" if line else "" for line in code.rstrip("\n").splitlines()), "    ```"]


def resource_pages(index: Mapping[str, Mapping[str, Any]], spec: Mapping[str, Any], fields: Mapping[str, Sequence[str]],
                   descriptions: Mapping[str, str]) -> dict[str, str]:
    """reference/<resource>.md per resource, and reference/index.md listing them."""
    by_resource: dict[str, list[Mapping[str, Any]]] = {}
    for entry in index.values():
        by_resource.setdefault(resource_of(entry), []).append(entry)
    all_examples = operation_examples(index, spec, fields)
    pages = {}
    overview = [
        "# Reference", "",
        f"{len(index)} operations in {len(by_resource)} resources. Each is called as `tmdb.<resource>.<action>(...)`",
        "on `TMDB` and awaited on `AsyncTMDB` (v4 ones under `tmdb.v4`).", "",
        "| resource | operations |", "| --- | --- |",
    ]  # fmt: skip
    for resource in sorted(by_resource, key=lambda r: (r.startswith("v4."), r)):
        entries = sorted(by_resource[resource], key=lambda e: e["action"])
        page = resource_page(resource)
        overview.append(f"| [tmdb.{resource}]({page.removeprefix('reference/')}) | {len(entries)} |")
        text = [f"# tmdb.{resource}", ""]
        description = descriptions.get(entries[0]["tag"], "")
        if description:
            text += [" ".join(description.split()), ""]
        text += [f"- [tmdb.{where(e)}](#{where(e).replace('.', '-')}): {_cell(e['summary'])}" for e in entries]
        text.append("")
        for entry in entries:
            errors = documented_errors(spec, entry["operation_id"])
            text.append(operation_section(entry, errors, all_examples[entry["operation_id"]], fields))
        pages[page] = "\n".join(text)
    pages["reference/index.md"] = "\n".join(overview) + "\n"
    return pages


# --- models ----------------------------------------------------------------------------------------


def model_names(source: str) -> list[str]:
    """The classes (and Literal enums) a generated model module defines."""
    return [m.group(1) or m.group(2) for m in _CLASS.finditer(source)]


def model_fields(source: str, model: str) -> list[str]:
    """The attributes (attrs fields) of `model`, in source order, read from the generated module's text."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef) and node.name == model:
            return [
                item.target.id for item in node.body
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                and not item.target.id.startswith("_") and item.target.id not in HIDDEN_FIELDS
            ]  # fmt: skip
    return []


# What the generator adds to every model (the JSON keys no field names): on the model pages, not in field lists.
HIDDEN_FIELDS = frozenset({"additional_properties"})
MODEL_OPTIONS = {
    "show_root_heading": True,
    "show_root_full_path": False,
    "show_if_no_docstring": True,
    "members_order": "source",
    "filters": ["!^_", "!^from_dict$", "!^to_dict$", "!^additional_properties$", "!^additional_keys$"],
    "show_bases": False,
    "show_labels": False,
    "heading_level": 2,
}


def model_group(module: str) -> str:
    """The page of a model module: one per initial (159 one-model pages would triple the site's page count)."""
    return module[0]


def model_pages(modules: Mapping[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(models/<initial>.md -> text, model -> its fields) from the generated modules' sources; mkdocstrings
    renders each class (and Literal enum) from the generated source, anchored by its full name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    fields = {}
    for module, source in sorted(modules.items()):
        for name in model_names(source):
            groups.setdefault(model_group(module), []).append((module, name))
            fields[name] = model_fields(source, name)
    options = json.dumps(MODEL_OPTIONS)
    pages = {}
    listing = ["# Models", "", "The models are in `tmdb_sdk.models` (generated into `tmdb_generated.models`). A field",
               "TMDB may leave out is typed `X | Unset`, one it may send as `null` also `| None`.", ""]  # fmt: skip
    for group, members in sorted(groups.items()):
        page = f"models/{group}.md"
        blocks = [f"# Models: {group.upper()}", ""]
        blocks += [f"::: tmdb_generated.models.{module}.{name}\n    options: {options}\n" for module, name in members]
        pages[page] = "\n".join(blocks)
        listing += [f"- [{name}]({group}.md#tmdb_generated.models.{module}.{name})" for module, name in members]
    pages["models/index.md"] = "\n".join(listing) + "\n"
    return pages, fields


# --- the site --------------------------------------------------------------------------------------

API_PAGES = {
    "api/errors.md": "# Errors\n\n::: tmdb_sdk.errors\n    options:\n      show_root_heading: false\n      members_order: source\n",
    "api/testing.md": "# Testing kit\n\n::: tmdb_sdk.testing.FakeTMDB\n    options:\n      show_root_heading: true\n"
                      "      members_order: source\n\n::: tmdb_sdk.testing.RecordedRequest\n    options:\n"
                      "      show_root_heading: true\n",
}  # fmt: skip


def home_page(index: Mapping[str, Any], guides: Sequence[tuple[str, str, Any]] = GUIDES) -> str:
    lines = [
        f"# {SITE_NAME}", "",
        "The typed Python client for The Movie Database (TMDB) API: `TMDB` and `AsyncTMDB`, every operation as",
        "`tmdb.<resource>.<action>(...)`, with retries, paging, a cache, a shared rate limit and a testing kit.", "",
        f"- [Reference](reference/index.md): the {len(index)} operations, one page per resource.",
        "- [Models](models/index.md): the results' models and their fields.",
        "- [Errors](api/errors.md) and the [testing kit](api/testing.md).", "",
        "Guides:", "",
        *(f"- [{title}](guides/{page}.md)" for page, title, _ in guides),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def mkdocs_config(pages: Iterable[str], guides: Sequence[tuple[str, str, Any]] = GUIDES) -> str:
    """mkdocs.yml: material without external assets (no Google fonts), search splitting on dots."""
    reference = sorted(p for p in pages if p.startswith("reference/") and p != "reference/index.md")
    models = sorted(p for p in pages if p.startswith("models/") and p != "models/index.md")
    config = {
        "site_name": SITE_NAME,
        "docs_dir": "docs",
        "site_dir": "../site",
        "use_directory_urls": False,
        "strict": True,
        "theme": {"name": "material", "font": False, "features": ["navigation.sections", "search.highlight"]},
        "validation": {"links": {"not_found": "warn", "anchors": "warn", "absolute_links": "warn",
                                 "unrecognized_links": "warn"}},
        "markdown_extensions": ["admonition", "attr_list", "tables", "toc",
                                "pymdownx.superfences", {"pymdownx.tabbed": {"alternate_style": True}},
                                "pymdownx.highlight"],
        "plugins": [
            # Dots and underscores separate words: "movie details" finds tmdb.movies.details.
            {"search": {"separator": r'[\s\-_,:!=\[\]()"/.]+'}},
            "autorefs",
            {"mkdocstrings": {"default_handler": "python", "handlers": {"python": {
                "paths": ["../../runtime", "../../generated"],
                "options": {"docstring_style": "google", "show_source": False, "show_signature_annotations": True,
                            "separate_signature": True, "signature_crossrefs": True},
            }}}},
        ],
        "nav": [
            {"Home": "index.md"},
            {"Guides": [{title: f"guides/{page}.md"} for page, title, _ in guides]},
            {"Reference": ["reference/index.md", *reference, "api/errors.md", "api/testing.md"]},
            {"Models": ["models/index.md", *models]},
        ],
    }
    return json.dumps(config, indent=1) + "\n"  # YAML 1.2 reads JSON


def render(index: Mapping[str, Mapping[str, Any]], spec: Mapping[str, Any], sources: Mapping[str, str],
           models: Mapping[str, str]) -> dict[str, str]:
    """Every file of build/docs-src (path -> text): mkdocs.yml and docs/..."""
    model_docs, fields = model_pages(models)
    descriptions = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
    docs = {"index.md": home_page(index), **guide_pages(sources), **resource_pages(index, spec, fields, descriptions),
            **model_docs, **API_PAGES}  # fmt: skip
    return {"mkdocs.yml": mkdocs_config(docs), **{f"docs/{path}": text for path, text in docs.items()}}


def load(spec_path: Path, config: Path, lock: Path, readme: Path, models: Path) -> tuple[Any, ...]:
    spec = read_json(spec_path)
    docs = op_index.docs_pages((p.method, p.path, p.page) for p in read_lock(lock))
    index = op_index.build_index(spec, op_index.load_config(config), docs)
    sources = {"README.md": readme.read_text(encoding="utf-8")}
    for guide in GUIDES:
        for source, _heading in guide[2]:
            if source not in sources:
                sources[source] = (readme.parent / source).read_text(encoding="utf-8")
    modules = {p.stem: p.read_text(encoding="utf-8") for p in sorted(models.glob("*.py")) if p.stem != "__init__"}
    return index, spec, sources, modules


def write(files: Mapping[str, str], out: Path) -> None:
    """Writes the files, removing any other file under `out` (a page of a removed model or resource)."""
    for path in sorted(out.rglob("*"), reverse=True) if out.exists() else ():
        relative = path.relative_to(out).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            shutil.rmtree(path)
    for relative, text in files.items():
        write_if_changed(out / relative, text.encode())


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--lock", type=Path, required=True)
    parser.add_argument("--readme", type=Path, required=True)
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    files = render(*load(args.spec, args.config, args.lock, args.readme, args.models))
    write(files, args.out)
    print(f"docs-site: {len(files)} files in {args.out}")


if __name__ == "__main__":
    run_main(main)
