"""What every wiki view shares: finding the space or page a person may read, and lists.

Members-only spaces answer 404 to signed-in people who may not read them, and send people who
are not signed in to the sign-in page first (without telling whether a page exists).
"""
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coproduction.permissions import allowed

from ..models import Page, PageRedirect, Space, Watch
from ..slugs import slug_for

PAGES_PER_LIST = 50
REVISIONS_PER_PAGE = 50
BACKLINKS_SHOWN = 20
RESULTS_PER_PAGE = 20


class _SignInFirst(Exception):
    pass


class _Moved(Exception):
    def __init__(self, url):
        super().__init__(url)
        self.url = url


class _Missing(Exception):
    def __init__(self, space, slug):
        super().__init__(slug)
        self.space, self.slug = space, slug


def wiki_view(view):
    """Turns the lookups' outcomes into responses: sign in first, a moved page, a missing page."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignInFirst:
            return redirect_to_login(request.get_full_path())
        except _Moved as moved:
            return redirect(moved.url, permanent=True)
        except _Missing as missing:
            return _missing_page(request, missing.space, missing.slug)
    return wrapper


def require(request, permission, obj):
    if not allowed(request.user, permission, obj):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise PermissionDenied


def readable(request, space):
    if not allowed(request.user, "wiki.view_space", space):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise Http404
    return space


def space_or_404(request, space_slug):
    return readable(request, get_object_or_404(Space.objects.select_related("organisation"), slug=space_slug))


def page_or_404(request, space_slug, page_slug, queryset=None):
    """The page if this person may read it; follows renames and umlaut addresses for GET requests."""
    queryset = (queryset if queryset is not None else Page.objects.all()).select_related("space__organisation")
    page = queryset.filter(space__slug=space_slug, slug=page_slug).first()
    if page is not None:
        readable(request, page.space)
        return page
    space = space_or_404(request, space_slug)
    moved = PageRedirect.objects.filter(space=space, old_slug=page_slug).values_list("page__slug", flat=True).first()
    normalised = slug_for(page_slug)
    if moved and request.method not in ("GET", "HEAD"):
        # Renamed while someone was editing: their form still posts to the old address. Take it there.
        page = queryset.filter(space=space, slug=moved).first()
        if page is not None:
            return page
    if request.method in ("GET", "HEAD") and (moved or (normalised and normalised != page_slug)):
        match = request.resolver_match
        url = reverse(match.view_name, kwargs={**match.kwargs, "page_slug": moved or normalised})
        query = request.META.get("QUERY_STRING", "")
        raise _Moved(f"{url}?{query}" if query else url)
    raise _Missing(space, page_slug)


def _missing_page(request, space, slug):
    context = {"space": space, "slug": slug, "can_add": allowed(request.user, "wiki.add_page", space)}
    return render(request, "wiki/page_missing.html", context, status=404)


def paginate(request, queryset, per_page):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@dataclass
class Slice:
    """One page of a long list read without counting it (recent changes span every revision)."""

    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    @property
    def has_previous(self):
        return self.number > 1


def slice_without_count(request, queryset, per_page, max_pages=40):
    """The ?page= slice of ``queryset``, knowing only whether another follows (one query, no COUNT)."""
    number = request.GET.get("page", "")
    number = min(int(number), max_pages) if number.isdigit() and 0 < len(number) < 4 and int(number) else 1
    rows = list(queryset[(number - 1) * per_page:number * per_page + 1])
    return Slice(rows[:per_page], number, len(rows) > per_page and number < max_pages)


def watching(user, **target):
    if not user.is_authenticated:
        return None
    return Exists(Watch.objects.filter(user=user, **target))
