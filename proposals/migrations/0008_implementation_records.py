"""Implementation records, their updates and evaluations become the proposals' own.

The tables and rows stay as they are: the models join the proposals in the migration state on
the existing tables, which are then renamed. The content types follow, so the activity log, the
back office's history and permissions keep pointing at the same records. The budgets app drops
the models from its state afterwards (budgets 0004), touching no table.
"""
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ["implementation", "implementationupdate", "evaluation"]
STATUSES = [("planned", "Planned"), ("in_progress", "In progress"), ("completed", "Completed"),
            ("stopped", "Stopped")]


def _move_content_types(apps, from_label, to_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=to_label, model=model).exists():
            ContentType.objects.filter(app_label=from_label, model=model).update(app_label=to_label)


def content_types_to_proposals(apps, schema_editor):
    _move_content_types(apps, "budgets", "proposals")


def content_types_to_budgets(apps, schema_editor):
    _move_content_types(apps, "proposals", "budgets")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("proposals", "0007_public_cell_index_portable"),
        ("budgets", "0003_ballots_and_evaluations_outlive_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="Implementation",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("status", models.CharField(choices=STATUSES, default="planned", max_length=20,
                                                verbose_name="status")),
                    ("progress", models.PositiveSmallIntegerField(
                        default=0, validators=[django.core.validators.MaxValueValidator(100)],
                        verbose_name="progress (%)")),
                    ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
                    ("completed_at", models.DateTimeField(blank=True, null=True, verbose_name="completed")),
                    ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="last update")),
                    ("update_count", models.PositiveIntegerField(default=0, editable=False)),
                    ("evaluation_count", models.PositiveIntegerField(default=0, editable=False,
                                                                     verbose_name="evaluations")),
                    ("rating_sum", models.PositiveIntegerField(default=0, editable=False)),
                    ("created_at", models.DateTimeField(auto_now_add=True)),
                    ("proposal", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="implementation", to="proposals.proposal",
                                                      verbose_name="proposal")),
                ],
                options={
                    "verbose_name": "implementation",
                    "verbose_name_plural": "implementations",
                    "db_table": "budgets_implementation",
                    "constraints": [
                        models.CheckConstraint(condition=models.Q(("progress__lte", 100)),
                                               name="budget_progress_at_most_100"),
                        models.CheckConstraint(
                            condition=models.Q(("status__in", ["planned", "in_progress", "completed", "stopped"])),
                            name="budget_implementation_status_valid"),
                    ],
                },
            ),
            migrations.CreateModel(
                name="ImplementationUpdate",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("text", models.TextField(max_length=3000,
                                              validators=[django.core.validators.MaxLengthValidator(3000)],
                                              verbose_name="what happened")),
                    ("status", models.CharField(choices=STATUSES, max_length=20, verbose_name="status")),
                    ("progress", models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(100)], verbose_name="progress (%)")),
                    ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="date")),
                    ("author", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="+", to=settings.AUTH_USER_MODEL,
                                                 verbose_name="written by")),
                    ("implementation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                         related_name="updates", to="proposals.implementation")),
                ],
                options={
                    "verbose_name": "progress update",
                    "verbose_name_plural": "progress updates",
                    "ordering": ["-created_at", "-pk"],
                    "db_table": "budgets_implementationupdate",
                    "constraints": [
                        models.CheckConstraint(condition=models.Q(("progress__lte", 100)),
                                               name="budget_update_progress_valid"),
                    ],
                },
            ),
            migrations.CreateModel(
                name="Evaluation",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("rating", models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5)],
                        verbose_name="did it help?")),
                    ("comment", models.TextField(blank=True, max_length=1000,
                                                 validators=[django.core.validators.MaxLengthValidator(1000)],
                                                 verbose_name="comment")),
                    ("created_at", models.DateTimeField(auto_now_add=True)),
                    ("implementation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                         related_name="evaluations", to="proposals.implementation")),
                    ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL,
                                               related_name="evaluations", to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    "verbose_name": "evaluation",
                    "verbose_name_plural": "evaluations",
                    "ordering": ["-created_at", "-pk"],
                    "db_table": "budgets_evaluation",
                    "constraints": [
                        models.UniqueConstraint(fields=("implementation", "user"), name="budget_evaluate_once"),
                        models.CheckConstraint(condition=models.Q(("rating__gte", 1), ("rating__lte", 5)),
                                               name="budget_rating_1_to_5"),
                    ],
                },
            ),
        ]),
        migrations.AlterModelTable(name="implementation", table=None),
        migrations.AlterModelTable(name="implementationupdate", table=None),
        migrations.AlterModelTable(name="evaluation", table=None),
        migrations.RunPython(content_types_to_proposals, content_types_to_budgets),
    ]
