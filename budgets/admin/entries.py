"""Proposals in a budget, in the back office: review and cost."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coproduction.admin_tools import form_page
from coproduction.admin_labels import euros, titled
from coproduction.errors import DomainError
from coproduction.formatting import format_euros
from stakeholders.admin import OrganisationScopedAdmin

from .. import services
from ..models import Entry, Phase, Process
from .processes import _run_by_staff


class ReviewForm(forms.Form):
    # A select, not radio buttons: the admin's layout ties its label and error to it (WCAG 1.3.1).
    feasible = forms.TypedChoiceField(
        label=_("Can it be done?"), coerce=lambda value: value == "yes",
        choices=[("", "–"), ("yes", _("Yes, it is feasible")), ("no", _("No, it is not feasible"))],
    )
    final_cost = forms.DecimalField(
        label=_("Final cost (€)"), required=False, max_digits=12, decimal_places=2,
        help_text=_("Required if it is feasible: what it will really cost. People vote with this amount."),
    )
    reason = forms.CharField(
        label=_("Public reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown with the proposal. Required if it is not feasible."),
    )


class ScopedByProcessAdmin(OrganisationScopedAdmin):
    """Objects of a budget: scoped through the budget, so its partners' staff see them too."""

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(process__in=Process.objects.filter(_run_by_staff(request.user)).values("pk"))


@admin.register(Entry)
class EntryAdmin(ScopedByProcessAdmin):
    """The proposals of a budget with their review and votes; staff review them on "Review now"."""

    organisation_lookup = "process__organisation"  # the start page's links narrow the list by it

    list_display = ["proposal_title", "process", "feasibility", "estimated_cost", "final_cost_in_euros", "vote_count",
                    "is_funded", "result_rank", "review_link"]
    list_filter = [("process", admin.RelatedOnlyFieldListFilter), "feasibility",
                   titled("is_funded", pgettext_lazy("admin filter", "funding"))]
    search_fields = ["proposal__title", "proposal__summary"]
    list_select_related = ["process", "proposal"]
    fieldsets = [
        (None, {"fields": ["process", "proposal", "estimated_cost", "created_at"]}),
        (_("Review"), {"fields": ["feasibility", "final_cost_in_euros", "feasibility_reason", "reviewed_by",
                                       "reviewed_at"]}),
        (_("Votes"), {"fields": ["vote_count", "is_funded", "result_rank"]}),
    ]
    readonly_fields = ["process", "proposal", "estimated_cost", "created_at", "feasibility", "final_cost_in_euros",
                       "feasibility_reason", "reviewed_by", "reviewed_at", "vote_count", "is_funded", "result_rank"]

    final_cost_in_euros = euros(Entry, "final_cost")

    def has_add_permission(self, request):
        return False  # people send proposals in on the budget's page

    def has_change_permission(self, request, obj=None):
        return False  # reviewed on the review page, through the service

    @admin.display(description=_("proposal"), ordering="proposal__title")
    def proposal_title(self, entry):
        return Truncator(entry.proposal.title).chars(80)

    @admin.display(description=_("estimated cost (€)"))
    def estimated_cost(self, entry):
        cost = entry.proposal.estimated_cost
        return None if cost is None else format_euros(cost)

    @admin.display(description=_("review"))
    def review_link(self, entry):
        if entry.process.phase not in (Phase.COLLECTING, Phase.REVIEW):
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("admin:budgets_entry_review", args=[entry.pk]),
                           _("Review now"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, unquote(object_id))
        if entry is not None:
            extra_context = {**(extra_context or {}),
                             "can_review": entry.process.phase in (Phase.COLLECTING, Phase.REVIEW)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path("<path:object_id>/review/", self.admin_site.admin_view(self.review_view), name="budgets_entry_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not request.user.has_perm("budgets.manage_process", entry.process):
            raise PermissionDenied
        initial = {
            "feasible": {Entry.Feasibility.FEASIBLE: "yes", Entry.Feasibility.INFEASIBLE: "no"}.get(entry.feasibility),
            "final_cost": entry.final_cost if entry.final_cost is not None else entry.proposal.estimated_cost,
            "reason": entry.feasibility_reason,
        }
        form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                services.entry_review(entry=entry, actor=request.user, feasible=data["feasible"],
                                      reason=data["reason"], final_cost=data["final_cost"])
            except DomainError as error:
                form.add_error(self._review_error_field(entry, data), error.message)
            else:
                self.log_change(request, entry, [{"changed": {"fields": ["feasibility", "final_cost",
                                                                         "feasibility_reason"]}}])
                self.message_user(request, _("The review of “%(title)s” is saved.") % {"title": entry.proposal.title},
                                  messages.SUCCESS)
                url = reverse("admin:budgets_entry_changelist")
                return HttpResponseRedirect(f"{url}?process__id__exact={entry.process_id}")
        proposal = entry.proposal
        facts = [
            (_("Proposal"), format_html('<a href="{}">{}</a>', proposal.get_absolute_url(), proposal.title)),
            (_("Summary"), proposal.summary),
            (_("Estimated cost (€)"), proposal.estimated_cost if proposal.estimated_cost is not None else "–"),
            (_("Participatory budget"), f"{entry.process} ({entry.process.get_phase_display()})"),
            (_("Total budget (€)"), entry.process.total_amount),
            (_("Review so far"), entry.get_feasibility_display()),
        ]
        return form_page(self, request, form, obj=entry, facts=facts, title=_("Review a proposal"),
                         submit_label=_("Save the review"))

    @staticmethod
    def _review_error_field(entry, data):
        """Which field a refusal of the review is about; None for the rest (phase, permission)."""
        cost, total = data["final_cost"], entry.process.total_amount
        if data["feasible"] and (cost is None or cost <= 0 or cost > total):
            return "final_cost"
        if not data["feasible"] and not (data["reason"] or "").strip():
            return "reason"
        return None
