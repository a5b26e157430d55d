"""Proposals as open data: the public proposals that match the list page's filters, without any person.

Rows name the organisation but never a private person: no author, no email or phone, nobody who
entered a proposal for someone else. Drafts and proposals hidden by moderation are left out.
"""
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduction.exports import absolute_url_maker, csv_lines, json_document
from coproduction.modes import CELLS

from .models import Proposal

COLUMNS = [
    "id", "url", "title", "summary", "organisation", "organisation_slug", "call", "category", "district",
    "planning", "delivery", "mode", "status", "support_count", "comment_count", "pledge_count",
    "estimated_cost", "published_at", "last_activity_at",
]
ROWS_PER_FETCH = 2000

_FIELDS = [
    "id", "title", "summary", "organisation__name", "organisation__slug", "call__title", "category__name",
    "district", "planning", "delivery", "status", "support_count", "comment_count", "pledge_count",
    "estimated_cost", "published_at", "last_activity_at",
]


def exportable():
    """What may leave the platform: published proposals that moderation has not hidden."""
    return Proposal.objects.published().filter(is_hidden=False)


def _moment(value):
    return timezone.localtime(value).isoformat() if value is not None else None


def proposal_rows(queryset, *, request):
    """One dict per proposal of ``queryset`` (keys: COLUMNS), read in batches with a single query."""
    url_of = absolute_url_maker(request, "proposals:detail")
    # Named now, in the language of the request: the rows are written after the view has returned.
    mode_names = {(cell.planning, cell.delivery): str(cell.name) for cell in CELLS}
    rows = queryset.values(*_FIELDS).iterator(chunk_size=ROWS_PER_FETCH)
    return (_row(row, url_of, mode_names) for row in rows)


def _row(row, url_of, mode_names):
    cost = row["estimated_cost"]
    return {
        "id": row["id"],
        "url": url_of(row["id"]),
        "title": row["title"],
        "summary": row["summary"],
        "organisation": row["organisation__name"],
        "organisation_slug": row["organisation__slug"],
        "call": row["call__title"] or "",
        "category": row["category__name"] or "",
        "district": row["district"],
        "planning": row["planning"],
        "delivery": row["delivery"],
        "mode": mode_names.get((row["planning"], row["delivery"]), ""),
        "status": row["status"],
        "support_count": row["support_count"],
        "comment_count": row["comment_count"],
        "pledge_count": row["pledge_count"],
        "estimated_cost": f"{cost:.2f}" if cost is not None else None,
        "published_at": _moment(row["published_at"]),
        "last_activity_at": _moment(row["last_activity_at"]),
    }


def csv_pieces(queryset, *, request):
    """The proposals as CSV text pieces: a header line of COLUMNS, then one line per proposal."""
    rows = proposal_rows(queryset, request=request)
    return csv_lines(COLUMNS, ([row[key] for key in COLUMNS] for row in rows))


def json_pieces(queryset, *, request, filters):
    """The proposals as one JSON document in pieces: when it was made, the filters, results and count."""
    head = {"generated_at": timezone.now().isoformat(), "filters": filters}
    return json_document(head, proposal_rows(queryset, request=request))


def applied_filters(filterset):
    """The filters as they were given, to be repeated in a query string; empty ones left out."""
    data = filterset.data or {}
    return {name: data.get(name) for name in filterset.filters if data.get(name)}


def filter_errors(filterset):
    """{filter name: [messages]} for the filter values the list page would refuse too."""
    return {name: [str(message) for message in messages] for name, messages in filterset.errors.items()}


def filename(extension):
    return f"proposals-{timezone.localdate().isoformat()}.{extension}"


def error_text(errors):
    lines = [_("These filters are not valid, so nothing was exported:")]
    lines += [f"{name}: {' '.join(messages)}" for name, messages in errors.items()]
    return "\n".join(lines) + "\n"
