"""Request checks that hold for every page.

``refuse_unknown_methods``: the site and its read-only API answer GET, HEAD, POST and OPTIONS;
anything else (TRACE, DELETE, made-up verbs) is 405 before any view, so no view that only checks
for POST treats it as a read.

``refuse_nul_bytes``: a NUL character in a query parameter is never a real search or filter and
PostgreSQL cannot take it in a string. The back office's list filters pass parameters to the
database unchecked, so there a request with one is answered 400 before any view. The site's own
pages and the API check their filters in forms and say which field is wrong.
"""
from django.core.exceptions import BadRequest
from django.http import HttpResponseNotAllowed
from django.urls import reverse

KNOWN_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


def refuse_unknown_methods(get_response):
    def middleware(request):
        if request.method not in KNOWN_METHODS:
            return HttpResponseNotAllowed(KNOWN_METHODS)
        return get_response(request)

    return middleware


def refuse_nul_bytes(get_response):
    def middleware(request):
        if request.path.startswith(reverse("admin:index")) and any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise BadRequest("A query parameter holds a NUL character.")
        return get_response(request)

    return middleware
