"""Implementations of accepted and funded proposals, their updates and evaluations, in the back office."""
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

from coproduction.admin_tools import PublicHistoryInline, form_page
from coproduction.admin_labels import titled
from stakeholders.admin import OrganisationScopedAdmin

from .. import services
from ..models import Evaluation, Implementation, ImplementationUpdate


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("What happened"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Published on the proposal's page, with today's date."))
    status = forms.ChoiceField(label=_("Status"), choices=Implementation.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100,
                                  help_text=_("A completed implementation is at 100 %."))


class ImplementationUpdateInline(PublicHistoryInline):
    model = ImplementationUpdate
    fields = ["created_at", "author", "status", "progress", "text"]


@admin.register(Implementation)
class ImplementationAdmin(OrganisationScopedAdmin):
    """What became of accepted and funded proposals; staff post dated public updates on "Post an update"."""

    organisation_lookup = "proposal__organisation"
    list_display = ["proposal", "organisation", "status", "progress", "updated_at", "update_count",
                    "evaluation_count", "average_rating"]
    list_filter = ["status"]
    search_fields = ["proposal__title"]
    list_select_related = ["proposal__organisation"]
    fields = ["proposal", "status", "progress", "started_at", "completed_at", "updated_at", "update_count",
              "evaluation_count", "average_rating"]
    readonly_fields = fields
    inlines = [ImplementationUpdateInline]

    def has_add_permission(self, request):
        return False  # made by the services when a proposal is accepted or funded

    def has_change_permission(self, request, obj=None):
        return False  # changed only by posting an update

    def get_list_filter(self, request):
        return [*self.list_filter, "proposal__organisation"] if request.user.is_superuser else self.list_filter

    @admin.display(description=_("organisation"))
    def organisation(self, implementation):
        return implementation.proposal.organisation

    @admin.display(description=_("average rating"))
    def average_rating(self, implementation):
        return implementation.average_rating if implementation.average_rating is not None else "–"

    def get_urls(self):
        return [
            path("<path:object_id>/post-update/", self.admin_site.admin_view(self.update_view),
                 name="proposals_implementation_update"),
            *super().get_urls(),
        ]

    def update_view(self, request, object_id):
        implementation = self.get_object(request, unquote(object_id))
        if implementation is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        proposal = implementation.proposal
        if not request.user.has_perm("proposals.post_update_proposal", proposal):
            raise PermissionDenied
        form = UpdateForm(request.POST if request.method == "POST" else None,
                          initial={"status": implementation.status, "progress": implementation.progress})
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                services.implementation_update_post(proposal=proposal, actor=request.user, text=data["text"],
                                                    status=data["status"], progress=data["progress"])
            except services.ProposalError as error:
                ended = implementation.status in (Implementation.Status.COMPLETED, Implementation.Status.STOPPED)
                form.add_error("status" if ended and data["status"] != implementation.status else None, str(error))
            else:
                added = {"name": str(ImplementationUpdate._meta.verbose_name),
                         "object": Truncator(data["text"]).chars(40)}
                self.log_change(request, implementation, [{"added": added}])
                self.message_user(request, _("The update is published with the proposal."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:proposals_implementation_change", args=[implementation.pk]))
        facts = [
            (_("Proposal"), format_html('<a href="{}#progress">{}</a>', proposal.get_absolute_url(), proposal.title)),
            (_("Status"), implementation.get_status_display()),
            (_("Progress (%)"), implementation.progress),
        ]
        return form_page(self, request, form, title=_("Post a progress update"),
                         submit_label=_("Publish the update"), obj=implementation, facts=facts)


@admin.register(Evaluation)
class EvaluationAdmin(OrganisationScopedAdmin):
    """What participants and clients said after completion: read-only for the organisation's staff."""

    organisation_lookup = "implementation__proposal__organisation"
    list_display = ["implementation", "rating", "excerpt", "created_at"]
    list_filter = [titled("rating", pgettext_lazy("admin filter", "rating"))]
    search_fields = ["comment", "implementation__proposal__title"]
    list_select_related = ["implementation__proposal"]
    fields = ["implementation", "user", "rating", "comment", "created_at"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"))
    def excerpt(self, evaluation):
        return Truncator(evaluation.comment).chars(80)
