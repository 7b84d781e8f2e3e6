"""Finds generated operations by name and reads what the runtime needs from their signatures.

The generated package has one module per operation: tmdb_generated.api.<tag>.<operationId>, with
operationId = "<tag>_<action>" (the folder is "<tag>_" when the tag is a builtin's name). Nothing here lists the API: tags and actions are discovered from
the package, and modules are imported on first use (import time matters for short scripts).
"""
from __future__ import annotations

import importlib
import inspect
import types
from dataclasses import dataclass
from functools import cache
from typing import Any

API_PACKAGE = "tmdb_generated.api"
V4_PREFIX = "v4_"


@cache
def _folders() -> dict[str, str]:
    """Tag -> its package folder. openapi-python-client appends "_" to a folder named like a
    builtin (credits -> credits_), while the operationIds inside keep the tag (credits_details)."""
    import pkgutil

    package = importlib.import_module(API_PACKAGE)
    return {info.name.rstrip("_"): info.name for info in pkgutil.iter_modules(package.__path__) if info.ispkg}


def tags() -> frozenset[str]:
    """Every tag (resource) of the generated package, v4 ones with their `v4_` prefix."""
    return frozenset(_folders())


@cache
def actions(tag: str) -> tuple[str, ...]:
    """The actions of `tag`: its operation modules with the "<tag>_" prefix stripped."""
    import pkgutil

    package = importlib.import_module(f"{API_PACKAGE}.{_folders()[tag]}")
    prefix = f"{tag}_"
    return tuple(sorted(info.name[len(prefix):] for info in pkgutil.iter_modules(package.__path__)
                        if info.name.startswith(prefix)))


def load(tag: str, action: str) -> types.ModuleType:
    """The module of operation `<tag>_<action>`; AttributeError naming the valid actions otherwise."""
    folder = _folders().get(tag)
    if folder is None:
        raise AttributeError(f"TMDB has no resource {tag!r}; resources: {', '.join(sorted(tags()))}")
    name = f"{API_PACKAGE}.{folder}.{tag}_{action}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
    raise AttributeError(f"{tag} has no operation {action!r}; operations: {', '.join(actions(tag))}")


def _model_of(annotation: Any) -> type[Any] | None:
    """The first generated model class (has from_dict) in an annotation such as `Model | Unset | None`."""
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    for candidate in candidates:
        if isinstance(candidate, type) and hasattr(candidate, "from_dict") and candidate.__name__ != "Error":
            return candidate
    return None


def _takes_list(annotation: Any) -> bool:
    if isinstance(annotation, str):  # a postponed annotation
        return annotation.startswith("list[") or "| list[" in annotation
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    return any(c is list or getattr(c, "__origin__", None) is list for c in candidates)


@dataclass(frozen=True, slots=True)
class Signature:
    """What the runtime needs to know about one generated operation, read once from its functions."""

    parameters: frozenset[str]
    # Parameters the generated function takes as lists (others get a list joined with commas).
    list_parameters: frozenset[str]
    body_model: type[Any] | None
    result_model: type[Any] | None

    @property
    def paged(self) -> bool:
        return "page" in self.parameters


@cache
def signature(module: types.ModuleType) -> Signature:
    params = inspect.signature(module._get_kwargs).parameters
    body = params.get("body")
    result = inspect.signature(module._parse_response).return_annotation
    return Signature(
        parameters=frozenset(params),
        list_parameters=frozenset(name for name, p in params.items() if _takes_list(p.annotation)),
        body_model=_model_of(body.annotation) if body is not None else None,
        result_model=_model_of(result),
    )
