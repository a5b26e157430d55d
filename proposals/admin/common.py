"""What the proposals back office shares: small form pages, bulk actions, scoping and assisted entries."""
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stakeholders.admin import OrganisationScopedAdmin

from .. import services
from ..models import Proposal
from .forms import FORM_PAGE, HideForm


def _form_page(modeladmin, request, form, title, submit_label, objects=None, label=str, obj=None, facts=None):
    """Renders a small form inside the admin: an action's second step, an assisted entry, or a form
    about one object (``obj``, with ``facts`` about it listed above)."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": title,
        "form": form,
        "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}, model_admin=modeladmin),
        "submit_label": submit_label,
        "selected": None if objects is None else [(obj.pk, label(obj)) for obj in objects],
        "action": request.POST.get("action", "") if objects is not None else "",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "changelist_url": reverse(f"admin:proposals_{modeladmin.model._meta.model_name}_changelist"),
        "media": modeladmin.media + form.media,
    }
    if obj is not None:
        context.update(original=obj, facts=facts,
                       change_url=reverse(f"admin:proposals_{modeladmin.model._meta.model_name}_change", args=[obj.pk]))
    return TemplateResponse(request, FORM_PAGE, context)


def _bound_action_form(request, form_class):
    """The action's form, bound only when it was sent from its own page (marked "apply")."""
    return form_class(request.POST) if "apply" in request.POST else form_class()


def _apply_each(modeladmin, request, objects, change, done_message, label=str):
    """Applies one service call per object; each is atomic, refusals are reported and skipped."""
    done = 0
    for obj in objects:
        try:
            change(obj)
        except services.ProposalError as error:
            modeladmin.message_user(request, f"{label(obj)}: {error}", messages.WARNING)
        else:
            done += 1
    modeladmin.message_user(request, done_message(done), messages.SUCCESS if done else messages.INFO)


@admin.action(description=_("Hide with a public reason"))
def hide(modeladmin, request, queryset):
    form = _bound_action_form(request, HideForm)
    if not form.is_bound or not form.is_valid():
        return _form_page(modeladmin, request, form, _("Hide content"), _("Hide"), objects=queryset)
    _apply_each(
        modeladmin, request, queryset,
        lambda obj: services.content_set_hidden(
            target=obj, moderator=request.user, hidden=True, reason=form.cleaned_data["reason"]
        ),
        lambda done: ngettext("%d item hidden.", "%d items hidden.", done) % done,
    )
    return None


@admin.action(description=_("Unhide"))
def unhide(modeladmin, request, queryset):
    _apply_each(
        modeladmin, request, queryset,
        lambda obj: services.content_set_hidden(target=obj, moderator=request.user, hidden=False),
        lambda done: ngettext("%d item shown again.", "%d items shown again.", done) % done,
    )


class ScopedChildAdmin(OrganisationScopedAdmin):
    """Objects that belong to a proposal: scoped through the proposal's organisation."""

    organisation_lookup = "proposal__organisation"

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return [*self.list_filter, "proposal__organisation"]
        return self.list_filter

    def scoped_proposals(self, request):
        """The proposals staff may enter a participant's contribution for."""
        proposals = Proposal.objects.published().filter(is_hidden=False)
        if request.user.is_superuser:
            return proposals
        return proposals.filter(organisation__in=self.scoped_organisations(request))


class AssistedEntryAdmin:
    """Replaces the add page: staff enter a participant's offline contribution through a service.

    The participant is never impersonated: the row names no user, but the staff member as
    entered_by, with channel and consent; the service records entered_by as the actor.
    """

    assisted_form_class = None
    assisted_title = None

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.assisted_form_class(
            request.POST if request.method == "POST" else None,
            initial={"proposal": request.GET.get("proposal")},
            proposals=self.scoped_proposals(request), admin_site=self.admin_site,
        )
        if form.is_bound and form.is_valid():
            try:
                obj = self.assisted_create(request, form.cleaned_data)
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                self.log_addition(request, obj, [{"added": {}}])
                self.message_user(request, _("Entered on behalf of the participant."), messages.SUCCESS)
                return HttpResponseRedirect(reverse(f"admin:proposals_{self.model._meta.model_name}_changelist"))
        return _form_page(self, request, form, self.assisted_title, _("Save"))


def _excerpt(text, length=80):
    return Truncator(text).chars(length)
