"""The volunteering pages under /tasks/, split by who uses them.

``tasks`` (browsing), ``signups`` and ``offers`` (what a person does with a shift), ``mine`` (my
commitments, my profile, the private calendar feed), ``staff`` (roster, attendance, CSV),
``certificates`` (the PDF and the public check).
"""
from .certificates import certificate_pdf_view, verify_code_view, verify_view
from .mine import (
    calendar_feed_view, calendar_revoke_view, calendar_rotate_view, certificate_request_view, commitments_view,
    profile_view,
)
from ..offer_links import offer_path, offer_token
from .offers import offer_view
from .signups import briefing_read_view, cancel_view, confirm_view, sign_up_view
from .staff import attendance_view, roster_csv_view, roster_view
from .tasks import TaskListView, shift_ics, task_detail

__all__ = [
    "TaskListView", "attendance_view", "briefing_read_view", "calendar_feed_view", "calendar_revoke_view", "calendar_rotate_view",
    "cancel_view", "certificate_pdf_view", "certificate_request_view", "commitments_view", "confirm_view",
    "offer_path", "offer_token", "offer_view", "profile_view", "roster_csv_view", "roster_view", "shift_ics",
    "sign_up_view", "task_detail", "verify_code_view", "verify_view",
]
