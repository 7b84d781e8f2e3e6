"""The typed facade of TMDB and AsyncTMDB, emitted from the operation index at build time.

usage: called by scripts/generate.py with the index scripts/op_index.write returns;
       `python -m scripts.facade --spec ... --config ... --out DIR` writes it elsewhere for a look.

Writes `tmdb_generated/_facade/`: `__init__.py` with the resource attributes of both clients
(`Resources`, `AsyncResources`, and their `v4` parts), and one module per resource with, for every
operation, a sync and an async class: docstring (signature, summary, description, parameters, docs
link) at run time, and the typed `__call__`, `pages`/`items` (paged operations) and `with_appended`
(operations with append_to_response parts) for type checkers. `_facade/raw/` is the same for
`tmdb.with_raw_response` (`RawResources`, `AsyncRawResources`): the same signatures, each call returning
`RawResponse[result]`. Runtime behaviour is the runtime's (tmdb_sdk.operations, tmdb_sdk.raw); a
resource module is imported on first access to the resource (the raw package on first access to
`with_raw_response`), and models are imported by type checkers only.
"""

from __future__ import annotations

import argparse
import keyword
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openapi_python_client.strings import PythonIdentifier, pascal_case

from scripts import op_index
from scripts.common import read_json, run_main, write_if_changed

FACADE = "_facade"
RAW = "raw"  # the subpackage of tmdb.with_raw_response
HEADER = "# Written by scripts/facade.py from the operation index: do not edit.\n"


def _doc(text: str, indent: str) -> str:
    """A docstring literal: the text, escaped, indented."""
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    lines = body.splitlines() or [""]
    if len(lines) == 1:
        return f'{indent}"""{lines[0]}"""\n'
    rest = "\n".join(f"{indent}{line}" if line.strip() else "" for line in lines[1:])
    return f'{indent}"""{lines[0]}\n{rest}\n{indent}"""\n'


def module_name(entry: Mapping[str, Any]) -> str:
    """The facade module of a resource: its spec tag, as the generator would name a module."""
    return str(PythonIdentifier(entry["tag"], prefix="tag"))


def _pascal(text: str) -> str:
    return pascal_case(text.replace("/", "_"))


class _Names:
    """Class names of one module, kept clear of the model names it imports."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)

    def new(self, wanted: str) -> str:
        name = wanted
        while name in self.taken or keyword.iskeyword(name):
            name += "Operation" if not name.endswith("Operation") else "_"
        self.taken.add(name)
        return name


def _imports(entry: Mapping[str, Any], *, raw: bool = False) -> set[tuple[str, str]]:
    """The (module, name) pairs the typed signatures of an operation use (a raw call: its __call__ only)."""
    found: set[tuple[str, str]] = set()
    for param in [*entry["path_params"], *entry["query_params"]]:
        found.update((m, n) for m, n in param["imports"])
    for key in ("result",) if raw else ("result", "item"):
        if entry.get(key):
            found.update((m, n) for m, n in entry[key]["imports"])
    if entry["body"]:
        found.add((entry["body"]["module"], entry["body"]["model"]))
    for part in () if raw else entry["append"].values():
        found.add((part["module"], part["model"]))
    return found


def _parameters(entry: Mapping[str, Any], parts_alias: str | None, *, paging: bool = False) -> list[str]:
    """The typed parameters of a call (without self): path ones positional, the rest keyword-only."""
    params = [f"{p['name']}: {p['annotation']}" for p in entry["path_params"]]
    keywords: list[str] = []
    for p in entry["query_params"]:
        if paging and p["wire"] == "page":
            continue
        annotation = p["annotation"]
        if p["wire"] == "append_to_response" and parts_alias:
            annotation = f"Sequence[{parts_alias}] | str"
        keywords.append(f"{p['name']}: {annotation}" if p["required"] else f"{p['name']}: {annotation} | None = None")
    body = entry["body"]
    if body:
        annotation = f"{body['model']} | Mapping[str, Any]"
        keywords.append(f"body: {annotation}" if body["required"] else f"body: {annotation} | None = None")
    required = [k for k in keywords if "=" not in k]
    optional = [k for k in keywords if "=" in k]
    return params + (["*", *required, *optional] if keywords else [])


def _result(entry: Mapping[str, Any], *, raw: bool = False) -> str:
    result = entry["result"]["annotation"] if entry["result"] else "Any"
    return f"RawResponse[{result}]" if raw else result


def _where(entry: Mapping[str, Any]) -> str:
    """How a user names the operation: movies.details, v4.lists.details."""
    return f"{'v4.' if entry['version'] == 4 else ''}{entry['resource']}.{entry['action']}"


def _call_text(entry: Mapping[str, Any], parts_alias: str | None, *, raw: bool = False) -> str:
    """The signature as a user reads it: tmdb.movies.details(movie_id: int, *, ...) -> MovieDetails."""
    where = ("with_raw_response." if raw else "") + _where(entry)
    return f"tmdb.{where}({', '.join(_parameters(entry, parts_alias))}) -> {_result(entry, raw=raw)}"


def _op_doc(entry: Mapping[str, Any], parts_alias: str | None, *, raw: bool = False) -> str:
    lines = [_call_text(entry, parts_alias, raw=raw), ""]
    if raw:
        lines += [f"The call of tmdb.{_where(entry)}, returning its RawResponse: status_code, headers, elapsed,",
                  "attempts, the body, and .parse() for the typed result.", ""]  # fmt: skip
    summary, description = entry["summary"], entry.get("description", "")
    lines.append(summary + ("" if summary.endswith(".") else "."))
    if description and description.strip().rstrip(".") != summary.strip().rstrip("."):
        lines += ["", *textwrap.wrap(" ".join(description.split()), 100)]
    documented = [p for p in [*entry["path_params"], *entry["query_params"]] if p["description"]]
    if documented:
        lines += ["", "Args:"]
        for p in documented:
            default = f" TMDB's default: {p['default']!r}." if p["default"] is not None else ""
            wrapped = textwrap.wrap(f"{p['name']}: {p['description']}{default}", 96)
            lines += [f"    {wrapped[0]}", *(f"        {w}" for w in wrapped[1:])]
    if entry["paged"] and not raw:
        lines += ["", "Paged: .pages(...) yields each page, .items(...) each result (max_pages, max_items, start_page)."]
    if entry["append"] and not raw:
        lines += ["", f"Parts for .with_appended(..., append=[...]): {', '.join(entry['append'])}."]
    if entry.get("docs"):
        lines += ["", f"Docs: {entry['docs']}"]
    return "\n".join(lines)


def _stub(name: str, params: list[str], result: str, *, is_async: bool = False) -> str:
    prefix = "async def" if is_async else "def"
    return f"        {prefix} {name}(self, {', '.join(params)}) -> {result}: ...\n" if params else (
        f"        {prefix} {name}(self) -> {result}: ...\n"
    )


def _operation_classes(
    entry: Mapping[str, Any], names: _Names, types: list[str]
) -> tuple[str, str, str, str | None]:
    """(sync class name, async class name, source, name of the append parts' Literal) of one operation."""
    op_id = entry["operation_id"]
    sync_name, async_name = names.new(_pascal(op_id)), names.new("Async" + _pascal(op_id))
    parts_alias = appended = None
    if entry["append"]:
        parts_alias = names.new(_pascal(op_id) + "Part")
        appended = names.new(_pascal(op_id) + "Appended")
        literal = ", ".join(repr(p) for p in entry["append"])
        types.append(f"    {parts_alias} = Literal[{literal}]\n")
        result_model = _result(entry)
        body = f"    class {appended}(Appended[{result_model}]):\n"
        body += f'        """{result_model} with its requested parts: appended["credits"] is typed per part."""\n\n'
        for part, info in entry["append"].items():
            body += f"        @overload\n        def __getitem__(self, part: Literal[{part!r}]) -> {info['model']}: ...\n"
        body += "        @overload\n        def __getitem__(self, part: str) -> Any: ...\n"
        body += "        def __getitem__(self, part: str) -> Any: ...\n"
        types.append(body)
    doc = _op_doc(entry, parts_alias)
    call = _parameters(entry, parts_alias)
    result = _result(entry)
    source = ""
    for cls, base, is_async in ((sync_name, "SyncOperation", False), (async_name, "AsyncOperation", True)):
        source += f"\n\nclass {cls}({base}):\n" + _doc(doc, "    ") + "\n    __slots__ = ()\n\n    if TYPE_CHECKING:\n"
        source += _stub("__call__", call, result, is_async=is_async)
        if entry["paged"] and entry["item"]:
            paging = _parameters(entry, parts_alias, paging=True)
            if "*" not in paging:
                paging.append("*")
            pages = [*paging, "max_pages: int | None = None", "start_page: int = 1"]
            items = [*paging, "max_items: int | None = None", "max_pages: int | None = None", "start_page: int = 1"]
            iterator = "AsyncIterator" if is_async else "Iterator"
            source += _stub("pages", pages, f"{iterator}[{result}]")
            source += _stub("items", items, f"{iterator}[{entry['item']['annotation']}]")
        if appended:
            params = [p for p in call if not p.startswith("append_to_response")]
            if "*" not in params:
                params.append("*")
            params.insert(params.index("*") + 1, f"append: Sequence[{parts_alias}]")
            source += _stub("with_appended", params, appended, is_async=is_async)
    return sync_name, async_name, source, parts_alias


def _raw_operation_classes(entry: Mapping[str, Any], names: _Names, parts_alias: str | None) -> tuple[str, str, str]:
    """(sync class name, async class name, source) of one operation of tmdb.with_raw_response: the
    signature of the plain call, the result wrapped in RawResponse."""
    op_id = entry["operation_id"]
    sync_name, async_name = names.new("Raw" + _pascal(op_id)), names.new("AsyncRaw" + _pascal(op_id))
    doc = _op_doc(entry, parts_alias, raw=True)
    call, result = _parameters(entry, parts_alias), _result(entry, raw=True)
    source = ""
    for cls, base, is_async in ((sync_name, "SyncRawOperation", False), (async_name, "AsyncRawOperation", True)):
        source += f"\n\nclass {cls}({base}):\n" + _doc(doc, "    ") + "\n    __slots__ = ()\n\n    if TYPE_CHECKING:\n"
        source += _stub("__call__", call, result, is_async=is_async)
    return sync_name, async_name, source


# The generated login operations: tmdb.auth runs the same flows with typed, masked results.
LOGIN_TAGS = frozenset({"authentication", "v4_auth"})


def _resource_doc(
    resource: str, version: int, description: str, entries: list[Mapping[str, Any]], *, raw: bool = False
) -> str:
    where = f"tmdb.{'with_raw_response.' if raw else ''}{'v4.' if version == 4 else ''}{resource}"
    lines = [f"{where}: {description.strip() or resource}", ""]
    if raw:
        lines += ["The operations of the resource, each call returning its RawResponse.", ""]
    elif entries[0]["tag"] in LOGIN_TAGS:
        lines += ["To sign a user in, use tmdb.auth: the same operations as flows, with results that", "mask their secrets.", ""]
    lines.append("Operations:")
    lines += [f"    {e['action']}: {e['summary']}" for e in entries]
    return "\n".join(lines)


def _head(doc: str, runtime: list[str], typing: list[str], imports: Iterable[tuple[str, str]]) -> list[str]:
    """The top of a module: its docstring, its runtime imports, and those of type checkers only."""
    out = [HEADER, f'"""{doc}"""\n\n', "from __future__ import annotations\n\n",
           "from typing import TYPE_CHECKING\n\n",
           *(f"{line}\n" for line in runtime), "\nif TYPE_CHECKING:\n", *(f"    {line}\n" if line else "\n" for line in typing)]  # fmt: skip
    out += [f"    from {module} import {name}\n" for module, name in imports]
    return [*out, "\n"]


# Resources whose TMDB / AsyncTMDB classes also derive from a runtime mixin adding hand-written methods:
# resource -> (module, sync mixin, async mixin). tmdb.changes.ids: issue 24.
MIXINS = {"changes": ("tmdb_sdk.catalogue.changes", "ChangeIds", "AsyncChangeIds")}


def _namespaces(
    classes: tuple[str, str], where: str, doc: str, operations: list[tuple[Mapping[str, Any], str, str, str]],
    mixins: tuple[str, str] | None = None,
) -> list[str]:
    """The resource classes of TMDB and of AsyncTMDB: each operation a cached attribute, documented as its
    class is (an editor's hover on `tmdb.movies.details` shows the attribute's docstring)."""
    out = []
    actions = ", ".join(repr(entry["action"]) for entry, *_classes_and_doc in operations)
    for index, cls in enumerate(classes):
        bases = f"{mixins[index]}, Namespace" if mixins else "Namespace"
        out += [f"\n\nclass {cls}({bases}):\n", _doc(doc, "    "), f"\n    _resource = {where!r}\n",
                f"    _actions = ({actions},)\n"]  # fmt: skip
        for entry, *pair, op_doc in operations:
            op_cls = pair[index]
            out.append(f"\n    @cached_attribute\n    def {entry['action']}(self) -> {op_cls}:\n")
            out.append(_doc(op_doc, "        "))
            out.append(f"        return {op_cls}(self._core, self._info({entry['operation_id']!r}))\n")
    return out


def _base_name(entry: Mapping[str, Any]) -> str:
    return ("V4" if entry["version"] == 4 else "") + _pascal(entry["resource"])


def render_resource(entries: list[Mapping[str, Any]], description: str) -> tuple[str, str, str, dict[str, str]]:
    """(sync class, async class, module source, operationId -> its append parts' Literal) of one resource."""
    imports = sorted({pair for e in entries for pair in _imports(e)})
    names = _Names(n for _, n in imports)
    first = entries[0]
    resource_cls, async_resource_cls = names.new(_base_name(first)), names.new("Async" + _base_name(first))
    types: list[str] = []
    classes = [(e, *_operation_classes(e, names, types)) for e in entries]
    where = ("v4." if first["version"] == 4 else "") + first["resource"]
    mixin = MIXINS.get(where)
    out = _head(
        f"tmdb.{where}, typed: one class per operation for TMDB and one for AsyncTMDB.",
        ["from tmdb_sdk.operations import AsyncOperation, Namespace, SyncOperation, cached_attribute",
         *([f"from {mixin[0]} import {mixin[2]}, {mixin[1]}"] if mixin else [])],
        ["from collections.abc import AsyncIterator, Iterator, Mapping, Sequence", "from typing import Any, Literal, overload",
         "", "from tmdb_sdk.append import Appended"],
        imports,
    )  # fmt: skip
    out += types
    out += [source for _entry, _sync, _async, source, _parts in classes]
    out += _namespaces(
        (resource_cls, async_resource_cls), where, _resource_doc(first["resource"], first["version"], description, entries),
        [(entry, sync, async_, _op_doc(entry, parts)) for entry, sync, async_, _source, parts in classes],
        mixin[1:] if mixin else None,
    )
    parts = {entry["operation_id"]: alias for entry, _sync, _async, _source, alias in classes if alias}
    return resource_cls, async_resource_cls, "".join(out), parts


def render_raw_resource(
    entries: list[Mapping[str, Any]], description: str, module: str, parts: Mapping[str, str]
) -> tuple[str, str, str]:
    """(sync class, async class, module source) of one resource of tmdb.with_raw_response: the operations'
    signatures as render_resource writes them (the append parts' Literals imported from its module)."""
    imports = sorted({pair for e in entries for pair in _imports(e, raw=True)})
    imports += sorted((f"..{module}", alias) for alias in parts.values())
    names = _Names([*(n for _, n in imports), "RawResponse"])
    first = entries[0]
    resource_cls, async_resource_cls = names.new("Raw" + _base_name(first)), names.new("AsyncRaw" + _base_name(first))
    classes = [(e, *_raw_operation_classes(e, names, parts.get(e["operation_id"]))) for e in entries]
    where = ("v4." if first["version"] == 4 else "") + first["resource"]
    out = _head(
        f"tmdb.with_raw_response.{where}, typed: the calls of tmdb.{where}, each returning RawResponse[result].",
        ["from tmdb_sdk.operations import Namespace, cached_attribute",
         "from tmdb_sdk.raw import AsyncRawOperation, SyncRawOperation"],
        ["from collections.abc import Mapping, Sequence", "from typing import Any", "", "from tmdb_sdk.raw import RawResponse"],
        imports,
    )  # fmt: skip
    out += [source for _entry, _sync, _async, source in classes]
    out += _namespaces(
        (resource_cls, async_resource_cls), "with_raw_response." + where,
        _resource_doc(first["resource"], first["version"], description, entries, raw=True),
        [(entry, sync, async_, _op_doc(entry, parts.get(entry["operation_id"]), raw=True))
         for entry, sync, async_, _source in classes],
    )  # fmt: skip
    return resource_cls, async_resource_cls, "".join(out)


def render_init(resources: list[tuple[str, int, str, str, str, str]], *, raw: bool = False) -> str:
    """The resource attributes: (resource, version, module, sync class, async class, summary) each.

    raw: those of tmdb.with_raw_response (the `raw` subpackage), each group made with the client's core.
    """
    prefix, where = ("Raw", ".with_raw_response") if raw else ("", "")
    doc = (f"The typed resources of tmdb{where}: `{prefix}Resources` (TMDB) and `Async{prefix}Resources`\n"
           "(AsyncTMDB), v4 under `.v4`.\n\nEach resource is a cached attribute whose module is imported on first "
           "access.\n")  # fmt: skip
    imports = [(f".{module}", f"{async_cls}, {sync_cls}") for _r, _v, module, sync_cls, async_cls, _s in resources]
    out = _head(doc, ["from tmdb_sdk.operations import ResourceGroup, SubGroup, cached_attribute"],
                ["from tmdb_sdk._core import Core", ""], imports)
    out.pop()  # the blank line: the classes follow
    for cls, version, is_async, v4_cls in (
        (f"{prefix}Resources", 3, False, f"{prefix}V4Resources"), (f"Async{prefix}Resources", 3, True, f"Async{prefix}V4Resources"),
        (f"{prefix}V4Resources", 4, False, None), (f"Async{prefix}V4Resources", 4, True, None),
    ):  # fmt: skip
        flavour = ("AsyncTMDB" if is_async else "TMDB") + where
        # The client's own groups get their core from the client, the others when the client makes them.
        out.append(f"\n\nclass {cls}({'SubGroup' if version == 4 or raw else 'ResourceGroup'}):\n")
        out.append(_doc(f"The {'v4 ' if version == 4 else ''}resources of {flavour}.", "    "))
        shown = flavour + ((".v4" if raw else " v4") if version == 4 else "")
        out.append(f"\n    _where = {shown!r}\n    _core: Core\n")
        for resource, v, module, sync_cls, async_cls, summary in resources:
            if v != version:
                continue
            target = async_cls if is_async else sync_cls
            out.append(f"\n    @cached_attribute\n    def {resource}(self) -> {target}:\n")
            out.append(_doc(summary, "        "))
            out.append(f"        from .{module} import {target}\n\n        return {target}(self._core)\n")
        if v4_cls:
            out.append(f"\n    @cached_attribute\n    def v4(self) -> {v4_cls}:\n")
            out.append(_doc("The v4 resources (account, auth, lists): they need the bearer token.", "        "))
            out.append(f"        return {v4_cls}(self._core)\n")
    return "".join(out)


def render(index: Mapping[str, Mapping[str, Any]], tag_descriptions: Mapping[str, str]) -> dict[str, str]:
    """File name (relative to _facade/) -> source of the facade package, its raw subpackage included."""
    by_tag: dict[str, list[Mapping[str, Any]]] = {}
    for entry in index.values():
        by_tag.setdefault(entry["tag"], []).append(entry)
    files: dict[str, str] = {}
    resources, raw_resources = [], []
    for tag, entries in sorted(by_tag.items()):
        entries.sort(key=lambda e: e["action"])
        description = " ".join(tag_descriptions.get(tag, "").split())
        module = module_name(entries[0])
        summary = description or f"The {entries[0]['resource']} operations."
        key = (entries[0]["resource"], entries[0]["version"], module)
        sync_cls, async_cls, files[f"{module}.py"], parts = render_resource(entries, description)
        resources.append((*key, sync_cls, async_cls, summary))
        sync_cls, async_cls, files[f"{RAW}/{module}.py"] = render_raw_resource(entries, description, module, parts)
        raw_resources.append((*key, sync_cls, async_cls, summary))
    files["__init__.py"] = render_init(resources)
    files[f"{RAW}/__init__.py"] = render_init(raw_resources, raw=True)
    return files


def write(package: Path, index: Mapping[str, Mapping[str, Any]], tag_descriptions: Mapping[str, str]) -> None:
    """Writes the facade package into the generated `package` (stale modules removed)."""
    folder = package / FACADE
    (folder / RAW).mkdir(parents=True, exist_ok=True)
    files = render(index, tag_descriptions)
    for stale in {p.relative_to(folder).as_posix() for p in folder.rglob("*.py")} - set(files):
        (folder / stale).unlink()
    for name, source in files.items():
        write_if_changed(folder / name, source.encode())


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder to write _facade/ into")
    args = parser.parse_args(argv)
    spec = read_json(args.spec)
    index = op_index.build_index(spec, op_index.load_config(args.config))
    write(args.out, index, {t["name"]: t.get("description", "") for t in spec.get("tags", [])})


if __name__ == "__main__":
    run_main(main)
