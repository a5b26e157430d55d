"""What became of accepted and funded proposals, on their page: progress updates by staff and
evaluations after completion.

Both are posted from the proposal's progress panel (proposals/pages.py). A refused post shows
the proposal page again with the reason, the input kept and the fields marked (400), or 403 for
someone who may not post at all; nothing is saved then.
"""
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduction.permissions import allowed
from coproduction.web import signed_in_post

from .. import services
from ..accountability_forms import EvaluationForm, UpdateForm
from ..models import Implementation
from .detail import _visible_proposal, render_detail

I = Implementation.Status


def _progress_url(pk):
    return f"{reverse('proposals:detail', args=[pk])}#progress"


def _again(request, proposal, *, status, error=None, **forms):
    """The proposal page again with the reason, and the refused form in the progress panel."""
    return render_detail(request, proposal.pk, status=status, error=error, bound_panels={"progress": forms})


@signed_in_post(_progress_url)
def update_post(request, pk):
    """Staff of the proposal's organisation report progress in public."""
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.post_update_proposal", proposal):
        return _again(request, proposal, status=403, error=_("Only staff of the organisation can report progress."))
    implementation = Implementation.objects.filter(proposal=proposal).first()
    if implementation is None and proposal.status not in services.TRACKED:
        return _again(request, proposal, status=400,
                      error=_("Progress is reported for accepted or funded proposals only."))
    form = UpdateForm(request.POST, implementation=implementation)
    error = _("The update was not published. Please check the form.")
    if form.is_valid():
        try:
            services.implementation_update_post(proposal=proposal, actor=request.user, **form.cleaned_data)
        except services.ProposalError as refusal:
            form.add_error(None, str(refusal))
            error = str(refusal)
        else:
            messages.success(request, _("Your update is published."))
            return redirect(_progress_url(proposal.pk))
    return _again(request, proposal, status=400, error=error, update=form)


@signed_in_post(_progress_url)
def evaluation_post(request, pk):
    """After completion, the people it was for say whether it helped."""
    proposal = _visible_proposal(request, pk)
    implementation = Implementation.objects.filter(proposal=proposal).first()
    if implementation is None or implementation.status != I.COMPLETED:
        return _again(request, proposal, status=400,
                      error=_("You can say whether it helped once it is completed."))
    implementation.proposal = proposal
    if not services.may_evaluate(request.user, implementation):
        return _again(request, proposal, status=403,
                      error=_("Only people who took part in it or were meant to benefit can evaluate it."))
    form = EvaluationForm(request.POST)
    error = _("Your evaluation was not sent. Please check the form.")
    if form.is_valid():
        try:
            services.evaluation_create(implementation=implementation, user=request.user, **form.cleaned_data)
        except services.ProposalError as refusal:
            form.add_error(None, str(refusal))
            error = str(refusal)
        else:
            messages.success(request, _("Thank you. Your evaluation is published without your name."))
            return redirect(_progress_url(proposal.pk))
    return _again(request, proposal, status=400, error=error, evaluation=form)
