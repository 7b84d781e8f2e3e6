"""The operation index, as the runtime reads it: one `OperationInfo` per operationId.

The generate step writes `tmdb_generated/_operations.py` (scripts/op_index.py) with the names the
generator gave the code; nothing here inspects the generated package. Entries are built on first use.
The call path puts the entry of each request on `request.extensions["tmdb_operation"]`, where the
transports (retry, cache, rate limit) and hooks find it.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

_PACKAGE = "tmdb_generated._operations"


class Param(NamedTuple):
    """One path or query parameter: its Python name, the name sent, its kind (int/str/bool/float/list)."""

    name: str
    wire: str
    kind: str
    required: bool
    default: Any


class Part(NamedTuple):
    """One append_to_response part: the result model's attribute holding it, its own operation and model."""

    attribute: str
    operation_id: str
    module: str
    model: str


@dataclass(frozen=True, slots=True, eq=False)
class OperationInfo:
    """Everything the runtime knows about one operation (see scripts/op_index.py for the fields)."""

    operation_id: str
    tag: str
    resource: str
    action: str
    version: int
    module: str
    method: str
    path: str
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    list_params: frozenset[str]
    body: tuple[str, str, bool] | None  # (module, model, required)
    result: tuple[str, str | None, int] | None  # (module, model, status)
    paged: bool
    append: Mapping[str, Part]
    cacheable: bool
    # Python name -> parameter, path and query alike; the names of the path parameters.
    params: Mapping[str, Param] = field(repr=False)
    path_names: frozenset[str] = field(repr=False)
    _classes: dict[str, type[Any]] = field(default_factory=dict, repr=False)

    @property
    def qualname(self) -> str:
        """How a user calls it: `movies.details`, `v4.lists.create`."""
        return f"{'v4.' if self.version == 4 else ''}{self.resource}.{self.action}"

    def signature_text(self) -> str:
        """`(movie_id, /, *, language=None)`-like text listing what the operation takes."""
        names = [p.name for p in self.path_params]
        keywords = [p.name + ("" if p.required else "=None") for p in self.query_params]
        if self.body is not None:
            keywords.append("body" + ("" if self.body[2] else "=None"))
        return f"({', '.join([*names, *(['*'] if keywords else []), *keywords])})"

    def result_class(self) -> type[Any] | None:
        """The model that parses a success body; None when the body is returned as decoded JSON."""
        if self.result is None or self.result[1] is None:
            return None
        return self._class(self.result[0], self.result[1])

    def body_class(self) -> type[Any] | None:
        return None if self.body is None else self._class(self.body[0], self.body[1])

    def _class(self, module: str, name: str) -> type[Any]:
        cls = self._classes.get(name)
        if cls is None:
            cls = self._classes[name] = getattr(importlib.import_module(module), name)
        return cls


def _info(operation_id: str, entry: Mapping[str, Any]) -> OperationInfo:
    path = tuple(Param(*p) for p in entry["path_params"])
    query = tuple(Param(*p) for p in entry["query_params"])
    return OperationInfo(
        operation_id=operation_id,
        tag=entry["tag"],
        resource=entry["resource"],
        action=entry["action"],
        version=entry["version"],
        module=entry["module"],
        method=entry["method"],
        path=entry["path"],
        path_params=path,
        query_params=query,
        list_params=frozenset(entry["list_params"]),
        body=entry["body"],
        result=entry["result"],
        paged=entry["paged"],
        append={part: Part(*row) for part, row in entry["append"].items()},
        cacheable=entry["cacheable"],
        params={p.name: p for p in (*path, *query)},
        path_names=frozenset(p.name for p in path),
    )


class _Operations(Mapping[str, OperationInfo]):
    """operationId -> OperationInfo, read from the generated index on first use."""

    def __init__(self) -> None:
        self._built: dict[str, OperationInfo] = {}
        self._raw: Mapping[str, Mapping[str, Any]] | None = None

    @property
    def raw(self) -> Mapping[str, Mapping[str, Any]]:
        if self._raw is None:
            self._raw = importlib.import_module(_PACKAGE).OPERATIONS
        return self._raw

    def __getitem__(self, operation_id: str) -> OperationInfo:
        info = self._built.get(operation_id)
        if info is None:
            info = self._built[operation_id] = _info(operation_id, self.raw[operation_id])
        return info

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def by_resource(self, version: int) -> dict[str, dict[str, str]]:
        """resource -> action -> operationId, for v3 or v4."""
        found: dict[str, dict[str, str]] = {}
        for operation_id, entry in self.raw.items():
            if entry["version"] == version:
                found.setdefault(entry["resource"], {})[entry["action"]] = operation_id
        return found


OPERATIONS = _Operations()


def operation(operation_id: str) -> OperationInfo:
    """The entry of `operation_id` (KeyError naming it when the spec has no such operation)."""
    try:
        return OPERATIONS[operation_id]
    except KeyError:
        raise KeyError(f"the TMDB spec has no operation {operation_id!r}") from None
