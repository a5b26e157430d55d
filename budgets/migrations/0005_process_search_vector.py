"""German full-text search of participatory budgets' titles and descriptions. (see coproduction.search.migration)."""
from django.db import migrations

from coproduction.search.migration import german_vector


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0004_implementation_records_move_to_proposals'),
    ]

    operations = german_vector("process", "budgets_process", "budget_process_search_gin", {'title': 'A', 'description': 'C'})
