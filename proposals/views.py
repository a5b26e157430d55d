"""The public proposal pages. Each action view checks a rule, calls one service and redirects back."""
from datetime import timedelta
from functools import wraps

import rules

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Sum, Value, When
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from coproduction.exports import CSV_TYPE, JSON_TYPE, download
from coproduction.modes import CELLS
from stakeholders.models import Organisation

from . import exports, services
from .filters import ProposalFilter
from .forms import (
    CommentEditForm, CommentForm, ModeForm, PledgeForm, ProposalForm, ReplyForm, ReportForm,
)
from .models import Call, Comment, Follow, Pledge, Proposal, Support
from .rules import is_author

PLEDGES_SHOWN = 50


def allowed(user, permission, obj=None):
    """Tests the named rule itself, so a superuser gets no shortcut past a proposal's state."""
    return rules.has_perm(f"proposals.{permission}", user, obj)


class ProposalListView(FilterView):
    filterset_class = ProposalFilter
    template_name = "proposals/proposal_list.html"
    paginate_by = 20
    context_object_name = "proposals"

    def get_queryset(self):
        return Proposal.objects.published().for_list()

    def get_paginator(self, queryset, per_page, **kwargs):
        """The total comes from the kept counts when only the mode narrows the list (hidden ones are listed)."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if self.filterset.is_valid():
            known = Proposal.objects.count_for(self.request.GET, include_hidden=True)
            if known is not None:
                paginator.count = known
        return paginator


# --- the proposal page ----------------------------------------------------------------------

def comment_threads(comments):
    """Top-level comments in order, each with ``thread_replies``; a reply to a reply joins its thread."""
    by_id = {comment.pk: comment for comment in comments}
    threads = []
    for comment in comments:
        comment.thread_replies = []
    for comment in comments:
        root, depth = comment, 0
        while root.parent_id in by_id and depth < 10:
            root, depth = by_id[root.parent_id], depth + 1
        if root is comment:
            threads.append(comment)
        else:
            root.thread_replies.append(comment)
    return threads


def pledge_totals(proposal):
    """Per kind: how many pledges, and the hours (time) or euros (money) they add up to. One query."""
    rows = {
        row["kind"]: row
        for row in Pledge.objects.filter(proposal=proposal).order_by().values("kind")
        .annotate(count=Count("id"), hours=Sum("hours"), amount=Sum("amount"))
    }
    return [
        {"kind": kind, "label": label, "count": rows[kind]["count"], "hours": rows[kind]["hours"],
         "amount": rows[kind]["amount"]}
        for kind, label in Pledge.Kind.choices if kind in rows
    ]


def reply_auto_id(thread_pk):
    return f"id_reply{thread_pk}_%s"


def _page_queryset(user):
    partners = Prefetch("partner_organisations", queryset=Organisation.objects.only("id", "name", "slug"))
    queryset = (
        Proposal.objects.defer("search_vector")
        .select_related("organisation", "call", "category", "author", "budget_entry__process", "implementation")
        .prefetch_related(partners)
    )
    if user.is_authenticated:
        queryset = queryset.annotate(
            is_supported=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user)),
            is_followed=Exists(Follow.objects.filter(proposal=OuterRef("pk"), user=user)),
        )
    return queryset


def _visible_proposal(request, pk, queryset=None):
    """The proposal if this person may see it; drafts are 404 for everyone but their author."""
    proposal = get_object_or_404(queryset if queryset is not None else Proposal.objects.select_related("organisation"),
                                 pk=pk)
    if not allowed(request.user, "view_proposal", proposal):
        raise Http404
    return proposal


def _detail_context(request, proposal, *, comment_form=None, reply_form=None, reply_to=None, pledge_form=None,
                    report_form=None):
    user = request.user
    comments = list(
        proposal.comments.select_related("author").only(
            "id", "proposal_id", "parent_id", "text", "created_at", "edited_at", "is_hidden", "hidden_reason",
            "channel", "entered_by_id", "author_id", "author__display_name",
        )
    )
    threads = comment_threads(comments)
    can = {verb: allowed(user, f"{verb}_proposal", proposal)
           for verb in ("change", "support", "follow", "comment", "pledge", "report")}
    if can["comment"]:
        for thread in threads:
            thread.reply_form = reply_form if reply_to == thread.pk else ReplyForm(
                auto_id=reply_auto_id(thread.pk), initial={"parent": thread.pk}
            )
    author_moves = (
        [to for to, who in services.TRANSITIONS[proposal.status].items() if who == "author"]
        if is_author(user, proposal) else []
    )
    return {
        "proposal": proposal,
        "cell": proposal.cell,
        "threads": threads,
        "can": can,
        "can_publish": Proposal.Status.PUBLISHED in author_moves,
        "can_withdraw": Proposal.Status.WITHDRAWN in author_moves,
        "status_changes": proposal.status_changes.select_related("actor").only(
            "id", "proposal_id", "from_status", "to_status", "response", "created_at", "actor__display_name"
        ),
        "pledge_totals": pledge_totals(proposal),
        "pledges": proposal.pledges.select_related("user").only(
            "id", "proposal_id", "kind", "hours", "note", "channel", "created_at", "user__display_name"
        ).order_by("-created_at", "-pk")[:PLEDGES_SHOWN],
        "pledges_shown": PLEDGES_SHOWN,
        "edit_since": timezone.now() - timedelta(minutes=Comment.EDIT_WINDOW_MINUTES),
        "comment_form": comment_form or CommentForm(),
        "pledge_form": pledge_form or PledgeForm(),
        "report_form": report_form or ReportForm(auto_id="id_report_%s"),
    }


def proposal_detail(request, pk):
    proposal = _visible_proposal(request, pk, _page_queryset(request.user))
    return render(request, "proposals/proposal_detail.html", _detail_context(request, proposal))


def render_detail(request, pk, *, status, error=None, **forms):
    """The proposal page again, after a refused action: 400 for bad input, 403 for a missing right."""
    if error:
        messages.error(request, error)
    proposal = _visible_proposal(request, pk, _page_queryset(request.user))
    return render(request, "proposals/proposal_detail.html", _detail_context(request, proposal, **forms),
                  status=status)


def signed_in_post(view):
    """POST only; someone not signed in is sent to sign in and comes back to the proposal."""
    @require_POST
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("proposals:detail", args=[pk]))
        return view(request, pk, *args, **kwargs)
    return wrapper


# --- what people do on the proposal page ----------------------------------------------------

@signed_in_post
def support_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "support_proposal", proposal):
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
    if not allowed(request.user, "support_proposal", proposal):
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
    if not allowed(request.user, "follow_proposal", proposal):
        return render_detail(request, pk, status=403, error=_("This proposal cannot be followed yet."))
    services.proposal_follow(proposal=proposal, user=request.user)
    messages.success(request, _("You now follow this proposal and will hear about its progress."))
    return redirect(proposal)


@signed_in_post
def unfollow_view(request, pk):
    proposal = _visible_proposal(request, pk)
    if not allowed(request.user, "follow_proposal", proposal):
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
    if not allowed(request.user, "comment_proposal", proposal):
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
    if not allowed(request.user, "pledge_proposal", proposal):
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
    if not allowed(request.user, "report_proposal", proposal):
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
    if not allowed(request.user, "report_proposal", proposal):
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
    if not allowed(request.user, "change_comment", comment):
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


# --- writing a proposal ---------------------------------------------------------------------

def _call_from_query(request):
    """The open call named in ?call=<id>, to preselect it and its organisation; None otherwise."""
    raw = request.GET.get("call", "")
    if not raw.isdigit():
        return None
    return Call.objects.open().select_related("organisation").filter(pk=int(raw)).first()


@login_required
def proposal_create_view(request):
    if not allowed(request.user, "add_proposal"):
        raise PermissionDenied
    if request.method == "POST":
        form, mode_form = ProposalForm(request.POST), ModeForm(request.POST)
        if form.is_valid() and mode_form.is_valid():
            publish = request.POST.get("action") == "publish"
            try:
                proposal = services.proposal_create(
                    author=request.user, publish=publish, **form.cleaned_data, **mode_form.cleaned_data
                )
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                if publish:
                    messages.success(request, _("Your proposal is published. Thank you!"))
                else:
                    messages.success(request, _("Your draft is saved. Only you can see it until you publish it."))
                return redirect(proposal)
        status = 400
    else:
        call = _call_from_query(request)
        initial = {"call": call, "organisation": call.organisation} if call else {}
        form, mode_form = ProposalForm(initial=initial), ModeForm()
        status = 200
    context = {"form": form, "mode_form": mode_form, "cells": CELLS, "is_new": True}
    return render(request, "proposals/proposal_form.html", context, status=status)


@login_required
def proposal_edit_view(request, pk):
    proposal = _visible_proposal(request, pk, Proposal.objects.select_related("organisation", "call"))
    if not allowed(request.user, "change_proposal", proposal):
        return render_detail(request, pk, status=403,
                              error=_("Only the author can edit this proposal, and only until review starts."))
    if request.method == "POST":
        form = ProposalForm(request.POST, current_call=proposal.call)
        mode_form = ModeForm(request.POST)
        if form.is_valid() and mode_form.is_valid():
            try:
                services.proposal_update(
                    proposal=proposal, user=request.user, **form.cleaned_data, **mode_form.cleaned_data
                )
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your changes have been saved."))
                return redirect(proposal)
        status = 400
    else:
        fields = ["title", "summary", "text", "organisation", "call", "category", "district", "estimated_cost"]
        initial = {name: getattr(proposal, name) for name in fields}
        initial["partner_organisations"] = list(proposal.partner_organisations.values_list("pk", flat=True))
        form = ProposalForm(initial=initial, current_call=proposal.call)
        mode_form = ModeForm(initial={"planning": proposal.planning, "delivery": proposal.delivery})
        status = 200
    context = {"form": form, "mode_form": mode_form, "cells": CELLS, "proposal": proposal, "is_new": False}
    return render(request, "proposals/proposal_form.html", context, status=status)


# --- calls for ideas ------------------------------------------------------------------------

class CallListView(ListView):
    template_name = "proposals/call_list.html"
    context_object_name = "calls"
    paginate_by = 20

    def get_queryset(self):
        today = timezone.localdate()
        is_open = Q(deadline__gte=today)
        return (
            Call.objects.select_related("organisation")
            .only("id", "title", "deadline", "organisation__name", "organisation__slug")
            .annotate(
                closed=Case(When(is_open, then=Value(0)), default=Value(1)),
                open_deadline=Case(When(is_open, then="deadline"), default=None),
                proposal_total=Count("proposals", filter=~Q(proposals__status=Proposal.Status.DRAFT)),
            )
            # open calls first, the nearest deadline on top; then closed ones, the latest first
            .order_by("closed", "open_deadline", "-deadline", "-id")
        )


class CallDetailView(DetailView):
    template_name = "proposals/call_detail.html"
    context_object_name = "call"
    queryset = Call.objects.select_related("organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposals = Proposal.objects.published().for_list().filter(call=self.object)
        context["page_obj"] = Paginator(proposals, 20).get_page(self.request.GET.get("page"))
        context["proposals"] = context["page_obj"].object_list
        return context


# --- open data -------------------------------------------------------------------------------

def _export_filterset(request):
    """The list page's filters over what may be exported; unbound (everything) without a query string."""
    filterset = ProposalFilter(request.GET or None, queryset=exports.exportable(), request=request)
    refused = filterset.is_bound and not filterset.is_valid()
    return filterset, exports.filter_errors(filterset) if refused else None


@require_safe
def export_csv(request):
    """The proposals the list page shows for these filters, as a spreadsheet; 400 for filters it refuses."""
    filterset, errors = _export_filterset(request)
    if errors:
        return HttpResponse(exports.error_text(errors), status=400, content_type="text/plain; charset=utf-8")
    return download(exports.csv_pieces(filterset.qs, request=request), content_type=CSV_TYPE,
                    filename=exports.filename("csv"))


@require_safe
def export_json(request):
    """The proposals the list page shows for these filters, as one JSON document; 400 for filters it refuses."""
    filterset, errors = _export_filterset(request)
    if errors:
        return JsonResponse({"detail": exports.error_text(errors).strip(), "errors": errors}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    pieces = exports.json_pieces(filterset.qs, request=request, filters=exports.applied_filters(filterset))
    return download(pieces, content_type=JSON_TYPE, filename=exports.filename("json"))
