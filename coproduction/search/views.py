"""The search page: every kind's first results, or one kind's results page by page."""
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import kind_named, kind_rows, kinds, results_of, search as search_all
from .text import MAX_QUERY_LENGTH, clean_query, query_terms

PER_PAGE = 20


@require_safe
def search(request):
    query = clean_query(request.GET.get("q", ""))
    kind = kind_named(request.GET.get("kind", ""))
    context = {"query": query, "kind": kind, "max_length": MAX_QUERY_LENGTH, "kinds": kinds(),
               "searched": bool(query), "searchable": bool(query_terms(query))}
    if query and kind is not None:
        page = Paginator(kind_rows(request.user, query, kind), PER_PAGE).get_page(request.GET.get("page"))
        context.update(page_obj=page, results=results_of(kind, page.object_list, query), count=page.paginator.count)
    elif query:
        groups = search_all(request.user, query)
        context.update(groups=groups, count=sum(group.count for group in groups))
    return render(request, "coproduction/search.html", context)
