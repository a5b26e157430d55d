"""The participatory-budget back office: staff run their organisations' budgets here.

Every change of state goes through budgets.services (phases, reviews, progress updates); the
admin only collects input and shows the services' refusals, as form errors or admin messages.
Lists and objects are scoped to the organisations where the user is staff: a budget to those
running it (the lead organisation and its partners), its proposals through their budget,
implementations and evaluations through the proposal's organisation. Objects outside that scope
are missing from the querysets, so an edited URL ends on the admin's "does not exist" redirect.

Ballots and picks are deliberately NOT registered: votes are secret. Nobody, staff and platform
operators included, sees in the back office who voted for what; only the counts kept on the
proposals and budgets (and the published results) are shown.
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from stakeholders.admin import OrganisationScopedAdmin
from stakeholders.models import Organisation

from . import services
from .money import amount
from .models import (
    PHASE_HELP, PHASE_ORDER, PHASE_STARTS, Entry, Evaluation, Implementation, ImplementationUpdate, Phase, Process,
)

FORM_PAGE = "admin/form_page.html"  # shared with proposals.admin
# Editable until voting starts: ballots keep the budget they were opened with, so the money and
# who may vote stay as they were announced from then on.
RULES_FIELDS = ["total_amount", "eligibility", "districts"]
DATE_FIELDS = list(PHASE_STARTS.values())


def next_phase(phase):
    """The phase after ``phase``; the last one stays itself (the service then says why not)."""
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[min(index + 1, len(PHASE_ORDER) - 1)]


def _reached(process, phase):
    return PHASE_ORDER.index(process.phase) >= PHASE_ORDER.index(phase)


def _form_page(modeladmin, request, *, obj, form, title, submit_label, facts):
    """A small service-backed form inside the admin, with what it is about listed above it."""
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": opts,
        "original": obj,
        "title": title,
        "form": form,
        "facts": facts,
        "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}, model_admin=modeladmin),
        "submit_label": submit_label,
        "changelist_url": reverse(f"admin:budgets_{opts.model_name}_changelist"),
        "change_url": reverse(f"admin:budgets_{opts.model_name}_change", args=[obj.pk]),
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, FORM_PAGE, context)


# Budgets ---------------------------------------------------------------------------------------

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
    list_display = ["title", "organisation", "phase", "total_amount", "proposal_count", "ballot_count",
                    "funded_total", "proposals_link", "voting_starts"]
    list_filter = ["phase", "eligibility", "organisation"]
    search_fields = ["title", "slug", "description"]
    list_select_related = ["organisation"]
    fieldsets = [
        (_("What"), {"fields": ["organisation", "partner_organisations", "title", "slug", "description"]}),
        (_("Money and who may vote"), {"fields": ["total_amount", "eligibility", "districts"]}),
        (_("Phases"), {"fields": [*DATE_FIELDS, "phase", "what_people_can_do", "phase_changed_at"]}),
        (_("Counts and results"), {"fields": ["proposal_count", "ballot_count", "funded_total",
                                              "results_published_at", "created_by", "created_at"]}),
    ]
    always_readonly = ["phase", "what_people_can_do", "phase_changed_at", "proposal_count", "ballot_count",
                       "funded_total", "results_published_at", "created_by", "created_at"]
    actions = ["move_to_next_phase"]
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
        except services.BudgetError as error:
            self.message_user(request, str(error), messages.WARNING)
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
        except services.BudgetError as error:
            self.message_user(request, f"{prefix}{error}", messages.ERROR)
            return False
        self.log_change(request, moved, [{"changed": {"fields": ["phase"]}}])
        self.message_user(request, _("“%(title)s” is now in the phase “%(phase)s”.")
                          % {"title": moved.title, "phase": Phase(moved.phase).label}, messages.SUCCESS)
        return True

    @admin.action(description=_("Move on to the next phase"))
    def move_to_next_phase(self, request, queryset):
        for process in queryset.order_by("pk"):
            self._move(request, process, next_phase(process.phase), prefix=f"{process}: ")


# Proposals in a budget -------------------------------------------------------------------------

class ReviewForm(forms.Form):
    # A select, not radio buttons: the admin's layout ties its label and error to it (WCAG 1.3.1).
    feasible = forms.TypedChoiceField(
        label=_("Can it be done?"), coerce=lambda value: value == "yes",
        choices=[("", "–"), ("yes", _("Yes, it is feasible")), ("no", _("No, it is not feasible"))],
    )
    final_cost = forms.DecimalField(
        label=_("Final cost (€)"), required=False, max_digits=12, decimal_places=2,
        help_text=_("Required if it is feasible: what it will really cost. People vote with this amount."),
    )
    reason = forms.CharField(
        label=_("Public reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown with the proposal. Required if it is not feasible."),
    )


class ScopedByProcessAdmin(OrganisationScopedAdmin):
    """Objects of a budget: scoped through the budget, so its partners' staff see them too."""

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(process__in=Process.objects.filter(_run_by_staff(request.user)).values("pk"))


@admin.register(Entry)
class EntryAdmin(ScopedByProcessAdmin):
    """The proposals of a budget with their review and votes; staff review them on "Review now"."""

    list_display = ["proposal_title", "process", "feasibility", "estimated_cost", "final_cost", "vote_count",
                    "is_funded", "result_rank", "review_link"]
    list_filter = [("process", admin.RelatedOnlyFieldListFilter), "feasibility", "is_funded"]
    search_fields = ["proposal__title", "proposal__summary"]
    list_select_related = ["process", "proposal"]
    fieldsets = [
        (None, {"fields": ["process", "proposal", "estimated_cost", "created_at"]}),
        (_("Review"), {"fields": ["feasibility", "final_cost", "feasibility_reason", "reviewed_by", "reviewed_at"]}),
        (_("Votes"), {"fields": ["vote_count", "is_funded", "result_rank"]}),
    ]
    readonly_fields = ["process", "proposal", "estimated_cost", "created_at", "feasibility", "final_cost",
                       "feasibility_reason", "reviewed_by", "reviewed_at", "vote_count", "is_funded", "result_rank"]

    def has_add_permission(self, request):
        return False  # people send proposals in on the budget's page

    def has_change_permission(self, request, obj=None):
        return False  # reviewed on the review page, through the service

    @admin.display(description=_("proposal"), ordering="proposal__title")
    def proposal_title(self, entry):
        return Truncator(entry.proposal.title).chars(80)

    @admin.display(description=_("estimated cost (€)"))
    def estimated_cost(self, entry):
        return entry.proposal.estimated_cost

    @admin.display(description=_("review"))
    def review_link(self, entry):
        if entry.process.phase not in (Phase.COLLECTING, Phase.REVIEW):
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("admin:budgets_entry_review", args=[entry.pk]),
                           _("Review now"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, unquote(object_id))
        if entry is not None:
            extra_context = {**(extra_context or {}),
                             "can_review": entry.process.phase in (Phase.COLLECTING, Phase.REVIEW)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path("<path:object_id>/review/", self.admin_site.admin_view(self.review_view), name="budgets_entry_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not request.user.has_perm("budgets.manage_process", entry.process):
            raise PermissionDenied
        initial = {
            "feasible": {Entry.Feasibility.FEASIBLE: "yes", Entry.Feasibility.INFEASIBLE: "no"}.get(entry.feasibility),
            "final_cost": entry.final_cost if entry.final_cost is not None else entry.proposal.estimated_cost,
            "reason": entry.feasibility_reason,
        }
        form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                services.entry_review(entry=entry, actor=request.user, feasible=data["feasible"],
                                      reason=data["reason"], final_cost=data["final_cost"])
            except services.BudgetError as error:
                form.add_error(self._review_error_field(entry, data), str(error))
            else:
                self.log_change(request, entry, [{"changed": {"fields": ["feasibility", "final_cost",
                                                                         "feasibility_reason"]}}])
                self.message_user(request, _("The review of “%(title)s” is saved.") % {"title": entry.proposal.title},
                                  messages.SUCCESS)
                url = reverse("admin:budgets_entry_changelist")
                return HttpResponseRedirect(f"{url}?process__id__exact={entry.process_id}")
        proposal = entry.proposal
        facts = [
            (_("Proposal"), format_html('<a href="{}">{}</a>', proposal.get_absolute_url(), proposal.title)),
            (_("Summary"), proposal.summary),
            (_("Estimated cost (€)"), proposal.estimated_cost if proposal.estimated_cost is not None else "–"),
            (_("Participatory budget"), f"{entry.process} ({entry.process.get_phase_display()})"),
            (_("Total budget (€)"), entry.process.total_amount),
            (_("Review so far"), entry.get_feasibility_display()),
        ]
        return _form_page(self, request, obj=entry, form=form, facts=facts, title=_("Review a proposal"),
                          submit_label=_("Save the review"))

    @staticmethod
    def _review_error_field(entry, data):
        """Which field a refusal of the review is about; None for the rest (phase, permission)."""
        cost, total = data["final_cost"], entry.process.total_amount
        if data["feasible"] and (cost is None or cost <= 0 or cost > total):
            return "final_cost"
        if not data["feasible"] and not (data["reason"] or "").strip():
            return "reason"
        return None


# Accountability --------------------------------------------------------------------------------

class UpdateForm(forms.Form):
    text = forms.CharField(label=_("What happened"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Published on the proposal's page, with today's date."))
    status = forms.ChoiceField(label=_("Status"), choices=Implementation.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100,
                                  help_text=_("A completed implementation is at 100 %."))


class ImplementationUpdateInline(admin.TabularInline):
    model = ImplementationUpdate
    fields = ["created_at", "author", "status", "progress", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return True  # whoever may see the implementation sees its public updates

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Implementation)
class ImplementationAdmin(OrganisationScopedAdmin):
    """What became of accepted and funded proposals; staff post dated public updates on "Post an update"."""

    organisation_lookup = "proposal__organisation"
    list_display = ["proposal", "organisation", "budget", "status", "progress", "updated_at", "update_count",
                    "evaluation_count", "average_rating"]
    list_filter = ["status"]
    search_fields = ["proposal__title"]
    list_select_related = ["proposal__organisation", "proposal__budget_entry__process"]
    fields = ["proposal", "status", "progress", "started_at", "completed_at", "updated_at", "update_count",
              "evaluation_count", "average_rating"]
    readonly_fields = fields
    inlines = [ImplementationUpdateInline]

    def has_add_permission(self, request):
        return False  # made by the services when a proposal is accepted or funded

    def has_change_permission(self, request, obj=None):
        return False  # changed only by posting an update

    def get_list_filter(self, request):
        return [*self.list_filter, "proposal__organisation"] if request.user.is_superuser else self.list_filter

    @admin.display(description=_("organisation"))
    def organisation(self, implementation):
        return implementation.proposal.organisation

    @admin.display(description=_("participatory budget"))
    def budget(self, implementation):
        entry = getattr(implementation.proposal, "budget_entry", None)
        return entry.process if entry is not None else "–"

    @admin.display(description=_("average rating"))
    def average_rating(self, implementation):
        return implementation.average_rating if implementation.average_rating is not None else "–"

    def get_urls(self):
        return [
            path("<path:object_id>/post-update/", self.admin_site.admin_view(self.update_view),
                 name="budgets_implementation_update"),
            *super().get_urls(),
        ]

    def update_view(self, request, object_id):
        implementation = self.get_object(request, unquote(object_id))
        if implementation is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        proposal = implementation.proposal
        if not request.user.has_perm("budgets.post_update", proposal):
            raise PermissionDenied
        form = UpdateForm(request.POST if request.method == "POST" else None,
                          initial={"status": implementation.status, "progress": implementation.progress})
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                services.implementation_update_post(proposal=proposal, actor=request.user, text=data["text"],
                                                    status=data["status"], progress=data["progress"])
            except services.BudgetError as error:
                ended = implementation.status in (Implementation.Status.COMPLETED, Implementation.Status.STOPPED)
                form.add_error("status" if ended and data["status"] != implementation.status else None, str(error))
            else:
                added = {"name": str(ImplementationUpdate._meta.verbose_name),
                         "object": Truncator(data["text"]).chars(40)}
                self.log_change(request, implementation, [{"added": added}])
                self.message_user(request, _("The update is published with the proposal."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:budgets_implementation_change", args=[implementation.pk]))
        facts = [
            (_("Proposal"), format_html('<a href="{}#progress">{}</a>', proposal.get_absolute_url(), proposal.title)),
            (_("Status"), implementation.get_status_display()),
            (_("Progress (%)"), implementation.progress),
        ]
        return _form_page(self, request, obj=implementation, form=form, facts=facts,
                          title=_("Post a progress update"), submit_label=_("Publish the update"))


@admin.register(Evaluation)
class EvaluationAdmin(OrganisationScopedAdmin):
    """What participants and clients said after completion: read-only for the organisation's staff."""

    organisation_lookup = "implementation__proposal__organisation"
    list_display = ["implementation", "rating", "excerpt", "created_at"]
    list_filter = ["rating"]
    search_fields = ["comment", "implementation__proposal__title"]
    list_select_related = ["implementation__proposal"]
    fields = ["implementation", "user", "rating", "comment", "created_at"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"))
    def excerpt(self, evaluation):
        return Truncator(evaluation.comment).chars(80)
