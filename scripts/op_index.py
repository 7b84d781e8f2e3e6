"""The operation index: every operation of the final spec, as the generator names it.

usage: python -m scripts.op_index --spec build/spec/openapi.json --config generator/config.yaml
           [--lock openapi/pages.lock] [--out generated/tmdb_generated/_operations.py]

`build_index(spec, config)` is a pure function of the final spec and the generator's configuration.
It runs openapi-python-client's own parser on the spec, so every name in the index (module, function,
Python parameter name, model class and module) is the one the generated code uses, not a copy of the
generator's naming rules. scripts/generate.py writes it into the generated package
(`tmdb_generated/_operations.py`, a module of literals: the fastest thing to import) and
scripts/facade.py emits the typed facade from it (scripts/generate.py runs both); the runtime, client defaults, cache rules and hooks
read it instead of inspecting the generated package.

One entry per operationId:
  operation_id, tag (the spec's), resource and action (`tmdb.<resource>.<action>`, v4 ones under
  `tmdb.v4`), version (3 or 4), module (the generated function's module), method, path (template),
  path_params and query_params (name = Python name, wire = name sent, kind = int/str/bool/float/list,
  annotation = the generator's type, required, default = TMDB's default, description), list_params,
  body (model, module, required), result (model, module, annotation, status), paged, item (the type of
  one `results` element of a paged result), append (append_to_response part -> attribute of the result
  model, its own operation and model), cacheable, summary, description and docs (the docs page).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import LiteralEnumProperty, ModelProperty
from openapi_python_client.parser.properties.boolean import BooleanProperty
from openapi_python_client.parser.properties.float import FloatProperty
from openapi_python_client.parser.properties.int import IntProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol as Property
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.strings import PythonIdentifier

from scripts.common import GENERATED_PACKAGE, LIVE_SITE, PipelineError, read_json, run_main, write_if_changed
from scripts.sources import read_lock

PACKAGE = GENERATED_PACKAGE
V4_TAG_PREFIX = "v4_"
# Resources whose every operation is about one user (sessions, accounts, tokens): never cached.
USER_TAGS = frozenset({"account", "authentication", "guest_sessions", "lists", "v4_account", "v4_auth", "v4_lists"})
# Parameters that make a response one user's.
USER_PARAMS = frozenset({"session_id", "guest_session_id"})

Index = dict[str, dict[str, Any]]
TypeRef = tuple[str, list[list[str]]]  # (annotation, [[module, name], ...] it needs)


def load_config(path: Path) -> Config:
    """The generator's Config from generator/config.yaml, as its CLI builds it."""
    return Config.from_sources(ConfigFile.load_from_path(path), MetaType.NONE, path, "utf-8", True, None)


def _text(value: Any) -> str:
    """An UntrustedString, PythonCode or str as plain text."""
    for attribute in ("get_untrusted_value", "as_unembedded_code"):
        if hasattr(value, attribute):
            return str(getattr(value, attribute)())
    return "" if value is None else str(value)


def _model_module(prop: ModelProperty | LiteralEnumProperty) -> str:
    return f"{PACKAGE}.models.{prop.class_info.module_name}"


def type_ref(prop: Property) -> TypeRef:
    """The generator's annotation of `prop` (without Unset/None) and the generated classes it names."""
    refs: list[list[str]] = []

    def walk(p: Property) -> None:
        if isinstance(p, ModelProperty | LiteralEnumProperty):
            refs.append([_model_module(p), str(p.class_info.name)])
        elif isinstance(p, ListProperty):
            walk(p.inner_property)
        elif isinstance(p, UnionProperty):
            for inner in p.inner_properties:
                walk(inner)

    walk(prop)
    unique = sorted({(m, n) for m, n in refs})
    return _text(prop.get_type_string(no_optional=True)), [[m, n] for m, n in unique]


def _kind(prop: Property) -> str:
    if isinstance(prop, ListProperty):
        return "list"
    if isinstance(prop, BooleanProperty):
        return "bool"
    if isinstance(prop, IntProperty):
        return "int"
    if isinstance(prop, FloatProperty):
        return "float"
    return "str"


def _param(prop: Property) -> dict[str, Any]:
    annotation, imports = type_ref(prop)
    default = getattr(prop.default, "raw_value", None) if prop.default is not None else None
    return {
        "name": str(prop.python_name),
        "wire": _text(prop.name),
        "kind": _kind(prop),
        "annotation": annotation,
        "imports": imports,
        "required": bool(prop.required),
        "default": default,
        "description": " ".join(_text(prop.description).split()),
    }


def _success(endpoint: Endpoint) -> tuple[int, Property] | None:
    """The first 2xx response with a body schema: (status, property)."""
    for response in endpoint.responses:
        pattern = response.status_code.pattern
        if pattern.isdigit() and pattern.startswith("2"):
            return int(pattern), response.prop
    return None


def _properties(model: ModelProperty) -> list[Property]:
    return [*(model.required_properties or []), *(model.optional_properties or [])]


def _result(endpoint: Endpoint) -> dict[str, Any] | None:
    success = _success(endpoint)
    if success is None:
        return None
    status, prop = success
    annotation, imports = type_ref(prop)
    model = prop if isinstance(prop, ModelProperty) else None
    return {
        "status": status,
        "annotation": annotation,
        "imports": imports,
        # The class whose from_dict parses the body; None: the decoded JSON is the result (e.g. a list).
        "model": str(model.class_info.name) if model else None,
        "module": _model_module(model) if model else None,
    }


def _page_item(endpoint: Endpoint, query: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A paged operation takes `page` and returns a model with a list of `results`: one result's type."""
    success = _success(endpoint)
    if success is None or not isinstance(success[1], ModelProperty) or "page" not in {p["wire"] for p in query}:
        return None
    for prop in _properties(success[1]):
        if _text(prop.name) == "results" and isinstance(prop, ListProperty):
            annotation, imports = type_ref(prop.inner_property)
            return {"annotation": annotation, "imports": imports}
    return None


def _body(endpoint: Endpoint) -> dict[str, Any] | None:
    for body in endpoint.bodies:
        if isinstance(body.prop, ModelProperty):
            return {
                "model": str(body.prop.class_info.name),
                "module": _model_module(body.prop),
                "required": bool(body.prop.required),
            }
    return None


def _append_parts(endpoint: Endpoint, tag: str, operation_ids: set[str]) -> dict[str, dict[str, Any]]:
    """append_to_response parts: the result model's properties named after a sibling operation.

    TMDB puts each appended sub-request's body under the sub-request's name ("credits", "watch/providers"),
    and overlays 055/057 declare those keys on the details models, typed as the sibling's response.
    """
    success = _success(endpoint)
    wire = {_text(p.name) for p in endpoint.query_parameters}
    if "append_to_response" not in wire or success is None or not isinstance(success[1], ModelProperty):
        return {}
    parts: dict[str, dict[str, Any]] = {}
    for prop in _properties(success[1]):
        part = _text(prop.name)
        sibling = f"{tag}_{part.replace('/', '_')}"
        if sibling in operation_ids and isinstance(prop, ModelProperty):
            parts[part] = {
                "attribute": str(prop.python_name),
                "operation_id": sibling,
                "model": str(prop.class_info.name),
                "module": _model_module(prop),
            }
    return dict(sorted(parts.items()))


def _collapse(path: str) -> str:
    """A path with parameter names and empty segments dropped, to match a pin the overlays moved."""
    return re.sub(r"\{[^}]*\}", "{}", re.sub(r"/+", "/", path))


def docs_pages(pins: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    """(METHOD, collapsed path) -> docs URL, from the (method, path, page) pins of openapi/pages.lock."""
    return {(method, _collapse(path)): LIVE_SITE + page.removesuffix(".md") for method, path, page in pins}


def build_index(
    spec: Mapping[str, Any], config: Config, docs: Mapping[tuple[str, str], str] | None = None
) -> Index:
    """operationId -> its entry (see the module docstring), in the order of the generated package."""
    data = GeneratorData.from_dict(dict(spec), config=config)
    if not isinstance(data, GeneratorData):
        raise PipelineError(f"the generator cannot read the spec: {data.header}: {data.detail}")
    endpoints = [(str(tag), e) for tag, c in data.endpoint_collections_by_tag.items() for e in c.endpoints]
    operation_ids = {str(e.name) for _, e in endpoints}
    index: Index = {}
    for folder, endpoint in sorted(endpoints, key=lambda pair: str(pair[1].name)):
        operation_id, method, path = str(endpoint.name), endpoint.method.upper(), _text(endpoint.path)
        tag = _spec_tag(spec, method, path) or folder
        version = 4 if path.startswith("/4/") else 3
        query = [_param(p) for p in endpoint.query_parameters]
        path_params = [_param(p) for p in endpoint.path_parameters]
        user = tag in USER_TAGS or bool(USER_PARAMS & {p["wire"] for p in query}) or "account_states" in operation_id
        item = _page_item(endpoint, query)
        index[operation_id] = {
            "operation_id": operation_id,
            "tag": tag,
            "resource": tag.removeprefix(V4_TAG_PREFIX) if version == 4 else tag,
            "action": operation_id.removeprefix(f"{tag}_"),
            "version": version,
            "module": f"{PACKAGE}.api.{folder}.{PythonIdentifier(operation_id, config.field_prefix)}",
            "method": method,
            # The template as the generator formats it (Python names in braces).
            "path": path,
            "path_params": path_params,
            "query_params": query,
            "list_params": [p["name"] for p in [*path_params, *query] if p["kind"] == "list"],
            "body": _body(endpoint),
            "result": _result(endpoint),
            "paged": item is not None,
            "item": item,
            "append": _append_parts(endpoint, tag, operation_ids),
            "cacheable": method == "GET" and not user,
            "summary": " ".join(_text(endpoint.summary).split()),
            "description": _text(endpoint.description).strip(),
            "docs": (docs or {}).get((method, _collapse(_wire_path(spec, method, path) or path))),
        }
    return index


def _spec_operation(spec: Mapping[str, Any], method: str, path: str) -> tuple[str, Mapping[str, Any]] | None:
    """(wire path, operation) of the spec operation the generator's endpoint came from."""
    want = _collapse(path)
    for wire, item in spec.get("paths", {}).items():
        op = item.get(method.lower()) if isinstance(item, Mapping) else None
        if op is not None and _collapse(wire) == want:
            return wire, op
    return None


def _spec_tag(spec: Mapping[str, Any], method: str, path: str) -> str | None:
    """The spec's own tag (the generator turns `credits` into the folder `credits_`)."""
    found = _spec_operation(spec, method, path)
    tags = found[1].get("tags") if found else None
    return str(tags[0]) if tags else None


def _wire_path(spec: Mapping[str, Any], method: str, path: str) -> str | None:
    found = _spec_operation(spec, method, path)
    return found[0] if found else None


# The fields of one parameter and one append_to_response part in the runtime module, in order.
PARAM_FIELDS = ("name", "wire", "kind", "required", "default")
PART_FIELDS = ("attribute", "operation_id", "module", "model")


def runtime_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """What the runtime reads of an entry: no descriptions or annotations (those are for the facade), the
    one-line summary only."""

    def row(item: Mapping[str, Any], fields: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(item[f] for f in fields)

    result, body = entry["result"], entry["body"]
    return {
        **{k: entry[k] for k in ("tag", "resource", "action", "version", "module", "method", "path")},
        "path_params": tuple(row(p, PARAM_FIELDS) for p in entry["path_params"]),
        "query_params": tuple(row(p, PARAM_FIELDS) for p in entry["query_params"]),
        "list_params": tuple(entry["list_params"]),
        "body": (body["module"], body["model"], body["required"]) if body else None,
        "result": (result["module"], result["model"], result["status"]) if result else None,
        "paged": entry["paged"],
        "append": {part: row(info, PART_FIELDS) for part, info in entry["append"].items()},
        "cacheable": entry["cacheable"],
        "summary": entry["summary"],  # for the debug CLI's help (tmdb_sdk.cli)
    }


def render_module(index: Index) -> str:
    """The runtime's index (tmdb_generated/_operations.py): one literal dict per operation, one line each."""
    lines = [
        '"""Written by scripts/op_index.py from the final spec: every operation, as the generator named it.',
        "",
        "Read by tmdb_sdk._index (fields: scripts/op_index.py, runtime_entry). Not to be edited.",
        '"""',
        "",
        "from typing import Any",
        "",
        f"PARAM_FIELDS = {PARAM_FIELDS!r}",
        f"PART_FIELDS = {PART_FIELDS!r}",
        "OPERATIONS: dict[str, dict[str, Any]] = {",
    ]
    lines += [f"    {operation_id!r}: {runtime_entry(entry)!r}," for operation_id, entry in index.items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(package: Path, spec: Mapping[str, Any], config_path: Path, lock: Path | None) -> Index:
    """Writes the index (_operations.py) into `package`; the caller (scripts/generate.py) emits the typed
    facade from what it returns (scripts/facade.py imports this module, never the other way round)."""
    docs = docs_pages((p.method, p.path, p.page) for p in read_lock(lock)) if lock is not None else None
    index = build_index(spec, load_config(config_path), docs)
    write_if_changed(package / "_operations.py", render_module(index).encode())
    return index


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--lock", type=Path)
    parser.add_argument("--out", type=Path, help="write the module here (default: print a summary)")
    args = parser.parse_args(argv)
    docs = docs_pages((p.method, p.path, p.page) for p in read_lock(args.lock)) if args.lock else None
    index = build_index(read_json(args.spec), load_config(args.config), docs)
    if args.out:
        write_if_changed(args.out, render_module(index).encode())
    paged = sum(1 for e in index.values() if e["paged"])
    print(f"op_index: {len(index)} operations, {paged} paged, {sum(1 for e in index.values() if e['append'])} with parts")


if __name__ == "__main__":
    run_main(main)
