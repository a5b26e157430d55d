"""The wiki's spaces: the list, a space's pages, recent changes, review and handover lists, search."""
from django.contrib import messages
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from stakeholders.models import Membership, User

from coproduction.errors import DomainError
from coproduction.paging import ShownCountPaginator
from coproduction.permissions import allowed

from .. import services
from ..forms import HandoverForm, SearchForm
from ..models import Page, Revision, Space
from ..search import MAX_QUERY_LENGTH, search_pages, snippet_parts
from .common import (
    PAGES_PER_LIST, RESULTS_PER_PAGE, REVISIONS_PER_PAGE, slice_without_count, paginate, readable, require,
    space_or_404, watching, wiki_view,
)


def space_list(request):
    spaces = Space.objects.visible_to(request.user).select_related("organisation")
    return render(request, "wiki/space_list.html", {"spaces": spaces, "search_form": SearchForm()})


@wiki_view
def space_detail(request, space_slug):
    queryset = Space.objects.select_related("organisation")
    is_watched = watching(request.user, space=OuterRef("pk"))
    if is_watched is not None:
        queryset = queryset.annotate(is_watched=is_watched)
    space = readable(request, get_object_or_404(queryset, slug=space_slug))
    pages = paginate(request, Page.objects.in_space(space).for_list().order_by("title", "pk"), PAGES_PER_LIST)
    recent = Revision.objects.for_list().filter(page__space=space).order_by("-created_at", "-id")[:8]
    context = {
        "space": space, "page_obj": pages, "recent": recent, "search_form": SearchForm(),
        "can": {verb: allowed(request.user, perm, space) for verb, perm in
                (("add", "wiki.add_page"), ("watch", "wiki.watch_space"), ("handover", "wiki.handover_space"))},
    }
    return render(request, "wiki/space_detail.html", context)


@wiki_view
@require_POST
def space_watch(request, space_slug):
    space = space_or_404(request, space_slug)
    require(request, "wiki.watch_space", space)
    if request.POST.get("watch") == "1":
        services.space_watch(space=space, user=request.user)
        messages.success(request, _("You now watch this space."))
    else:
        services.space_unwatch(space=space, user=request.user)
        messages.success(request, _("You no longer watch this space."))
    return redirect(space)


@wiki_view
def space_changes(request, space_slug):
    space = space_or_404(request, space_slug)
    revisions = Revision.objects.for_list().filter(page__space=space).order_by("-created_at", "-id")
    context = {"space": space, "page_obj": slice_without_count(request, revisions, REVISIONS_PER_PAGE)}
    return render(request, "wiki/changes.html", context)


def changes(request):
    revisions = Revision.objects.visible_to(request.user).for_list().order_by("-created_at", "-id")
    return render(request, "wiki/changes.html", {"page_obj": slice_without_count(request, revisions, REVISIONS_PER_PAGE)})


@wiki_view
def review(request, space_slug):
    space = space_or_404(request, space_slug)
    pages = Page.objects.in_space(space).needs_review().for_list().order_by("last_edited_at", "pk")
    return render(request, "wiki/review.html", {"space": space, "page_obj": paginate(request, pages, PAGES_PER_LIST)})


def _people_of(space):
    people = User.objects.filter(is_active=True, memberships__status=Membership.Status.APPROVED)
    if space.is_shared:
        people = people.filter(memberships__role=Membership.Role.STAFF)
    else:
        people = people.filter(memberships__organisation=space.organisation)
    return people.distinct().only("id", "display_name").order_by("display_name", "pk")


@wiki_view
def handover(request, space_slug):
    space = space_or_404(request, space_slug)
    require(request, "wiki.handover_space", space)
    pages = Page.objects.in_space(space).owned_by_leavers().select_related("owner").only(
        "id", "title", "slug", "last_edited_at", "owner__display_name", "space_id",
    ).order_by("title", "pk")
    form = HandoverForm(request.POST or None, pages=pages, people=_people_of(space))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                count = services.pages_hand_over(space=space, pages=form.cleaned_data["pages"],
                                                 owner=form.cleaned_data["owner"], actor=request.user)
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, ngettext(
                    "%(count)s page handed over to %(name)s.", "%(count)s pages handed over to %(name)s.", count,
                ) % {"count": count, "name": form.cleaned_data["owner"].display_name})
                return redirect("wiki:handover", space.slug)
        status = 400
    return render(request, "wiki/handover.html", {"space": space, "form": form, "pages": pages}, status=status)


# A common word is in thousands of pages; counting them all costs more than the page of results.
SEARCH_COUNT_CAP = 1000


def _search_page(request, found):
    """One page of results, their total counted up to the cap ("more than" beyond it)."""
    paginator = ShownCountPaginator(found, RESULTS_PER_PAGE)
    counted = found.values("pk").order_by()[:SEARCH_COUNT_CAP + 1].count()
    paginator.count, paginator.count_capped = min(counted, SEARCH_COUNT_CAP), counted > SEARCH_COUNT_CAP
    return paginator.get_page(request.GET.get("page"))


def search(request):
    form = SearchForm(request.GET or None)
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    results = None
    if query:
        results = _search_page(request, search_pages(Page.objects.visible_to(request.user), query))
        for page in results:
            page.snippet = snippet_parts(page.headline, query)
    return render(request, "wiki/search.html", {"form": form, "query": query, "page_obj": results})
