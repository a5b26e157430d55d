"""The lists of proposals and calls for ideas, and the open-data downloads of the list."""
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, Value, When
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from coproduction.exports import CSV_TYPE, JSON_TYPE, download
from coproduction.paging import ShownCountPaginator

from .. import exports
from ..filters import ProposalFilter
from ..models import Call, Proposal, kept_total


SEARCH_COUNT_CAP = 1000


class ProposalListView(FilterView):
    filterset_class = ProposalFilter
    template_name = "proposals/proposal_list.html"
    paginate_by = 20
    context_object_name = "proposals"

    def get_queryset(self):
        return Proposal.objects.published().for_list()

    def get_paginator(self, queryset, per_page, **kwargs):
        """The total comes from the kept counts when only the mode narrows the list (hidden ones are
        listed), and stops at a cap for a text search; such a total is shown, the rows decide the pages."""
        valid = self.filterset.is_valid()
        mode = self.filterset.mode_only(self.request.GET) if valid else None
        if mode is not None:
            planning, delivery = mode
            paginator = ShownCountPaginator(queryset, per_page, **kwargs)
            paginator.count = kept_total(planning=planning, delivery=delivery, include_hidden=True)
        elif valid and self.request.GET.get("q", "").strip():
            # A common word matches thousands; counting them all costs more than the page. Beyond the
            # cap the list says "more than".
            paginator = ShownCountPaginator(queryset, per_page, **kwargs)
            found = queryset.order_by()[:SEARCH_COUNT_CAP + 1].count()
            paginator.count = min(found, SEARCH_COUNT_CAP)
            paginator.count_capped = found > SEARCH_COUNT_CAP
        else:
            paginator = super().get_paginator(queryset, per_page, **kwargs)
        return paginator


class CallListView(ListView):
    template_name = "proposals/call_list.html"
    context_object_name = "calls"
    paginate_by = 20

    def get_queryset(self):
        today = timezone.localdate()
        is_open = Q(deadline__gte=today)
        return (
            Call.objects.select_related("organisation")
            .only("id", "title", "deadline", "organisation__name", "organisation__slug")
            .annotate(
                closed=Case(When(is_open, then=Value(0)), default=Value(1)),
                open_deadline=Case(When(is_open, then="deadline"), default=None),
                proposal_total=Count("proposals", filter=~Q(proposals__status=Proposal.Status.DRAFT)),
            )
            # open calls first, the nearest deadline on top; then closed ones, the latest first
            .order_by("closed", "open_deadline", "-deadline", "-id")
        )


class CallDetailView(DetailView):
    template_name = "proposals/call_detail.html"
    context_object_name = "call"
    queryset = Call.objects.select_related("organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposals = Proposal.objects.published().for_list().filter(call=self.object)
        context["page_obj"] = Paginator(proposals, 20).get_page(self.request.GET.get("page"))
        context["proposals"] = context["page_obj"].object_list
        return context


# --- open data -------------------------------------------------------------------------------

def _export_filterset(request):
    """The list page's filters over what may be exported; unbound (everything) without a query string."""
    filterset = ProposalFilter(request.GET or None, queryset=exports.exportable(), request=request)
    refused = filterset.is_bound and not filterset.is_valid()
    return filterset, exports.filter_errors(filterset) if refused else None


@require_safe
def export_csv(request):
    """The proposals the list page shows for these filters, as a spreadsheet; 400 for filters it refuses."""
    filterset, errors = _export_filterset(request)
    if errors:
        return HttpResponse(exports.error_text(errors), status=400, content_type="text/plain; charset=utf-8")
    return download(exports.csv_pieces(filterset.qs, request=request), content_type=CSV_TYPE,
                    filename=exports.filename("csv"))


@require_safe
def export_json(request):
    """The proposals the list page shows for these filters, as one JSON document; 400 for filters it refuses."""
    filterset, errors = _export_filterset(request)
    if errors:
        return JsonResponse({"detail": exports.error_text(errors).strip(), "errors": errors}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    pieces = exports.json_pieces(filterset.qs, request=request, filters=exports.applied_filters(filterset))
    return download(pieces, content_type=JSON_TYPE, filename=exports.filename("json"))
