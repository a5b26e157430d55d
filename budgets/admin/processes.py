"""Participatory budgets in the back office: their phases, rules and dates."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coproduction.admin_tools import refuse_in_admin
from coproduction.admin_labels import euros, titled
from coproduction.errors import DomainError
from coproduction.formatting import amount
from stakeholders.admin import OrganisationScopedAdmin
from stakeholders.models import Organisation

from .. import services
from ..models import PHASE_HELP, PHASE_ORDER, PHASE_STARTS, Entry, Phase, Process
from .common import DATE_FIELDS, RULES_FIELDS, _reached, next_phase


def _run_by_staff(user):
    """Budgets run by an organisation where ``user`` is staff, as lead or as partner (one row each)."""
    organisations = Organisation.objects.where_staff(user)
    shared = Process.partner_organisations.through.objects.filter(organisation__in=organisations)
    return Q(organisation__in=organisations) | Q(pk__in=shared.values("process_id"))


class ProcessForm(forms.ModelForm):
    """Checks what the database would refuse, so each message sits at its field."""

    class Meta:
        model = Process
        fields = "__all__"

    def _value(self, name):
        if name in self.fields:
            return self.cleaned_data.get(name)
        return getattr(self.instance, name, None)  # read-only here: the stored value

    def clean(self):
        cleaned = super().clean()
        previous = None
        for name in DATE_FIELDS:
            value = self._value(name)
            if value is None:
                previous = None
                continue
            if previous is not None and name in self.fields:
                before_name, before = previous
                label = Process._meta.get_field(before_name).verbose_name
                if name == "results_starts" and value <= before:
                    self.add_error(name, _("Must be later than “%(previous)s”.") % {"previous": label})
                elif value < before:
                    self.add_error(name, _("Cannot be earlier than “%(previous)s”.") % {"previous": label})
            previous = (name, value)
        if "districts" in self.fields or "eligibility" in self.fields:
            districts = self._value("districts") or ""
            if self._value("eligibility") == Process.Eligibility.RESIDENTS and not [
                    part for part in districts.split(",") if part.strip()]:
                self.add_error("districts" if "districts" in self.fields else "eligibility",
                               _("Name the districts whose residents may vote."))
        organisation = self._value("organisation")
        partners = cleaned.get("partner_organisations")
        if organisation is not None and partners is not None and organisation in partners:
            self.add_error("partner_organisations", _("The organisation running it cannot also be its partner."))
        total = cleaned.get("total_amount")
        if self.instance.pk and total is not None:
            largest = (Entry.objects.filter(process=self.instance, feasibility=Entry.Feasibility.FEASIBLE)
                       .aggregate(largest=Max("final_cost"))["largest"])
            if largest is not None and total < largest:
                self.add_error("total_amount", _("A proposal was found feasible at %(cost)s €; the budget cannot be "
                                                 "smaller than that.") % {"cost": amount(largest)})
        return cleaned


@admin.register(Process)
class ProcessAdmin(OrganisationScopedAdmin):
    """Budgets of the organisations where the user is staff, as lead organisation or as partner.

    Staff add budgets for their own organisations; as partners they can be any organisation
    (running a budget together is the point), and only staff of the lead organisation change who
    the partners are. Phases move by date, or by hand with "Move on to the next phase".
    """

    form = ProcessForm
    list_display = ["title", "organisation", "phase", "total_amount_in_euros", "proposal_count", "ballot_count",
                    "funded_total_in_euros", "proposals_link", "voting_starts"]
    list_filter = ["phase", titled("eligibility", pgettext_lazy("admin filter", "eligibility")), "organisation"]
    search_fields = ["title", "slug", "description"]
    list_select_related = ["organisation"]
    fieldsets = [
        (_("What"), {"fields": ["organisation", "partner_organisations", "title", "slug", "description"]}),
        (_("Money and who may vote"), {"fields": ["total_amount", "eligibility", "districts"]}),
        (_("Phases"), {"fields": [*DATE_FIELDS, "phase", "what_people_can_do", "phase_changed_at"]}),
        (_("Counts and results"), {"fields": ["proposal_count", "ballot_count", "funded_total_in_euros",
                                              "results_published_at", "created_by", "created_at"]}),
    ]
    always_readonly = ["phase", "what_people_can_do", "phase_changed_at", "proposal_count", "ballot_count",
                       "funded_total_in_euros", "results_published_at", "created_by", "created_at"]
    actions = ["move_to_next_phase"]
    total_amount_in_euros = euros(Process, "total_amount")
    funded_total_in_euros = euros(Process, "funded_total")
    # Django's two-pane selector fails axe; a plain multi-select passes.
    filter_horizontal = []

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if request.user.is_superuser else queryset.filter(_run_by_staff(request.user))

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [f for f in self.list_filter if f != "organisation"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def _leads(self, request, process):
        return request.user.is_superuser or self.scoped_organisations(request).filter(
            pk=process.organisation_id).exists()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.always_readonly)
        if obj is None:
            return readonly
        if not request.user.is_superuser:
            readonly += ["organisation", "slug"]
        if not self._leads(request, obj):
            readonly.append("partner_organisations")
        if _reached(obj, Phase.VOTING):
            readonly += RULES_FIELDS
        # Phases that have begun keep their dates (moving on by hand sets them to that moment).
        readonly += [PHASE_STARTS[phase] for phase in PHASE_ORDER[1:PHASE_ORDER.index(obj.phase) + 1]]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["title"]} if obj is None else {}

    @admin.display(description=_("what people can do now"))
    def what_people_can_do(self, process):
        return PHASE_HELP[process.phase] if process.pk else "–"

    @admin.display(description=_("proposals"))
    def proposals_link(self, process):
        url = reverse("admin:budgets_entry_changelist")
        return format_html('<a href="{}?process__id__exact={}">{}</a>', url, process.pk, _("Review proposals"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._catch_up(request, form.instance)

    def _catch_up(self, request, process):
        """A budget whose dates say a later phase is moved there at once, not at the next run of the task."""
        due = process.phase_due()
        if PHASE_ORDER.index(due) <= PHASE_ORDER.index(process.phase):
            return
        try:
            services.phase_move(process=process, actor=request.user, to_phase=due)
        except DomainError as error:
            refuse_in_admin(self, request, error, messages.WARNING)
        else:
            self.message_user(request, _("Its dates say it is already in the phase “%(phase)s”; it was moved there.")
                              % {"phase": Phase(due).label}, messages.INFO)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        process = self.get_object(request, unquote(object_id))
        if process is not None and process.phase != PHASE_ORDER[-1]:
            upcoming = next_phase(process.phase)
            extra_context = {**(extra_context or {}), "next_phase": upcoming,
                             "next_phase_label": Phase(upcoming).label}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path("<path:object_id>/next-phase/", self.admin_site.admin_view(self.next_phase_view),
                 name="budgets_process_next_phase"),
            *super().get_urls(),
        ]

    def next_phase_view(self, request, object_id):
        """The button on a budget's page: moves it to the phase named on the page it was pressed on.

        A page left open while someone else moved the budget on names the phase it is in now, so
        pressing it again is refused instead of skipping a phase.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        process = self.get_object(request, unquote(object_id))
        if process is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, process):
            raise PermissionDenied
        self._move(request, process, request.POST.get("to_phase", ""))
        return HttpResponseRedirect(reverse("admin:budgets_process_change", args=[process.pk]))

    def _move(self, request, process, to_phase, prefix=""):
        try:
            moved = services.phase_move(process=process, actor=request.user, to_phase=to_phase)
        except DomainError as error:
            refuse_in_admin(self, request, error, prefix=prefix)
            return False
        self.log_change(request, moved, [{"changed": {"fields": ["phase"]}}])
        self.message_user(request, _("“%(title)s” is now in the phase “%(phase)s”.")
                          % {"title": moved.title, "phase": Phase(moved.phase).label}, messages.SUCCESS)
        return True

    @admin.action(description=_("Move on to the next phase"))
    def move_to_next_phase(self, request, queryset):
        for process in queryset.order_by("pk"):
            self._move(request, process, next_phase(process.phase), prefix=f"{process}: ")
