"""German full-text search of calls for ideas' questions and backgrounds. (see coproduction.search.migration)."""
from django.db import migrations

from coproduction.search.migration import german_vector


class Migration(migrations.Migration):

    dependencies = [
        ('proposals', '0011_implementation_follows_status'),
    ]

    operations = german_vector("call", "proposals_call", "call_search_gin", {'title': 'A', 'description': 'C'})
