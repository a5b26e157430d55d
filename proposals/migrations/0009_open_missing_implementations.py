"""Every accepted, in-delivery or completed proposal has its implementation record.

The services open the record when they accept or fund a proposal; proposals accepted before
they did get theirs here, as the proposal page used to make it on first view.
"""
from django.db import migrations

TRACKED = ["accepted", "in_delivery", "completed"]


def open_missing(apps, schema_editor):
    Proposal = apps.get_model("proposals", "Proposal")
    Implementation = apps.get_model("proposals", "Implementation")
    missing = Proposal.objects.filter(status__in=TRACKED, implementation__isnull=True).values_list("pk", flat=True)
    Implementation.objects.bulk_create([Implementation(proposal_id=pk) for pk in missing.iterator()],
                                       batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0008_implementation_records"),
    ]

    operations = [
        migrations.RunPython(open_missing, migrations.RunPython.noop),
    ]
