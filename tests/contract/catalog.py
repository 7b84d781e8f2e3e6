"""What the contract tests cover, read from the final spec: its operations and their response examples."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from scripts.common import HTTP_METHODS as METHODS

from .docs_pages import REPO

FINAL_SPEC = REPO / "build" / "spec" / "openapi.json"
JSON_MEDIA = re.compile(r"^application/(.+\+)?json$")


@dataclass(frozen=True)
class Operation:
    method: str  # lower case, as in the spec
    path: str
    operation_id: str
    tag: str
    spec: dict[str, Any] = field(repr=False, compare=False, hash=False)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path} ({self.operation_id})"


@dataclass(frozen=True)
class ResponseExample:
    operation: Operation
    status: str
    name: str
    value: Any = field(repr=False, compare=False, hash=False)

    @property
    def key(self) -> str:
        """A stable, readable test id."""
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{self.operation.operation_id}-{self.status}-{self.name}")


@cache
def final_spec(path: Path = FINAL_SPEC) -> dict[str, Any]:
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RuntimeError(f"{path}: missing; run `make` before the contract tests") from exc
    return document


def operations(spec: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            if not op.get("operationId"):
                raise ValueError(f"{method.upper()} {path}: no operationId in the final spec")
            tags = op.get("tags") or ["default"]
            found.append(Operation(method, path, op["operationId"], tags[0], op))
    return found


def response_examples(operation: Operation) -> list[ResponseExample]:
    """The operation's JSON response examples, each with the status it was recorded under."""
    found = []
    for status, response in (operation.spec.get("responses") or {}).items():
        for media_type, media in (response.get("content") or {}).items():
            if not JSON_MEDIA.match(media_type):
                continue
            for name, example in (media.get("examples") or {}).items():
                if "value" in example:
                    found.append(ResponseExample(operation, status, name, example["value"]))
            if "example" in media:
                found.append(ResponseExample(operation, status, "example", media["example"]))
    return found


def all_response_examples(spec: dict[str, Any]) -> list[ResponseExample]:
    return [example for op in operations(spec) for example in response_examples(op)]


def without_examples(node: Any, parent: str = "") -> Any:
    """A copy of a spec with every `example`/`examples` dropped (not properties of that name).

    The examples are 95% of the final spec's bytes and play no part in validation; without
    them openapi-core builds its spec object several times faster.
    """
    if isinstance(node, dict):
        keep_all = parent == "properties"
        return {
            key: without_examples(value, key)
            for key, value in node.items()
            if keep_all or key not in ("example", "examples")
        }
    if isinstance(node, list):
        return [without_examples(item) for item in node]
    return node
