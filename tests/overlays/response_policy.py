"""The tolerance policy for response models (overlays/049-response-tolerance-policy.yaml), as a check
of a whole OpenAPI document: `violations(spec)` lists every place the document breaks it.

Every schema reachable from any response of any operation (success and error, through `$ref`s,
properties, items, maps and unions) is a response schema. For each:
- no closed enum: an enum is reached only as the known member of an open enum
  (`anyOf: [{$ref: Enum}, {type: <its type>}]`); `enum: [null]` (the null of a nullable
  reference) is no enum;
- required fields only as the policy lists them (`info.x-tmdb-response-policy.required`: fields,
  a reason, the schemas), and the list holds nothing stale;
- a status body (a schema with `success` or `status_code`) requires nothing;
- no `additionalProperties: false` (unknown fields are kept);
- a union of two or more object members is a mixed-kind list: every member but one declares the
  media_type it stands for (`x-tmdb-media-type`), the last is the policy's fallback, which
  requires nothing.
Enums reachable from requests (parameters, request bodies) stay closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
KIND_EXTENSION = "x-tmdb-media-type"
KIND_VALUE = re.compile(r"^[a-z][a-z_]*$")
STATUS_FIELDS = {"success", "status_code"}


@dataclass
class Report:
    violations: list[str] = field(default_factory=list)
    response_schemas: set[str] = field(default_factory=set)  # component names reachable from a response
    open_enums: set[str] = field(default_factory=set)  # where an open enum is used
    required: dict[str, list[str]] = field(default_factory=dict)  # response component -> its required fields
    mixed_unions: set[str] = field(default_factory=set)  # where a mixed-kind union is, ending in the fallback
    status_bodies: set[str] = field(default_factory=set)


def _component(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


class PolicyCheck:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        self.schemas: Mapping[str, Any] = (spec.get("components") or {}).get("schemas") or {}
        self.report = Report()
        self._seen: set[str] = set()

    # -- the policy's own list ----------------------------------------------------------------------

    def allowed_required(self) -> dict[str, dict[str, str]]:
        """schema -> field -> reason, from `info.x-tmdb-response-policy.required`."""
        policy = (self.spec.get("info") or {}).get("x-tmdb-response-policy")
        if not isinstance(policy, Mapping):
            self.report.violations.append("info.x-tmdb-response-policy: missing (the policy's list of required fields)")
            return {}
        allowed: dict[str, dict[str, str]] = {}
        for i, rule in enumerate(policy.get("required") or []):
            reason = rule.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                self.report.violations.append(f"policy rule {i + 1} {rule.get('fields')}: no reason")
                continue
            for schema in rule.get("schemas") or []:
                for name in rule.get("fields") or []:
                    allowed.setdefault(schema, {})[name] = reason
        return allowed

    def fallback(self) -> str | None:
        policy = (self.spec.get("info") or {}).get("x-tmdb-response-policy") or {}
        return policy.get("fallback")

    # -- walking ------------------------------------------------------------------------------------

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        seen = set()
        while "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                raise ValueError(f"circular $ref {ref}")
            seen.add(ref)
            target: Any = self.spec
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def response_roots(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        for path, item in (self.spec.get("paths") or {}).items():
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, Mapping):
                    continue
                for status, response in (op.get("responses") or {}).items():
                    response = self.resolve(response)
                    for media, content in (response.get("content") or {}).items():
                        if "schema" in content:
                            yield f"{method.upper()} {path} {status} {media}", content["schema"]

    def request_roots(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        for path, item in (self.spec.get("paths") or {}).items():
            shared = item.get("parameters") or []
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, Mapping):
                    continue
                for param in [*shared, *(op.get("parameters") or [])]:
                    param = self.resolve(param)
                    if "schema" in param:
                        yield f"{method.upper()} {path} parameter {param.get('name')}", param["schema"]
                body = self.resolve(op.get("requestBody") or {})
                for media, content in (body.get("content") or {}).items():
                    if "schema" in content:
                        yield f"{method.upper()} {path} request body {media}", content["schema"]

    def open_enum_member(self, node: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The enum member of an open enum `anyOf: [{$ref: Enum}, {type: <its type>}]`, else None."""
        members = node.get("anyOf") or []
        if len(members) != 2:
            return None
        enums = [m for m in members if "enum" in self.resolve(m)]
        plain = [m for m in members if "$ref" not in m and "enum" not in m and set(m) <= {"type", "description"}]
        if len(enums) != 1 or len(plain) != 1 or "type" not in plain[0]:
            return None
        enum = self.resolve(enums[0])
        if enum.get("type", "string") != plain[0]["type"]:
            return None
        return enums[0]

    def walk_response(self, node: Mapping[str, Any], where: str) -> None:
        if "$ref" in node:
            name = _component(node["$ref"])
            target = self.resolve(node)
            if self._is_closed_enum(target):
                self.report.violations.append(f"{where}: closed enum {name} reachable from a response")
                return
            if name in self._seen:
                return
            self._seen.add(name)
            self.report.response_schemas.add(name)
            self._check(target, name, component=name)
            self._descend(target, name)
            return
        if self._is_closed_enum(node):
            self.report.violations.append(f"{where}: closed enum {node.get('enum')} reachable from a response")
            return
        self._check(node, where, component=None)
        self._descend(node, where)

    def _is_closed_enum(self, node: Mapping[str, Any]) -> bool:
        return "enum" in node and any(value is not None for value in node["enum"])

    def _descend(self, node: Mapping[str, Any], where: str) -> None:
        if (member := self.open_enum_member(node)) is not None:
            self.report.open_enums.add(where)
            if "$ref" in member:
                self.report.response_schemas.add(_component(member["$ref"]))
            return  # the known values, beside the plain type that takes any other
        for key in ("anyOf", "oneOf", "allOf"):
            for i, sub in enumerate(node.get(key) or []):
                self.walk_response(sub, f"{where}|{i}")
        for name, sub in (node.get("properties") or {}).items():
            self.walk_response(sub, f"{where}.{name}")
        if isinstance(node.get("additionalProperties"), Mapping):
            self.walk_response(node["additionalProperties"], f"{where}{{}}")
        if isinstance(node.get("items"), Mapping):
            self.walk_response(node["items"], f"{where}[]")

    # -- the rules on one response schema -----------------------------------------------------------

    def _check(self, node: Mapping[str, Any], where: str, component: str | None) -> None:
        required = list(node.get("required") or [])
        properties = node.get("properties") or {}
        if component is not None and required:
            self.report.required[component] = required
        allowed = self._allowed.get(component or "", {})
        for name in required:
            if name not in allowed:
                self.report.violations.append(
                    f"{where}.{name}: required in a response without a reason in the policy's list"
                )
        if STATUS_FIELDS & set(properties):
            self.report.status_bodies.add(where)
            if required:
                self.report.violations.append(f"{where}: a status body requires {required}")
        if node.get("additionalProperties") is False:
            self.report.violations.append(f"{where}: additionalProperties false drops unknown fields")
        for key in ("anyOf", "oneOf"):
            members = node.get(key) or []
            objects = [m for m in members if self._is_object(self.resolve(m))]
            if len(objects) >= 2:
                self._check_mixed(members, f"{where}|{key}")

    def _is_object(self, node: Mapping[str, Any]) -> bool:
        return node.get("type") == "object" or "properties" in node

    def _check_mixed(self, members: list[Mapping[str, Any]], where: str) -> None:
        kinds = [self.resolve(member).get(KIND_EXTENSION) for member in members]
        fallback = self.fallback()
        last = members[-1]
        problems = []
        if kinds[-1] is not None or "$ref" not in last or _component(last["$ref"]) != fallback:
            problems.append(f"does not end with the policy's fallback {fallback}")
        named = [kind for kind in kinds[:-1] if kind is not None]
        if len(named) != len(members) - 1:
            problems.append(f"a member before the fallback declares no {KIND_EXTENSION}")
        if len(set(named)) != len(named):
            problems.append(f"two members declare the same kind: {named}")
        problems += [f"kind {kind!r} is not a media_type value" for kind in named if not KIND_VALUE.match(str(kind))]
        if problems:
            self.report.violations += [f"{where}: mixed-kind union {problem}" for problem in problems]
        else:
            self.report.mixed_unions.add(where)

    def _check_fallback(self) -> None:
        name = self.fallback()
        schema = self.schemas.get(name or "")
        if not isinstance(schema, Mapping):
            self.report.violations.append(f"policy fallback {name!r}: no such schema")
            return
        if schema.get("required") or schema.get("additionalProperties") is False:
            self.report.violations.append(f"{name}: the fallback must require nothing and keep every field")

    def _check_requests(self) -> None:
        """Request enums stay closed: no open enum in a parameter or a request body."""
        seen: set[str] = set()

        def walk(node: Mapping[str, Any], where: str) -> None:
            if "$ref" in node:
                name = _component(node["$ref"])
                if name in seen:
                    return
                seen.add(name)
                node = self.resolve(node)
            if self.open_enum_member(node) is not None:
                self.report.violations.append(f"{where}: a request enum is open (a caller's typo would be sent)")
            for key in ("anyOf", "oneOf", "allOf"):
                for i, sub in enumerate(node.get(key) or []):
                    walk(sub, f"{where}|{i}")
            for name, sub in (node.get("properties") or {}).items():
                walk(sub, f"{where}.{name}")
            if isinstance(node.get("items"), Mapping):
                walk(node["items"], f"{where}[]")

        for where, schema in self.request_roots():
            walk(schema, where)

    def run(self) -> Report:
        self._allowed = self.allowed_required()
        for where, schema in self.response_roots():
            self.walk_response(schema, where)
        for schema, fields in sorted(self._allowed.items()):
            for name in sorted(fields):
                if name not in self.report.required.get(schema, []):
                    self.report.violations.append(
                        f"policy lists {schema}.{name} as required, but no response schema requires it (stale)"
                    )
        if self.report.mixed_unions or any("mixed-kind" in v for v in self.report.violations):
            self._check_fallback()
        self._check_requests()
        return self.report


def check(spec: Mapping[str, Any]) -> Report:
    return PolicyCheck(spec).run()
