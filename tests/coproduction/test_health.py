import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "vendor": connection.vendor}
    expected = "ok" if os.environ.get("CELERY_BROKER_URL") else "eager"
    assert body["broker"]["status"] == expected


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs the real Redis broker (CI sets it)")
def test_healthz_reaches_the_real_broker(client):
    assert client.get("/healthz").json()["broker"] == {"status": "ok"}


def test_healthz_reports_an_unreachable_broker_without_failing(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200, "the web can serve while the broker is down"
    assert response.json()["broker"]["status"] == "error"


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from coproduction import health

    def broken_cursor():
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "error"
