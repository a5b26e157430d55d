"""What people do on the proposal page: each view checks a rule, calls one service and redirects back."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduction.errors import DomainError
from coproduction.permissions import allowed
from coproduction.web import signed_in_post

from .. import services
from ..forms import CommentEditForm, CommentForm, PledgeForm, ReplyForm, ReportForm
from ..models import Comment, Proposal
from .detail import _visible_proposal, comment_url, render_detail, reply_auto_id


def _proposal_page(pk):
    return reverse("proposals:detail", args=[pk])


@signed_in_post(_proposal_page)
def support_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.support_proposal", proposal):
        return render_detail(request, pk, status=403,
                              error=_("This proposal cannot be supported in its current state."))
    try:
        services.proposal_support(proposal=proposal, user=request.user)
    except DomainError as error:
        return render_detail(request, pk, status=400, error=error.message)
    messages.success(request, _("Thank you for your support. You now follow this proposal."))
    return redirect(proposal)


@signed_in_post(_proposal_page)
def unsupport_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.support_proposal", proposal):
        return render_detail(request, pk, status=403,
                              error=_("This proposal cannot be supported in its current state."))
    try:
        services.proposal_unsupport(proposal=proposal, user=request.user)
    except DomainError as error:
        return render_detail(request, pk, status=400, error=error.message)
    messages.success(request, _("You have withdrawn your support."))
    return redirect(proposal)


@signed_in_post(_proposal_page)
def follow_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.follow_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal cannot be followed yet."))
    services.proposal_follow(proposal=proposal, user=request.user)
    messages.success(request, _("You now follow this proposal and will hear about its progress."))
    return redirect(proposal)


@signed_in_post(_proposal_page)
def unfollow_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.follow_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal cannot be followed yet."))
    services.proposal_unfollow(proposal=proposal, user=request.user)
    messages.success(request, _("You no longer follow this proposal."))
    return redirect(proposal)


@signed_in_post(_proposal_page)
def status_view(request, pk):
    """The author publishes a draft or withdraws the proposal; staff decide in the back office."""
    proposal = _visible_proposal(request, pk)
    to_status = request.POST.get("to_status", "")
    try:
        services.check_author_move(proposal=proposal, actor=request.user, to_status=to_status)
    except DomainError as error:
        return render_detail(request, pk, status=403, error=error.message)
    try:
        services.proposal_set_status(proposal=proposal, actor=request.user, to_status=to_status)
    except DomainError as error:
        return render_detail(request, pk, status=400, error=error.message)
    if to_status == Proposal.Status.PUBLISHED:
        messages.success(request, _("Your proposal is published. Everyone can now read, support and discuss it."))
    else:
        messages.success(request, _("Your proposal has been withdrawn."))
    return redirect(proposal)


@signed_in_post(_proposal_page)
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
        except DomainError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request, _("Your reply has been published.") if parent else _("Your comment has been published.")
            )
            return redirect(comment_url(proposal, comment))
    if parent is not None:
        return render_detail(request, pk, status=400, reply_form=form, reply_to=parent.parent_id or parent.pk)
    return render_detail(request, pk, status=400, comment_form=form)


@signed_in_post(_proposal_page)
def pledge_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.pledge_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal is not open for pledges."))
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            services.pledge_create(proposal=proposal, user=request.user, **form.pledge())
        except DomainError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request, _("Thank you for your pledge. The people behind this proposal can now count on it.")
            )
            return redirect(f"{proposal.get_absolute_url()}#pledges")
    return render_detail(request, pk, status=400, pledge_form=form)


@signed_in_post(_proposal_page)
def report_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "proposals.report_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal cannot be reported."))
    form = ReportForm(request.POST, auto_id="id_report_%s")
    if form.is_valid():
        try:
            services.report_create(reporter=request.user, reason=form.cleaned_data["reason"], proposal=proposal)
        except DomainError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Thank you. Staff of the organisation will look at your report."))
            return redirect(proposal)
    return render_detail(request, pk, status=400, report_form=form)


def _comment_of(request, pk, comment_pk):
    proposal = _visible_proposal(request, pk)
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=comment_pk, proposal=proposal)
    return proposal, comment


def comment_permalink_view(request, pk, comment_pk):
    """A comment's lasting address (notifications link it): its page of the discussion, scrolled to it."""
    proposal, comment = _comment_of(request, pk, comment_pk)
    return redirect(comment_url(proposal, comment))


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
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Thank you. Staff of the organisation will look at your report."))
                return redirect(comment_url(proposal, comment))
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
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Your comment has been changed."))
                return redirect(comment_url(proposal, comment))
        status = 400
    else:
        status = 200
    context = {"proposal": proposal, "comment": comment, "form": form,
               "edit_window": Comment.EDIT_WINDOW_MINUTES}
    return render(request, "proposals/comment_edit.html", context, status=status)
