"""Implementation records agree with their proposal's status.

Proposals that staff moved to "in delivery" or "completed" before the record followed the status
kept a record that said "planned, 0 % done"; they take the step their status stands for here, dated
by the status change that made it.
"""
from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.utils import timezone


def follow_status(apps, schema_editor):
    Implementation = apps.get_model("proposals", "Implementation")
    StatusChange = apps.get_model("proposals", "StatusChange")
    now = timezone.now()
    for proposal_status, step in (("in_delivery", "in_progress"), ("completed", "completed")):
        when = StatusChange.objects.filter(proposal_id=OuterRef("proposal_id"), to_status=proposal_status) \
            .order_by("-created_at").values("created_at")[:1]
        behind = ["planned"] if step == "in_progress" else ["planned", "in_progress", "stopped"]
        rows = Implementation.objects.filter(proposal__status=proposal_status, status__in=behind) \
            .annotate(moved_at=Subquery(when))
        for implementation in rows.iterator():
            moved_at = implementation.moved_at or now
            implementation.status = step
            implementation.started_at = implementation.started_at or moved_at
            fields = ["status", "started_at"]
            if step == "completed":
                implementation.progress, implementation.completed_at = 100, implementation.completed_at or moved_at
                fields += ["progress", "completed_at"]
            implementation.save(update_fields=fields)


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0010_proposal_picture"),
    ]

    operations = [
        migrations.RunPython(follow_status, migrations.RunPython.noop),
    ]
