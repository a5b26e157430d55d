"""German full-text search of tasks' titles, purposes and places. (see coproduction.search.migration)."""
from django.db import migrations

from coproduction.search.migration import german_vector


class Migration(migrations.Migration):

    dependencies = [
        ('volunteering', '0005_task_picture'),
    ]

    operations = german_vector("task", "volunteering_task", "task_search_gin", {'title': 'A', 'purpose': 'B', 'location': 'C', 'district': 'C'})
