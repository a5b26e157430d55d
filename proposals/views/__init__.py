"""The public proposal pages. Each action view checks a rule, calls one service and redirects back."""
from .accountability import evaluation_post, update_post
from .actions import (
    comment_edit_view, comment_permalink_view, comment_report_view, comment_view, follow_view, pledge_view, report_view, status_view,
    support_view, unfollow_view, unsupport_view,
)
from .detail import pledge_totals, proposal_detail, render_detail
from .lists import CallDetailView, CallListView, ProposalListView, export_csv, export_json
from .writing import proposal_create_view, proposal_edit_view


__all__ = [
    "CallDetailView", "CallListView", "ProposalListView", "comment_edit_view", "comment_report_view",
    "comment_view", "evaluation_post", "export_csv", "export_json", "follow_view",
    "pledge_totals", "pledge_view", "proposal_create_view", "proposal_detail", "proposal_edit_view",
    "render_detail", "report_view", "status_view", "support_view", "unfollow_view", "unsupport_view",
    "update_post",
]
