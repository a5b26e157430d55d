"""/healthz: the state of the database and the broker, for load balancers and operators; /livez: that the
process answers at all, touching nothing (a liveness probe, and the benchmarks' baseline)."""
from celery import current_app
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


def database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down" here
        return {"status": "error", "error": error.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def broker_state():
    if not settings.CELERY_BROKER_URL:
        return {"status": "eager", "detail": "tasks run in-process; no broker configured"}
    try:
        with current_app.connection_for_write(url=settings.CELERY_BROKER_URL) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # unreachable broker, refused connection, timeout
        return {"status": "error", "error": error.__class__.__name__}
    return {"status": "ok"}


@never_cache
def healthz(request):
    database = database_state()
    payload = {"database": database, "broker": broker_state()}
    payload["status"] = "ok" if database["status"] == "ok" else "error"
    return JsonResponse(payload, status=200 if database["status"] == "ok" else 503)


@never_cache
def livez(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
