"""German full-text search of organisations' names, purposes and descriptions. (see coproduction.search.migration)."""
from django.db import migrations

from coproduction.search.migration import german_vector


class Migration(migrations.Migration):

    dependencies = [
        ('stakeholders', '0004_user_district'),
    ]

    operations = german_vector("organisation", "stakeholders_organisation", "organisation_search_gin", {'name': 'A', 'purpose': 'B', 'description': 'C'})
