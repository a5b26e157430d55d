"""Volunteering in the open data API: public tasks and their shifts, with free places as numbers only.

A task is public once published (and stays so when cancelled); drafts are staff's. Shifts show
their kept counters — places, places taken, free places, people waiting — and never who signed
up, waits, attended or logged hours, nor anyone's contact data.
"""
import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coproduction.api.filters import YesNoFilter
from coproduction.forms import BoundedDateFilter
from coproduction.api.base import OrganisationRefSerializer, PageLinkField, PublicViewSet
from stakeholders.models import Organisation

from .filters import TaskFilter, TaskFilterForm
from .models import Shift, Skill, Task


def public_tasks():
    """The tasks anyone may see on the site: the twin of the rule volunteering.view_task for a visitor."""
    return Task.objects.visible_to(AnonymousUser())


class PublicTaskFilter(TaskFilter):
    """The filters of /tasks/ that do not depend on who asks, plus the task's status.

    The yes/no facts filter both ways here (``remote=false``: only tasks on site), and a value
    that is neither true nor false is refused rather than read as ticked.
    """

    district = django_filters.CharFilter(label=_("District"), lookup_expr="iexact")
    skill = django_filters.ModelChoiceFilter(label=_("Skill"), queryset=Skill.objects.all(), field_name="skills",
                                             method="with_skill")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[(s.value, s.label) for s in Task.Status if s in Task.PUBLIC_STATUSES])
    remote = YesNoFilter(label=_("Can be done from home"), field_name="is_remote")
    childcare = YesNoFilter(label=_("Childcare offered"), field_name="childcare_offered")
    first_timer = YesNoFilter(label=_("Suitable for first-timers"), field_name="first_timer_friendly")
    # "Fits my weekly availability" asks about the signed-in person; the API knows nobody.
    fits_availability = None

    class Meta(TaskFilter.Meta):
        fields = [name for name in TaskFilter.Meta.fields if name != "fits_availability"] + ["status"]

    def __init__(self, *args, **kwargs):
        # TaskFilter's own set-up offers the published tasks' districts as choices and drops the
        # availability filter for visitors; here the district is plain text and that filter is absent.
        django_filters.FilterSet.__init__(self, *args, **kwargs)


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name"]


class TakingPartSerializer(serializers.Serializer):
    """What makes taking part easy, as the task's page lists it."""

    childcare_offered = serializers.BooleanField()
    expenses_reimbursed = serializers.BooleanField()
    accessible_venue = serializers.BooleanField()
    first_timer_friendly = serializers.BooleanField()
    languages = serializers.CharField(help_text=_("Languages spoken, as the organisation wrote them."))
    effort_note = serializers.CharField(help_text=_("Duration and effort in the organisation's words."))
    is_flexible = serializers.BooleanField(help_text=_("Done any time within each shift's window."))
    estimated_hours = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class TaskSerializer(serializers.ModelSerializer):
    url = PageLinkField()
    description = serializers.CharField(source="purpose", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    skills = SkillSerializer(source="skill_list", many=True, read_only=True)
    taking_part = TakingPartSerializer(source="*", read_only=True)
    next_shift_starts_at = serializers.DateTimeField(source="next_starts_at", read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "title", "description", "kind", "status", "cancel_reason", "organisation", "proposal",
                  "skills", "location", "district", "is_remote", "taking_part", "next_shift_starts_at",
                  "published_at", "url"]


TASK_FIELDS = [
    "id", "title", "purpose", "kind", "status", "cancel_reason", "organisation_id", "proposal_id", "location",
    "district", "is_remote", "childcare_offered", "expenses_reimbursed", "accessible_venue", "first_timer_friendly",
    "languages", "effort_note", "is_flexible", "estimated_hours", "published_at", "created_at",
    "organisation__id", "organisation__slug", "organisation__name",
]


class TaskViewSet(PublicViewSet):
    api_description = _(
        "Volunteering tasks and meetings of organisations, with what makes taking part "
        "easy.\n\nPublished tasks, and cancelled ones with their reason. The filters are those of "
        "/tasks/: `date_from` and `date_to` (YYYY-MM-DD) keep tasks with a shift in that period; "
        "`remote`, `childcare` and `first_timer` (true or false) keep tasks with or without that "
        "fact. Newest first; `next_shift_starts_at` is the start of the next shift that is not "
        "cancelled."
    )

    serializer_class = TaskSerializer
    filterset_class = PublicTaskFilter

    def get_queryset(self):
        skills = Prefetch("skills", queryset=Skill.objects.only("id", "slug", "name"), to_attr="skill_list")
        return (public_tasks().with_next_shift(timezone.now()).select_related("organisation")
                .prefetch_related(skills).only(*TASK_FIELDS).order_by("-created_at", "-pk"))


class ShiftFilter(django_filters.FilterSet):
    task = django_filters.ModelChoiceFilter(label=_("Task"), queryset=public_tasks().only("id"))
    organisation = django_filters.ModelChoiceFilter(label=_("Organisation"), field_name="task__organisation",
                                                    queryset=Organisation.objects.only("id", "name"))
    upcoming = YesNoFilter(
        label=_("Upcoming"), method="by_time",
        help_text=_("true: shifts not cancelled that have not ended; false: shifts that have ended."),
    )
    date_from = BoundedDateFilter(label=_("From"), method="keep")
    date_to = BoundedDateFilter(label=_("Until"), method="keep")

    class Meta:
        model = Shift
        form = TaskFilterForm
        fields = ["task", "organisation", "upcoming", "date_from", "date_to"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        start, end = self.form.cleaned_data.get("date_from"), self.form.cleaned_data.get("date_to")
        return queryset.in_period(start, end) if start or end else queryset

    def keep(self, queryset, name, value):
        return queryset

    def by_time(self, queryset, name, value):
        now = timezone.now()
        return queryset.upcoming(now) if value else queryset.past(now)


@extend_schema_field(OpenApiTypes.URI)
class ShiftLinkField(serializers.Field):
    """The shift on its task's page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, shift):
        path = f"{reverse('volunteering:detail', args=[shift.task_id])}#shift-{shift.pk}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ShiftSerializer(serializers.ModelSerializer):
    places_taken = serializers.SerializerMethodField()
    free_places = serializers.IntegerField(read_only=True)
    is_cancelled = serializers.BooleanField(read_only=True)
    url = ShiftLinkField()

    class Meta:
        model = Shift
        fields = ["id", "task", "starts_at", "ends_at", "capacity", "places_taken", "free_places", "waitlist_count",
                  "signup_closes_at", "is_cancelled", "url"]

    def get_places_taken(self, shift) -> int:
        """Places held by a confirmed sign-up or by an offer to someone waiting."""
        return shift.confirmed_count + shift.offered_count


class ShiftViewSet(PublicViewSet):
    api_description = _(
        "The shifts (dates) of public tasks: when, how many places, how many are free, how many "
        "people wait.\n\nEarliest first. `upcoming=true` keeps shifts not cancelled that have not "
        "ended; `date_from` and `date_to` (YYYY-MM-DD) keep shifts starting in that period. Only "
        "numbers: nobody who signed up, waits or took part is named."
    )

    serializer_class = ShiftSerializer
    filterset_class = ShiftFilter

    def get_queryset(self):
        return (Shift.objects.visible_to(AnonymousUser())
                .only("id", "task_id", "starts_at", "ends_at", "capacity", "confirmed_count", "offered_count",
                      "waitlist_count", "signup_closes_at", "cancelled_at")
                .order_by("starts_at", "pk"))


def register(router):
    router.register("tasks", TaskViewSet, basename="task")
    router.register("shifts", ShiftViewSet, basename="shift")
