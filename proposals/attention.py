"""What waits in the back office about proposals (stakeholders.start_page)."""
from datetime import timedelta

from django.utils.translation import ngettext

from stakeholders.start_page import Need

from .models import Evaluation, Proposal, Report

NEW_EVALUATIONS = timedelta(days=14)

ATTENTION = [
    Need(
        code="reports",
        label=lambda n: ngettext("open report", "open reports", n),
        rows=lambda: Report.objects.filter(status=Report.Status.OPEN),
        organisation="proposal__organisation",
        changelist="admin:proposals_report_changelist",
        filters={"status": Report.Status.OPEN},
        since="created_at",
        order=10,
    ),
    Need(
        code="unanswered",
        label=lambda n: ngettext("proposal waiting for a first answer", "proposals waiting for a first answer", n),
        rows=lambda: Proposal.objects.filter(status=Proposal.Status.PUBLISHED, is_hidden=False),
        organisation="organisation",
        changelist="admin:proposals_proposal_changelist",
        filters={"need": "unanswered"},
        since="published_at",
        examples=3,
        title="title",
        order=30,
    ),
    Need(
        code="evaluations",
        label=lambda n: ngettext("new evaluation (last 14 days)", "new evaluations (last 14 days)", n),
        rows=lambda now: Evaluation.objects.filter(created_at__gte=now - NEW_EVALUATIONS),
        organisation="implementation__proposal__organisation",
        changelist="admin:proposals_evaluation_changelist",
        filters=lambda now: {"created_at__gte": (now - NEW_EVALUATIONS).date().isoformat()},
        order=90,
    ),
]
