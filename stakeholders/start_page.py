"""The back office's start page: what needs attention in each organisation a person is staff of.

Each app offers ``attention.py`` with ``ATTENTION``, a list of ``Need``: a kind of work waiting
(open reports, membership requests, proposals without an answer, …), the rows it counts, where
their organisation is, and the admin list that shows them. The page asks each need one grouped
query for every organisation at once, so it costs the same with ten rows or a million.

An app that builds on another may narrow the other's needs: ``REFINE`` in its ``attention.py``
maps a need's code to a function of its rows (budgets takes its own proposals out of those waiting
for an answer, as its review answers them). The start page and the lists it links to both ask
``rows_of``, so a line's count and its list agree.

Staff see their organisations; operators see every organisation, or one they choose.
"""
from dataclasses import dataclass, field
from typing import Callable

from django.db.models import Count, F, Min, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .models import Organisation
from .staff import staff_organisation_ids

from coproduction.contracts import contract_modules


@dataclass(frozen=True)
class Need:
    """A kind of work waiting in the back office.

    ``rows()``: a queryset of what waits; ``organisation``: the lookup from a row to its
    organisation's id; ``label(count)``: the line's words (ngettext); ``changelist``: the admin
    URL name of the list that shows these rows, with ``filters`` (a dict, or a callable taking
    the time now) that narrow it to them; the organisation filter is added as
    ``<organisation>__exact``. ``since``: a date field whose oldest value the line shows as days
    waiting; ``examples``: how many of the oldest rows to name (linked to their change pages,
    titled by ``title`` and ordered by ``since``).
    """

    code: str
    label: Callable[[int], str]
    rows: Callable
    organisation: str
    changelist: str
    filters: dict | Callable = field(default_factory=dict)
    since: str | None = None
    examples: int = 0
    title: str = "pk"
    order: int = 50


def needs():
    """Every app's needs, in their order."""
    found = [need for _config, module in contract_modules("attention", provides="ATTENTION")
             for need in module.ATTENTION]
    return sorted(found, key=lambda need: need.order)


def rows_of(need, now):
    """What waits for ``need``, narrowed by the apps that refine it."""
    rows = need.rows(now) if need.rows.__code__.co_argcount == 1 else need.rows()
    for _config, module in contract_modules("attention", provides="REFINE"):
        refine = module.REFINE.get(need.code)
        if refine is not None:
            rows = refine(rows)
    return rows


@dataclass
class Line:
    need: Need
    count: int
    url: str
    days_waiting: int | None = None
    examples: list = field(default_factory=list)

    @property
    def label(self):
        return self.need.label(self.count)


@dataclass
class Card:
    organisation: Organisation | None  # None: every organisation, for an operator
    lines: list

    @property
    def open_lines(self):
        return [line for line in self.lines if line.count]

    @property
    def idle(self):
        """The labels of the needs with nothing waiting, so the page says what it checked."""
        return [line.need.label(0) for line in self.lines if not line.count]

    @property
    def total(self):
        return sum(line.count for line in self.lines)


def scope(user, chosen=None):
    """(organisations to show, whether they are all of them); ``chosen`` is an id an operator picked.

    Staff get their organisations, whatever id they pass: another organisation's id shows nothing of it.
    """
    if user.is_superuser:
        if chosen is not None:
            return list(Organisation.objects.filter(pk=chosen).only("id", "name", "slug")), False
        return [], True
    ids = staff_organisation_ids(user)
    if chosen is not None:
        ids = ids & {chosen}
    return list(Organisation.objects.filter(pk__in=ids).only("id", "name", "slug").order_by("name")), False


def cards(user, chosen=None, now=None):
    """The start page's cards: one per organisation, or one for everything (an operator choosing none)."""
    now = now or timezone.now()
    organisations, everything = scope(user, chosen)
    if not organisations and not everything:
        return []
    ids = [organisation.pk for organisation in organisations]
    keys = [None] if everything else ids
    lines = {key: [] for key in keys}
    for need in needs():
        rows = rows_of(need, now)
        if not everything:
            rows = rows.filter(**{f"{need.organisation}__in": ids})
        counted = _counted(rows, need, everything)
        examples = _examples(rows, need, None if everything else ids) if need.examples else {}
        for key in keys:
            count, oldest = counted.get(key, (0, None))
            lines[key].append(Line(
                need=need, count=count, url=_url(need, key, now),
                days_waiting=None if oldest is None else max((now - oldest).days, 0),
                examples=[(title, reverse(_change_url(need), args=[pk]), max((now - since).days, 0))
                          for pk, title, since in examples.get(key, [])],
            ))
    if everything:
        return [Card(None, lines[None])]
    return [Card(organisation, lines[organisation.pk]) for organisation in organisations]


def _counted(rows, need, everything):
    aggregates = {"n": Count("pk")}
    if need.since:
        aggregates["oldest"] = Min(need.since)
    if everything:
        row = rows.aggregate(**aggregates)
        return {None: (row["n"], row.get("oldest"))}
    grouped = rows.order_by().values(need.organisation).annotate(**aggregates)
    return {row[need.organisation]: (row["n"], row.get("oldest")) for row in grouped}


def _examples(rows, need, ids):
    """The ``examples`` oldest rows of each organisation of ``ids`` (None: of all together), in one query."""
    if ids is None or len(ids) == 1:
        # One list, the oldest first: read from the need's index instead of numbering every row.
        oldest = rows.order_by(need.since, "pk").values_list("pk", need.title, need.since)[:need.examples]
        return {None if ids is None else ids[0]: list(oldest)}
    ranked = rows.annotate(
        place=Window(RowNumber(), partition_by=[F(need.organisation)],
                     order_by=[F(need.since).asc(), F("pk").asc()]),
    ).filter(place__lte=need.examples).order_by(need.since, "pk")
    found = {}
    for pk, title, since, organisation in ranked.values_list("pk", need.title, need.since, need.organisation):
        found.setdefault(organisation, []).append((pk, title, since))
    return found


def _change_url(need):
    return need.changelist.removesuffix("_changelist") + "_change"


def _url(need, organisation_id, now):
    filters = need.filters(now) if callable(need.filters) else dict(need.filters)
    if organisation_id is not None:
        filters[f"{need.organisation}__exact"] = organisation_id
    query = urlencode(filters)
    return reverse(need.changelist) + (f"?{query}" if query else "")


def operator_choices():
    """(id, name) of every organisation, for an operator's choice on the start page."""
    return list(Organisation.objects.order_by("name").values_list("pk", "name"))


def need_filter(*chosen):
    """A list filter “Needs attention” whose choices narrow an admin list to what ``chosen`` needs
    count on the start page, by their ``filters`` value for the parameter ``need``."""
    from django.contrib import admin
    from django.utils.translation import gettext_lazy as _

    by_value = {need.filters["need"]: need for need in chosen}

    class NeedFilter(admin.SimpleListFilter):
        title = _("needs attention")
        parameter_name = "need"

        def lookups(self, request, model_admin):
            return [(value, need.label(2)) for value, need in by_value.items()]

        def queryset(self, request, queryset):
            need = by_value.get(self.value())
            if need is None:
                return queryset
            return queryset.filter(pk__in=rows_of(need, timezone.now()).values("pk"))

    return NeedFilter


def with_start_page(index):
    """Wraps the admin site's index view: it opens on what needs attention, the list of areas below."""

    def start_page(request, extra_context=None):
        chosen = request.GET.get("organisation", "")
        chosen = int(chosen) if chosen.isdigit() and len(chosen) < 10 else None
        context = {
            "attention_cards": cards(request.user, chosen),
            "organisation_choices": operator_choices() if request.user.is_superuser else None,
            "chosen_organisation": chosen,
            **(extra_context or {}),
        }
        return index(request, extra_context=context)

    return start_page
