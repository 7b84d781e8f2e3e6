"""Small hand-made specs for the API surface and diff tests: the final spec and the docs' spec."""

from __future__ import annotations

from typing import Any


def tiny_spec() -> dict[str, Any]:
    movie = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "genres": {"type": "array", "items": {"$ref": "#/components/schemas/Genre"}},
            "release_date": {"type": "string", "format": "date", "nullable": True},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/3/movie/{movie_id}": {
                "parameters": [{"name": "movie_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "get": {
                    "operationId": "movies_details",
                    "parameters": [{"$ref": "#/components/parameters/Language"}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": movie}}},
                        "404": {"$ref": "#/components/responses/NotFound"},
                    },
                },
            },
            "/3/list/{list_id}/add_item": {
                "post": {
                    "operationId": "lists_add_movie",
                    "parameters": [{"name": "list_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "allOf": [
                                        {"type": "object", "properties": {"media_id": {"type": "integer"}}},
                                        {"required": ["media_id"]},
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {"201": {"description": "created"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Genre": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
                "Error": {"type": "object", "properties": {"status_code": {"type": "integer"}}},
            },
            "parameters": {"Language": {"name": "language", "in": "query", "schema": {"type": "string"}}},
            "responses": {
                "NotFound": {
                    "description": "nf",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }


MOVIE = ["paths", "/3/movie/{movie_id}", "get"]


def at(spec: dict[str, Any], *keys: str) -> Any:
    node: Any = spec
    for key in keys:
        node = node[key]
    return node


def movie_schema(spec: dict[str, Any]) -> dict[str, Any]:
    return at(spec, *MOVIE, "responses", "200", "content", "application/json", "schema")


def docs_spec() -> dict[str, Any]:
    """What the docs document before the overlays: an inline response schema, another path."""
    spec = tiny_spec()
    spec["paths"]["/3/movie//{movie_id}"] = spec["paths"].pop("/3/movie/{movie_id}")
    details = spec["paths"]["/3/movie//{movie_id}"]["get"]
    details["operationId"] = "details3"
    details["responses"]["200"]["content"]["application/json"]["schema"] = {
        "type": "object",
        "properties": {"id": {"type": "number"}, "title": {"type": "string"}, "tagline": {"type": "string"}},
    }
    return spec


DOCS_DETAILS = ["paths", "/3/movie//{movie_id}", "get"]
