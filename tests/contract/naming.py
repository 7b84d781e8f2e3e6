"""Where openapi-python-client puts an operation, computed with the generator's own naming rules."""

from __future__ import annotations

import importlib
import inspect
from functools import cache
from types import ModuleType
from typing import Any

from openapi_python_client.config import ConfigFile
from openapi_python_client.strings import PythonIdentifier

from .catalog import Operation
from .docs_pages import REPO

GENERATED_PACKAGE = "tmdb_generated"
GENERATOR_CONFIG = REPO / "generator" / "config.yaml"


@cache
def field_prefix() -> str:
    return ConfigFile.load_from_path(GENERATOR_CONFIG).field_prefix


def module_name(operation: Operation) -> str:
    """tmdb_generated.api.<tag folder>.<operation module>, as the generator names them (see its
    parser/openapi.py: tags get prefix "tag"; endpoint modules are the endpoint name re-identified)."""
    tag = PythonIdentifier(operation.tag, prefix="tag")
    endpoint = PythonIdentifier(PythonIdentifier(operation.operation_id, field_prefix()), field_prefix())
    return f"{GENERATED_PACKAGE}.api.{tag}.{endpoint}"


def endpoint_module(operation: Operation) -> ModuleType:
    name = module_name(operation)
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        raise AssertionError(f"{operation.label}: the generated module {name} does not exist ({exc})") from exc


def python_name(parameter: dict[str, Any], signature: inspect.Signature) -> str:
    """The keyword the generated function uses for a spec parameter.

    The generator snake-cases the name, and on a clash appends the location or keeps the raw name.
    """
    plain = PythonIdentifier(parameter["name"], field_prefix())
    candidates = [
        plain,
        PythonIdentifier(f"{plain}_{parameter['in']}", field_prefix()),
        PythonIdentifier(parameter["name"], field_prefix(), skip_snake_case=True),
    ]
    for candidate in candidates:
        if candidate in signature.parameters:
            return str(candidate)
    raise AssertionError(
        f"parameter {parameter['name']!r} ({parameter['in']}) has no keyword in the generated function;"
        f" tried {candidates}, the function takes {list(signature.parameters)}"
    )
