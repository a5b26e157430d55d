"""Implementation records, their updates and evaluations now belong to the proposals app
(proposals 0008 took over their tables); only the migration state changes here."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("budgets", "0003_ballots_and_evaluations_outlive_accounts"),
        ("proposals", "0008_implementation_records"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="Evaluation"),
            migrations.DeleteModel(name="ImplementationUpdate"),
            migrations.DeleteModel(name="Implementation"),
        ]),
    ]
