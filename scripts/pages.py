"""Finding the single-operation OpenAPI document inside one docs page."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from scripts.common import HTTP_METHODS, PipelineError, load_yaml

# ````yaml get /3/movie/{movie_id}   (three or more backticks; closed by the same run)
_FENCE_OPEN = re.compile(r"^(?P<ticks>`{3,})yaml[ \t]+(?P<method>[A-Za-z]+)[ \t]+(?P<path>/\S*)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Fence:
    method: str  # upper case
    path: str
    text: str
    first_line: int  # 1-based line number, in the page, of the YAML's first line

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}"


def find_fence(page: str, text: str) -> Fence | None:
    """The page's ```yaml METHOD PATH``` fence, or None for a page without one (a guide)."""
    fences = list(_FENCE_OPEN.finditer(text))
    if not fences:
        return None
    if len(fences) > 1:
        raise PipelineError(f"{page}: {len(fences)} OpenAPI fences; expected one per page")
    opening = fences[0]
    body_start = opening.end() + 1
    closing = re.compile(r"^" + opening.group("ticks") + r"[ \t]*$", re.MULTILINE).search(text, body_start)
    if closing is None:
        line = text.count("\n", 0, opening.start()) + 1
        raise PipelineError(f"{page}:{line}: the OpenAPI fence is never closed")
    return Fence(
        method=opening.group("method").upper(),
        path=opening.group("path"),
        text=text[body_start : closing.start()],
        first_line=text.count("\n", 0, body_start) + 1,
    )


def parse_fence(page: str, fence: Fence) -> dict[str, Any]:
    """Parse the fence's YAML and check it holds exactly the operation the fence names."""
    try:
        document = load_yaml(fence.text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = fence.first_line + mark.line if mark else fence.first_line
        raise PipelineError(f"{page}:{line}: YAML does not parse: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise PipelineError(f"{page}:{fence.first_line}: YAML does not parse: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise PipelineError(f"{page}:{fence.first_line}: the fence holds no OpenAPI document with `paths`")
    operations = [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in (item or {})
        if method in HTTP_METHODS
    ]
    if operations != [fence.operation]:
        found = ", ".join(operations) or "no operation"
        raise PipelineError(f"{page}: the fence says {fence.operation} but its document holds {found}")
    return document
