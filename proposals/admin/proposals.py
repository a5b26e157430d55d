"""Proposals, calls for ideas and categories in the back office."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.utils.translation import pgettext_lazy

from coproduction.admin_labels import titled
from coproduction.admin_tools import Decision, DecisionsAdmin, PublicHistoryInline, form_page
from coproduction.errors import DomainError
from stakeholders.start_page import need_filter
from stakeholders.admin import OrganisationScopedAdmin, SharedCatalogueAdmin
from stakeholders.models import Organisation

from .. import services
from ..attention import ATTENTION
from ..models import Call, Category, Proposal, StatusChange, forget_mode_counts
from .common import _apply_each, _bound_action_form, hide, unhide
from .forms import AssistedProposalForm, StatusChangeForm, answer_form_for
from .participation import report_decisions


class StatusChangeInline(PublicHistoryInline):
    model = StatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "response"]


@admin.register(Proposal)
class ProposalAdmin(DecisionsAdmin, OrganisationScopedAdmin):
    list_display = ["title", "organisation", "status", "planning", "delivery", "support_count", "comment_count",
                    "pledge_count", "is_hidden", "published_at", "channel", "entered_by"]
    list_filter = [need_filter(*[need for need in ATTENTION if need.code == "unanswered"]),
                   "organisation", "status", titled("planning", pgettext_lazy("admin filter", "planning")),
                   titled("delivery", pgettext_lazy("admin filter", "delivery")), "category",
                   titled("is_hidden", pgettext_lazy("admin filter", "hiding by moderation")), "channel"]
    search_fields = ["title", "summary", "text", "district", "author__display_name"]
    list_select_related = ["organisation", "entered_by"]
    fieldsets = [
        (None, {"fields": ["title", "summary", "text", "organisation", "partner_organisations", "call", "category",
                           "district", "estimated_cost", "planning", "delivery"]}),
        (_("Status"), {"fields": ["status", "published_at", "last_activity_at", "is_hidden", "hidden_reason"]}),
        (_("Participation"), {"fields": ["author", "channel", "entered_by", "consent_recorded", "support_count",
                                         "comment_count", "pledge_count"]}),
    ]
    inlines = [StatusChangeInline]
    actions = ["change_status", hide, unhide]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Drafts are private to their author, in the back office too; platform operators see all.
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [f for f in self.list_filter if f != "organisation"]

    def has_change_permission(self, request, obj=None):
        return False  # the author's text is theirs; staff act through the actions only

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        if proposal is not None:  # links to the assisted entry pages, prefilled with this proposal
            extra_context = {
                **(extra_context or {}),
                "assist_support": proposal.status in Proposal.SUPPORTABLE_STATUSES and not proposal.is_hidden,
                "assist_comment": proposal.status != Proposal.Status.DRAFT and not proposal.is_hidden,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def decisions(self, request, proposal):
        found = report_decisions(proposal)
        answer_form = answer_form_for(proposal) if not proposal.is_hidden else None
        if answer_form is not None:
            waiting = ""
            if proposal.status == Proposal.Status.PUBLISHED and proposal.published_at:
                days = (timezone.now() - proposal.published_at).days
                waiting = ngettext("Waiting for a first answer for %d day.",
                                   "Waiting for a first answer for %d days.", days) % days

            def answer(request, proposal, data):
                services.proposal_set_status(proposal=proposal, actor=request.user, to_status=data["to_status"],
                                             response=data["response"])
                return _("Answered: the proposal is now “%(status)s”, with your public response.") % {
                    "status": Proposal.Status(data["to_status"]).label}

            found.insert(0, Decision("answer", _("Answer with a decision"), answer, form_class=answer_form,
                                     primary=not found, explanation=waiting,
                                     done_url=lambda request, proposal: reverse("admin:index")))
        return found

    def add_view(self, request, form_url="", extra_context=None):
        """Staff enter a proposal from a participant who took part offline; it is published at once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        organisations = (
            Organisation.objects.all() if request.user.is_superuser else self.scoped_organisations(request)
        )
        posted = request.method == "POST"
        form = AssistedProposalForm(request.POST if posted else None, request.FILES if posted else None,
                                    organisations=organisations)
        if form.is_bound and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                proposal = services.proposal_create(author=None, publish=True, entered_by=request.user, **data)
            except DomainError as error:
                error.add_to_form(form)
            else:
                self.log_addition(request, proposal, [{"added": {}}])
                self.message_user(request, _("The proposal was entered on behalf of the participant and published."),
                                  messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:proposals_proposal_changelist"))
        return form_page(self, request, form, title=_("Enter a proposal on behalf of a participant"),
                         submit_label=_("Publish"))

    # Only platform operators delete proposals, and only here; the matrix and the list totals then
    # count them no more.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_mode_counts()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        forget_mode_counts()

    @admin.action(description=_("Change status with a public response"))
    def change_status(self, request, queryset):
        form = _bound_action_form(request, StatusChangeForm)
        if not form.is_bound or not form.is_valid():
            return form_page(self, request, form, title=_("Change status with a public response"),
                             submit_label=_("Change status"), objects=queryset.select_related("organisation"))
        _apply_each(
            self, request, queryset.select_related("organisation"),
            lambda proposal: services.proposal_set_status(
                proposal=proposal, actor=request.user, to_status=form.cleaned_data["to_status"],
                response=form.cleaned_data["response"],
            ),
            lambda done: ngettext("%d proposal changed.", "%d proposals changed.", done) % done,
        )
        return None


@admin.register(Call)
class CallAdmin(OrganisationScopedAdmin):
    list_display = ["title", "organisation", "deadline", "is_open", "created_by", "created_at"]
    list_filter = ["organisation", "deadline"]
    search_fields = ["title", "description"]
    list_select_related = ["organisation", "created_by"]
    fields = ["organisation", "title", "description", "deadline"]

    @admin.display(boolean=True, description=_("open"))
    def is_open(self, call):
        return call.is_open

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["deadline"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Category)
class CategoryAdmin(SharedCatalogueAdmin):
    """Categories are shared by all organisations: staff may look, platform operators edit."""
