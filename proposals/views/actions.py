"""What people do on the proposal page: each view checks a rule, calls one service and redirects back."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..forms import CommentEditForm, CommentForm, PledgeForm, ReplyForm, ReportForm
from ..models import Comment, Proposal
from ..rules import is_author
from .detail import _visible_proposal, allowed, render_detail, reply_auto_id, signed_in_post


@signed_in_post
def support_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.support_proposal", proposal):
        return render_detail(request, pk, status=403,
                              error=_("This proposal cannot be supported in its current state."))
    try:
        services.proposal_support(proposal=proposal, user=request.user)
    except services.ProposalError as error:
        return render_detail(request, pk, status=400, error=str(error))
    messages.success(request, _("Thank you for your support. You now follow this proposal."))
    return redirect(proposal)


@signed_in_post
def unsupport_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.support_proposal", proposal):
        return render_detail(request, pk, status=403,
                              error=_("This proposal cannot be supported in its current state."))
    try:
        services.proposal_unsupport(proposal=proposal, user=request.user)
    except services.ProposalError as error:
        return render_detail(request, pk, status=400, error=str(error))
    messages.success(request, _("You have withdrawn your support."))
    return redirect(proposal)


@signed_in_post
def follow_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.follow_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal cannot be followed yet."))
    services.proposal_follow(proposal=proposal, user=request.user)
    messages.success(request, _("You now follow this proposal and will hear about its progress."))
    return redirect(proposal)


@signed_in_post
def unfollow_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.follow_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal cannot be followed yet."))
    services.proposal_unfollow(proposal=proposal, user=request.user)
    messages.success(request, _("You no longer follow this proposal."))
    return redirect(proposal)


@signed_in_post
def status_view(request, pk):
    """The author publishes a draft or withdraws the proposal; staff decide in the back office."""
    proposal = _visible_proposal(request, pk)
    to_status = request.POST.get("to_status", "")
    if not is_author(request.user, proposal) or services.TRANSITIONS[proposal.status].get(to_status) != "author":
        return render_detail(request, pk, status=403, error=_("You cannot change the status of this proposal."))
    try:
        services.proposal_set_status(proposal=proposal, actor=request.user, to_status=to_status)
    except services.ProposalError as error:
        return render_detail(request, pk, status=400, error=str(error))
    if to_status == Proposal.Status.PUBLISHED:
        messages.success(request, _("Your proposal is published. Everyone can now read, support and discuss it."))
    else:
        messages.success(request, _("Your proposal has been withdrawn."))
    return redirect(proposal)


@signed_in_post
def comment_view(request, pk):
    """A comment, or a reply when the form names the comment it answers."""
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.comment_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal is not open for comments."))
    parent = None
    raw_parent = request.POST.get("parent", "")
    if raw_parent:
        if not raw_parent.isdigit():
            raise Http404
        parent = get_object_or_404(Comment, pk=int(raw_parent), proposal=proposal)
        form = ReplyForm(request.POST, auto_id=reply_auto_id(parent.parent_id or parent.pk))
    else:
        form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(
                proposal=proposal, author=request.user, text=form.cleaned_data["text"], parent=parent
            )
        except services.ProposalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your reply has been published.") if parent else _("Your comment has been published.")
            )
            return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
    if parent is not None:
        return render_detail(request, pk, status=400, reply_form=form, reply_to=parent.parent_id or parent.pk)
    return render_detail(request, pk, status=400, comment_form=form)


@signed_in_post
def pledge_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.pledge_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal is not open for pledges."))
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            services.pledge_create(proposal=proposal, user=request.user, **form.cleaned_data)
        except services.ProposalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Thank you for your pledge. The people behind this proposal can now count on it.")
            )
            return redirect(f"{proposal.get_absolute_url()}#pledges")
    return render_detail(request, pk, status=400, pledge_form=form)


@signed_in_post
def report_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.report_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal cannot be reported."))
    form = ReportForm(request.POST, auto_id="id_report_%s")
    if form.is_valid():
        try:
            services.report_create(reporter=request.user, reason=form.cleaned_data["reason"], proposal=proposal)
        except services.ProposalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Staff of the organisation will look at your report."))
            return redirect(proposal)
    return render_detail(request, pk, status=400, report_form=form)


def _comment_of(request, pk, comment_pk):
    proposal = _visible_proposal(request, pk)
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=comment_pk, proposal=proposal)
    return proposal, comment


@login_required
def comment_report_view(request, pk, comment_pk):
    proposal, comment = _comment_of(request, pk, comment_pk)
    if not allowed(request.user, "proposals.report_proposal", proposal):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_create(
                    reporter=request.user, reason=form.cleaned_data["reason"], proposal=proposal, comment=comment
                )
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Thank you. Staff of the organisation will look at your report."))
                return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
        status = 400
    else:
        status = 200
    context = {"proposal": proposal, "comment": comment, "form": form}
    return render(request, "proposals/comment_report.html", context, status=status)


@login_required
def comment_edit_view(request, pk, comment_pk):
    proposal, comment = _comment_of(request, pk, comment_pk)
    if not allowed(request.user, "proposals.change_comment", comment):
        raise PermissionDenied
    form = CommentEditForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.comment_edit(comment=comment, user=request.user, text=form.cleaned_data["text"])
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your comment has been changed."))
                return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
        status = 400
    else:
        status = 200
    context = {"proposal": proposal, "comment": comment, "form": form,
               "edit_window": Comment.EDIT_WINDOW_MINUTES}
    return render(request, "proposals/comment_edit.html", context, status=status)
