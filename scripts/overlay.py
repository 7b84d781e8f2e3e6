"""OpenAPI Overlay 1.0/1.1 applier: RFC 9535 JSONPath targets, `update`, `remove` and `copy` actions.

Semantics (Overlay Specification 1.0.0, plus `copy` from 1.1.0):
- actions run in order, each on the document as the previous ones left it;
- `update` on an object is merged recursively (objects merge, anything else, arrays
  included, is replaced); `update` on an array appends the value;
- `remove: true` deletes every matched node from its parent;
- `copy` (1.1 documents only; an unknown field in 1.0 ones) is a JSONPath selecting
  exactly one node, whose value is merged into every target like an `update` (followed
  by a `remove` of the source, this moves a node, e.g. a path item to its right path).
Project rule on top of the spec: every action needs a `description`, and an action whose
target matches nothing is an error, so a stale patch never passes silently.
Given a `writes` list, `apply_overlay` also records the location of every value an `update`
wrote (e.g. ('paths', '/3/movie/{movie_id}', 'get', 'operationId')): how the pipeline knows
which operations an overlay has named (scripts/coverage.py).
"""
from __future__ import annotations

import copy
import re
from typing import Any

import jsonpath_rfc9535 as jsonpath

from scripts.common import PipelineError

_ACTION_KEYS = {"target", "description", "update", "remove"}
_ACTION_KEYS_1_1 = _ACTION_KEYS | {"copy"}
_TOP_KEYS = {"overlay", "info", "extends", "actions"}


def _where(name: str, index: int, action: Any) -> str:
    label = action.get("description", "") if isinstance(action, dict) else ""
    short = (label[:70] + "...") if len(label) > 70 else label
    return f"{name}: action {index + 1}" + (f" ({short})" if short else "")


def _unknown(keys: Any, allowed: set[str]) -> list[str]:
    return sorted(k for k in keys if k not in allowed and not str(k).startswith("x-"))


def check_overlay(overlay: Any, name: str) -> None:
    """Raise a PipelineError naming the file (and action) unless this is a valid Overlay 1.0 document."""
    if not isinstance(overlay, dict):
        raise PipelineError(f"{name}: not an Overlay document (expected a mapping)")
    if not re.fullmatch(r"1\.[01]\.\d+", str(overlay.get("overlay", ""))):
        version = overlay.get("overlay")
        raise PipelineError(f"{name}: `overlay` must be a 1.0.x version (1.1.x for `copy`), got {version!r}")
    copy_allowed = str(overlay["overlay"]).startswith("1.1.")
    info = overlay.get("info")
    if not isinstance(info, dict) or not isinstance(info.get("title"), str) or not isinstance(info.get("version"), str):
        raise PipelineError(f"{name}: `info` needs a string `title` and `version`")
    if extra := _unknown(overlay, _TOP_KEYS):
        raise PipelineError(f"{name}: unknown top-level fields {extra}")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise PipelineError(f"{name}: `actions` must be a non-empty list")
    for index, action in enumerate(actions):
        where = _where(name, index, action)
        if not isinstance(action, dict):
            raise PipelineError(f"{where}: an action must be a mapping")
        if extra := _unknown(action, _ACTION_KEYS_1_1 if copy_allowed else _ACTION_KEYS):
            raise PipelineError(f"{where}: unknown fields {extra}")
        if not isinstance(action.get("target"), str) or not action["target"].startswith("$"):
            raise PipelineError(f"{where}: `target` must be a JSONPath starting with `$`")
        if not isinstance(action.get("description"), str) or not action["description"].strip():
            raise PipelineError(f"{where}: every action needs a `description` saying why")
        remove = action.get("remove", False)
        if not isinstance(remove, bool):
            raise PipelineError(f"{where}: `remove` must be true or false")
        if [remove, "update" in action, "copy" in action].count(True) != 1:
            raise PipelineError(f"{where}: give exactly one of `update` or `remove: true` (or, in Overlay 1.1, `copy`)")
        for field in ("target", "copy"):
            if field not in action:
                continue
            if not isinstance(action[field], str) or not action[field].startswith("$"):
                raise PipelineError(f"{where}: `{field}` must be a JSONPath starting with `$`")
            try:
                jsonpath.compile(action[field])
            except jsonpath.JSONPathError as exc:
                raise PipelineError(f"{where}: {field} {action[field]!r} is not RFC 9535 JSONPath: {exc}") from exc


def deep_merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    """Merge `update` into `target` in place: objects recursively, everything else replaced."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _parent(document: Any, location: tuple[Any, ...]) -> Any:
    node = document
    for key in location[:-1]:
        node = node[key]
    return node


def _copy_source(document: Any, path: str, where: str) -> Any:
    sources = jsonpath.find(path, document)
    if len(sources) != 1:
        raise PipelineError(f"{where}: copy source {path} must match exactly one node, matched {len(sources)}")
    return copy.deepcopy(sources[0].value)


Location = tuple[str | int, ...]


def written_locations(location: Location, update: Any) -> list[Location]:
    """The locations an update merged into the object at `location` writes (its leaves and objects)."""
    found: list[Location] = []
    if isinstance(update, dict):
        for key, value in update.items():
            found.append((*location, key))
            found += written_locations((*location, key), value)
    return found


def apply_action(document: Any, action: dict[str, Any], where: str, writes: list[Location] | None = None) -> int:
    """Apply one action in place; return the number of nodes it touched."""
    nodes = jsonpath.find(action["target"], document)
    if not nodes:
        raise PipelineError(f"{where}: target {action['target']} matches nothing (a stale patch?)")
    if action.get("remove"):
        # deepest and last first, so removing one node never shifts another's location
        for node in sorted(nodes, key=lambda n: (len(n.location), n.location), reverse=True):
            if not node.location:
                raise PipelineError(f"{where}: cannot remove the document root")
            del _parent(document, node.location)[node.location[-1]]
        return len(nodes)
    update = action["update"] if "update" in action else _copy_source(document, action["copy"], where)
    for node in nodes:
        if isinstance(node.value, dict) and isinstance(update, dict):
            deep_merge(node.value, update)
            if writes is not None and "update" in action:
                writes += written_locations(tuple(node.location), update)
        elif isinstance(node.value, list):
            node.value.append(copy.deepcopy(update))
        else:
            raise PipelineError(
                f"{where}: update needs objects or arrays, but {node.path()} is {type(node.value).__name__}"
            )
    return len(nodes)


def apply_overlay(
    document: Any, overlay: dict[str, Any], name: str, writes: list[Location] | None = None
) -> tuple[Any, int]:
    """Return a new document with the overlay applied, and the number of nodes touched."""
    check_overlay(overlay, name)
    result = copy.deepcopy(document)
    touched = 0
    for index, action in enumerate(overlay["actions"]):
        touched += apply_action(result, action, _where(name, index, action), writes)
    return result, touched
