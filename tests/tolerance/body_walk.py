"""What a response body holds, read along its schema: each enum value, nullable value, optional field
and mixed-kind item, where it is, and whether it is one the spec names.

The tolerance cases use it twice: to parametrize (which cases an operation's schema can show at
all, within the depth the strategies generate) and to prove that a generated body is the case it
claims to be (every enum value unknown, every nullable null, ...), independently of the strategy
code that made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.reliability.schema_strategies import KIND, SchemaStrategies

# The tolerance cases, by what they need in a schema (see TOLERANCE_CASES in schema_strategies).
ENUM, NULLABLE, OPTIONAL, MIXED = "enum", "nullable", "optional", "mixed"
Path = tuple[str | int, ...]  # keys and indexes from the body's root


def render(path: Path) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def member_at(parsed: Any, path: Path) -> Any:
    """The parsed value at `path` (a JSON key is the model's attribute of the same name)."""
    for part in path:
        if isinstance(part, int) or not hasattr(parsed, part):
            parsed = parsed[part]
        else:
            parsed = getattr(parsed, part)
    return parsed


@dataclass
class Seen:
    enums: list[tuple[str, Any, bool]] = field(default_factory=list)  # (where, value, a value the enum lists)
    nullables: list[tuple[str, bool]] = field(default_factory=list)  # (where, is null)
    optionals: list[str] = field(default_factory=list)  # where an optional field is present
    kinds: list[tuple[str, Any, bool]] = field(default_factory=list)  # (where, media_type, a member names it)
    mixed_lists: list[tuple[str, int]] = field(default_factory=list)  # (where, items of an unknown kind)
    members: list[tuple[Path, str]] = field(default_factory=list)  # (path, the model a mixed-kind item must parse as)


class Walker:
    def __init__(self, spec: Mapping[str, Any], max_depth: int = 5) -> None:
        self._spec = spec
        self._helper = SchemaStrategies(spec)
        self._max_depth = max_depth

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in schema:
            node: Any = self._spec
            for part in schema["$ref"][2:].split("/"):
                node = node[part]
            schema = node
        return schema

    # -- what a schema can show (as deep as the strategies generate) ---------------------------------

    def features(self, schema: Mapping[str, Any], depth: int = 0, discriminated: bool = False) -> set[str]:
        """The cases a body of `schema` can show, as deep as the strategies go (optional fields and list
        items stop at max_depth, so recursive schemas end)."""
        schema = self.resolve(schema)
        found = {NULLABLE} if self._helper.is_nullable(schema) else set()
        if self._helper.open_enum(schema) is not None or "enum" in schema and schema["enum"] != [None]:
            return found | {ENUM}
        members = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf") or []
        if (kinds := self._helper.kinds(schema)) is not None:
            found.add(MIXED)
            for kind, member in kinds:  # a member's own media_type is its kind, not an enum value to vary
                found |= self.features(member, depth, discriminated=bool(kind))
            return found
        for member in members:
            found |= self.features(member, depth)
        required = set(schema.get("required") or ())
        for name, sub in (schema.get("properties") or {}).items():
            if discriminated and name == KIND:
                continue
            if name in required or depth < self._max_depth:
                found |= ({OPTIONAL} if name not in required else set()) | self.features(sub, depth + 1)
        if isinstance(schema.get("additionalProperties"), Mapping):
            found |= self.features(schema["additionalProperties"], depth + 1)
        if schema.get("type") == "array" and depth < self._max_depth:
            found |= self.features(schema.get("items") or {}, depth + 1)
        return found

    # -- what a body shows --------------------------------------------------------------------------

    def walk(self, schema: Mapping[str, Any], body: Any, path: Path = (), seen: Seen | None = None) -> Seen:
        seen = Seen() if seen is None else seen
        where = render(path)
        schema = self.resolve(schema)
        nullable = self._helper.is_nullable(schema)
        if body is None:
            if nullable:
                seen.nullables.append((where, True))
            return seen
        if nullable:
            seen.nullables.append((where, False))
        if (known := self._helper.open_enum(schema)) is not None:
            seen.enums.append((where, body, body in known[0]))
            return seen
        if "enum" in schema:
            seen.enums.append((where, body, body in schema["enum"]))
            return seen
        if (kinds := self._helper.kinds(schema)) is not None:
            self._walk_mixed(kinds, body, path, seen)
            return seen
        members = schema.get("anyOf") or schema.get("oneOf")
        if members:
            self._walk_union(members, body, path, seen)
            return seen
        self._walk_value(schema, body, path, seen)
        return seen

    def _walk_mixed(self, kinds: list[tuple[str | None, Any]], body: Any, path: Path, seen: Seen) -> None:
        kind = body.get(KIND) if isinstance(body, dict) else None
        if kind is None:
            return  # no media_type: the members are tried in order; nothing to say about its kind
        named = {k: member for k, member in kinds if k}
        seen.kinds.append((render(path), kind, kind in named))
        member = named.get(kind) or next(member for k, member in kinds if not k)
        seen.members.append((path, member["$ref"].rsplit("/", 1)[-1]))
        self._walk_value(self.resolve(member), body, path, seen, discriminator=kind in named)

    def _walk_union(self, members: list[Any], body: Any, path: Path, seen: Seen) -> None:
        """A nullable reference or a scalar-or-object union: walk the member the value is."""
        for member in members:
            resolved = self.resolve(member)
            if resolved.get("enum") == [None]:
                continue
            is_object = resolved.get("type") == "object" or "properties" in resolved
            if is_object == isinstance(body, dict):
                self.walk(member, body, path, seen)
                return

    def _walk_value(
        self, schema: Mapping[str, Any], body: Any, path: Path, seen: Seen, discriminator: bool = False
    ) -> None:
        if isinstance(body, dict):
            required = set(schema.get("required") or ())
            properties = schema.get("properties") or {}
            for name, value in body.items():
                if name in properties:
                    if name not in required:
                        seen.optionals.append(render((*path, name)))
                    if not (discriminator and name == KIND):  # a member's own kind is no enum value to vary
                        self.walk(properties[name], value, (*path, name), seen)
                elif isinstance(schema.get("additionalProperties"), Mapping):
                    self.walk(schema["additionalProperties"], value, (*path, name), seen)
        elif isinstance(body, list):
            items = schema.get("items") or {}
            kinds = self._helper.kinds(self.resolve(items))
            if kinds is not None and body:
                named = {kind for kind, _ in kinds if kind}
                strange = [item for item in body if isinstance(item, dict) and item.get(KIND) not in {None, *named}]
                seen.mixed_lists.append((render(path), len(strange)))
            for i, item in enumerate(body):
                self.walk(items, item, (*path, i), seen)
