"""The API's documentation page: the OpenAPI schema of /api/schema/, read for people.

Rendered on the server from the same schema the machines read, so the page and the schema never
disagree; no scripts, fonts or styles from elsewhere.
"""
from django.shortcuts import render
from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator

_schemas = {}


def schema_for_language():
    """The generated schema, once per process and language (descriptions and labels are translated)."""
    language = get_language()
    if language not in _schemas:
        _schemas[language] = SchemaGenerator().get_schema(request=None, public=True)
    return _schemas[language]


def _schema_type(schema, components):
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    kind = schema.get("type", "")
    if kind == "array":
        return f"array of {_schema_type(schema.get('items', {}), components)}"
    return kind or "object"


def endpoints(schema):
    components = schema.get("components", {}).get("schemas", {})
    rows = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            parameters = [
                {"name": p["name"], "where": p["in"], "required": p.get("required", False),
                 "type": _schema_type(p.get("schema", {}), components),
                 "choices": p.get("schema", {}).get("enum", []), "description": p.get("description", "")}
                for p in operation.get("parameters", [])
            ]
            rows.append({"method": method.upper(), "path": path, "id": operation["operationId"],
                         "description": operation.get("description", ""), "parameters": parameters,
                         "example": path if "{" not in path else None})
    return rows


def api_docs(request):
    schema = schema_for_language()
    return render(request, "coproduction/api_docs.html", {"info": schema["info"], "endpoints": endpoints(schema)})
