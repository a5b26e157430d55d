"""Request checks that hold for every page.

``RefuseUnknownMethods``: the site and its read-only API answer GET, HEAD, POST and OPTIONS;
anything else (TRACE, DELETE, made-up verbs) is 405 before the view runs, so no view that only
checks for POST treats it as a read. The answer's Allow names what the page itself takes where its
view says so (a class-based view's methods, ``require_http_methods`` and its kin), otherwise the
four the site answers.

``refuse_nul_bytes``: a NUL character in a query parameter is never a real search or filter and
PostgreSQL cannot take it in a string. The back office's list filters pass parameters to the
database unchecked, so there a request with one is answered 400 before any view. The site's own
pages and the API check their filters in forms and say which field is wrong.

``AnswerDatabaseOutages``: while the database cannot be reached, a short 503 page instead of a 500.
"""
import logging
import sys

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

KNOWN_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


class RefuseUnknownMethods:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in KNOWN_METHODS:
            return None
        return HttpResponseNotAllowed(methods_of(view_func))


def methods_of(view):
    """The methods a view declares, in the site's known four when it declares none."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        names = [name.upper() for name in view_class.http_method_names if hasattr(view_class, name)]
        if "GET" in names and "HEAD" not in names:
            names.append("HEAD")
        return [name for name in names if name in KNOWN_METHODS]
    while view is not None:
        code = getattr(view, "__code__", None)
        free = dict(zip(code.co_freevars, view.__closure__ or ())) if code is not None else {}
        declared = free.get("request_method_list")
        if declared is not None:
            return list(declared.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return list(KNOWN_METHODS)


def refuse_nul_bytes(get_response):
    def middleware(request):
        if request.path.startswith(reverse("admin:index")) and any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise BadRequest("A query parameter holds a NUL character.")
        return get_response(request)

    return middleware


# Errors that say the database cannot answer right now (it is down, restarting, or the connection
# broke), as opposed to a mistake in a query: the request is worth repeating in a moment.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# How long a person (or a crawler) is asked to wait before trying again, in seconds.
RETRY_AFTER_SECONDS = 5
_FAILED_FOR_DATABASE = "_database_unavailable"


class AnswerDatabaseOutages:
    """While the database cannot be reached, pages answer 503 with a short page and Retry-After.

    Without this, a restarting PostgreSQL turns every request into a 500 with an error report each.
    A view (or a template it renders) that fails for the database is answered here directly. A failure
    in another middleware (a session saved after the view) reaches Django's own error handling first:
    ``remember_database_failure`` marks the request, and the 500 it produced is turned into the same 503
    here, keeping the headers the other middleware set. The page is rendered without the request, so
    nothing on it (the signed-in person, their messages) asks the database again. Django closes the
    broken connection when the request ends, and the next request opens a new one once the database is
    back (CONN_HEALTH_CHECKS), so the site recovers by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(remember_database_failure, dispatch_uid="coproduction.database-failure")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _FAILED_FOR_DATABASE, False):
            response.status_code = 503
            response.reason_phrase = None
            response["Content-Type"] = "text/html; charset=utf-8"
            response.content = unavailable_page(request)
            _mark_unavailable(response)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        response = HttpResponse(unavailable_page(request), status=503)
        _mark_unavailable(response)
        return response


def remember_database_failure(sender, request=None, **kwargs):
    """Marks a request whose error, handled by Django outside any view, came from the database."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        setattr(request, _FAILED_FOR_DATABASE, True)


def unavailable_page(request):
    """The short page of a database outage, in the request's language; it touches no database."""
    language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string("coproduction/unavailable.html", {
            "retry_url": request.get_full_path() if request.method in ("GET", "HEAD") else "",
            "LANGUAGE_CODE": language,
        })


def _mark_unavailable(response):
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
