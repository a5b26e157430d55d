"""The API keeps its published contract: schemathesis sends generated requests to every operation
of the OpenAPI schema and checks that none fails with a server error and every answer matches it."""
import json

import pytest
import schemathesis
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.renderers import JSONRenderer
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.api.world import build_world


@pytest.fixture
def api_schema(db):
    build_world()
    raw = json.loads(JSONRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()
    # Requests run inside the test's transaction, as the test client's do.
    request_started.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_operation_answers_by_its_schema(case):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, content_type_conformance])
