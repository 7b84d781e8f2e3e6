"""Recorded response examples from the final spec, and the generated endpoint module of each operation."""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from openapi_python_client.config import ConfigFile
from openapi_python_client.strings import PythonIdentifier

SPEC = Path("build/spec/openapi.json")
GENERATED_PACKAGE = "tmdb_generated"
GENERATOR_CONFIG = Path("generator/config.yaml")


@dataclass(frozen=True)
class Example:
    """One recorded JSON response body of one operation."""

    method: str
    path: str
    operation_id: str
    tag: str
    status: int
    name: str
    body: bytes  # compact UTF-8 JSON, as a server would send it

    @property
    def label(self) -> str:
        return f"{self.operation_id} ({self.status}, {self.name})"


def load_spec(path: Path = SPEC) -> dict[str, Any]:
    return json.loads(path.read_bytes())


def recorded_examples(spec: dict[str, Any]) -> Iterator[Example]:
    """Every JSON example of every 2xx response, in spec order."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                if not status.startswith("2"):
                    continue
                media = response.get("content", {}).get("application/json", {})
                named = {name: ex.get("value") for name, ex in media.get("examples", {}).items()}
                if "example" in media:
                    named["example"] = media["example"]
                for name, value in named.items():
                    if value is None:
                        continue
                    yield Example(
                        method=method.upper(),
                        path=path,
                        operation_id=operation["operationId"],
                        tag=(operation.get("tags") or ["default"])[0],
                        status=int(status),
                        name=name,
                        body=json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode(),
                    )


def endpoint_module(example: Example) -> ModuleType:
    """The generated module of the example's operation: api/<tag>/<operationId>.py, named as the generator names them."""
    tag = PythonIdentifier(example.tag, prefix="tag")
    name = PythonIdentifier(example.operation_id, prefix=field_prefix())
    return importlib.import_module(f"{GENERATED_PACKAGE}.api.{tag}.{name}")


@functools.cache
def field_prefix() -> str:
    return ConfigFile.load_from_path(GENERATOR_CONFIG).field_prefix


def find(examples: list[Example], method: str, path: str) -> Example:
    """The first example of `method path`; a clear error when the spec has none."""
    for example in examples:
        if (example.method, example.path) == (method, path):
            return example
    raise LookupError(f"the final spec has no recorded 2xx example for {method} {path}")


def largest(examples: list[Example], path_prefix: str = "") -> Example:
    return max((e for e in examples if e.path.startswith(path_prefix)), key=lambda e: len(e.body))
