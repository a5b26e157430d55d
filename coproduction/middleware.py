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
"""
from django.core.exceptions import BadRequest
from django.http import HttpResponseNotAllowed
from django.urls import reverse

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
