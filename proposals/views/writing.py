"""Writing and editing a proposal."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduction.errors import DomainError
from coproduction.modes import CELLS
from coproduction.permissions import allowed

from .. import services
from ..forms import MatrixModeForm, ProposalForm
from ..models import Call, Proposal
from .detail import _visible_proposal, render_detail


def _call_from_query(request):
    """The open call named in ?call=<id>, to preselect it and its organisation; None otherwise."""
    raw = request.GET.get("call", "")
    if not raw.isdigit():
        return None
    return Call.objects.open().select_related("organisation").filter(pk=int(raw)).first()


@login_required
def proposal_create_view(request):
    if not allowed(request.user, "proposals.add_proposal"):
        raise PermissionDenied
    if request.method == "POST":
        form, mode_form = ProposalForm(request.POST, request.FILES), MatrixModeForm(request.POST)
        if form.is_valid() and mode_form.is_valid():
            publish = request.POST.get("action") == "publish"
            try:
                proposal = services.proposal_create(
                    author=request.user, publish=publish, **form.cleaned_data, **mode_form.cleaned_data
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                if publish:
                    messages.success(request, _("Your proposal is published. Thank you!"))
                else:
                    messages.success(request, _("Your draft is saved. Only you can see it until you publish it."))
                return redirect(proposal)
        form.ask_for_pictures_again()
        status = 400
    else:
        call = _call_from_query(request)
        initial = {"call": call, "organisation": call.organisation} if call else {}
        form, mode_form = ProposalForm(initial=initial), MatrixModeForm()
        status = 200
    context = {"form": form, "mode_form": mode_form, "cells": CELLS, "is_new": True}
    return render(request, "proposals/proposal_form.html", context, status=status)


@login_required
def proposal_edit_view(request, pk):
    proposal = _visible_proposal(request, pk, Proposal.objects.select_related("organisation", "call", "image"))
    if not allowed(request.user, "proposals.change_proposal", proposal):
        return render_detail(request, pk, status=403,
                              error=_("Only the author can edit this proposal, and only until review starts."))
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, current_call=proposal.call, current_district=proposal.district, pictures={"image": proposal.image})
        mode_form = MatrixModeForm(request.POST)
        if form.is_valid() and mode_form.is_valid():
            try:
                services.proposal_update(
                    proposal=proposal, user=request.user, **form.cleaned_data, **mode_form.cleaned_data
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Your changes have been saved."))
                return redirect(proposal)
        form.ask_for_pictures_again()
        status = 400
    else:
        fields = ["title", "summary", "text", "organisation", "call", "category", "district", "estimated_cost"]
        initial = {name: getattr(proposal, name) for name in fields}
        initial["partner_organisations"] = list(proposal.partner_organisations.values_list("pk", flat=True))
        form = ProposalForm(initial=initial, current_call=proposal.call, current_district=proposal.district, pictures={"image": proposal.image})
        mode_form = MatrixModeForm(initial={"planning": proposal.planning, "delivery": proposal.delivery})
        status = 200
    context = {"form": form, "mode_form": mode_form, "cells": CELLS, "proposal": proposal, "is_new": False}
    return render(request, "proposals/proposal_form.html", context, status=status)
