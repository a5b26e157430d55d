"""The volunteering back office: staff manage tasks with their shifts, rosters and attendance.

Every change goes through volunteering.services; forms here only collect input and show the
services' refusals. Lists and objects are scoped to the organisations where the user is staff.
"""
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.utils.translation import pgettext_lazy

from coproduction.admin_tools import LabelledInlineForm
from coproduction.errors import DomainError
from coproduction.admin_labels import titled
from coproduction.images import PicturesAdminMixin
from stakeholders.start_page import need_filter
from proposals.models import Proposal
from stakeholders.admin import OrganisationScopedAdmin, SharedCatalogueAdmin

from . import services
from .attention import ATTENTION
from .models import BriefingLink, Certificate, Shift, SignUp, Skill, Task
from .models.tasks import LINKABLE_PROPOSAL_STATUSES
from .services.organising import TASK_FIELDS


def _apply_each(modeladmin, request, objects, change, done_message):
    """One service call per object; each is atomic, refusals are reported and skipped."""
    done = 0
    for obj in objects:
        try:
            change(obj)
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.WARNING)
        else:
            done += 1
    modeladmin.message_user(request, done_message(done), messages.SUCCESS if done else messages.INFO)


class ShiftInlineForm(LabelledInlineForm, forms.ModelForm):
    """Checks what the services would refuse, so the message sits at the field."""

    row_label = _("shift %(number)s")

    class Meta:
        model = Shift
        fields = ["starts_at", "ends_at", "capacity"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at, capacity = (cleaned.get(name) for name in ("starts_at", "ends_at", "capacity"))
        shift = self.instance
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The shift must end after it starts."))
        moved = shift.pk is None or {"starts_at", "ends_at"} & set(self.changed_data)
        if moved and starts_at and starts_at <= timezone.now():
            self.add_error("starts_at", _("A shift cannot start in the past."))
        if shift.pk and moved and shift.has_started():
            self.add_error("starts_at", _("This shift has already started; its times can no longer be changed."))
        if shift.pk and capacity is not None and capacity < shift.confirmed_count:
            self.add_error("capacity", _("People with a confirmed place: %(count)d. There cannot be fewer places.")
                           % {"count": shift.confirmed_count})
        return cleaned


class ShiftInline(admin.TabularInline):
    model = Shift
    form = ShiftInlineForm
    fields = ["starts_at", "ends_at", "capacity", "confirmed_count", "offered_count", "waitlist_count",
              "signup_closes_at", "cancelled_at"]
    readonly_fields = ["confirmed_count", "offered_count", "waitlist_count", "signup_closes_at", "cancelled_at"]
    extra = 1
    can_delete = False  # shifts are cancelled (people are told), never deleted
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_cancelled

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_cancelled


class BriefingLinkForm(LabelledInlineForm, forms.ModelForm):
    row_label = _("link %(number)s")

    class Meta:
        model = BriefingLink
        fields = ["title", "url", "position"]


class BriefingLinkInline(admin.TabularInline):
    model = BriefingLink
    form = BriefingLinkForm
    fields = ["title", "url", "position"]
    extra = 1

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True


@admin.register(Task)
class TaskAdmin(PicturesAdminMixin, OrganisationScopedAdmin):
    pictures = {"image": _("Picture")}
    list_display = ["title", "organisation", "kind", "status", "is_public", "proposal", "is_remote", "is_flexible",
                    "created_at"]
    list_filter = ["status", "kind", titled("is_remote", pgettext_lazy("admin filter", "work from home")),
                   titled("is_flexible", pgettext_lazy("admin filter", "flexible hours")),
                   titled("first_timer_friendly", pgettext_lazy("admin filter", "suitability for beginners")), "organisation"]
    search_fields = ["title", "purpose", "location", "district"]
    list_select_related = ["organisation", "proposal"]
    fieldsets = [
        (None, {"fields": ["organisation", "proposal", "kind", "title", "purpose", "skills"]}),
        (_("Picture"), {"fields": ["image_upload", "image_alt", "image_remove"]}),
        (_("Where and when"), {"fields": ["location", "district", "is_remote", "is_flexible", "estimated_hours",
                                          "signup_closes_hours_before"]}),
        (_("What makes taking part easy"), {"fields": ["effort_note", "childcare_offered", "expenses_reimbursed",
                                                       "accessible_venue", "languages", "first_timer_friendly"]}),
        (_("Status"), {"fields": ["status", "published_at", "cancelled_at", "cancel_reason", "created_by"]}),
    ]
    readonly_fields = ["status", "published_at", "cancelled_at", "cancel_reason", "created_by"]
    inlines = [ShiftInline, BriefingLinkInline]
    actions = ["publish", "cancel"]
    # Django's two-pane selector fails axe; a plain multi-select passes.
    filter_horizontal = []

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [f for f in self.list_filter if f != "organisation"]

    @admin.display(description=_("public"), boolean=True, ordering="status")
    def is_public(self, task):
        return task.status == Task.Status.PUBLISHED

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_cancelled:
            # Its facts are frozen; its picture can still be changed or removed.
            return [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]
                    if not name.startswith("image_")]
        return self.readonly_fields

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "proposal":
            proposals = Proposal.objects.filter(status__in=LINKABLE_PROPOSAL_STATUSES)
            if not request.user.is_superuser:
                proposals = proposals.filter(organisation__in=self.scoped_organisations(request))
            kwargs["queryset"] = proposals
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                fields = {name: data[name] for name in form.changed_data if name in TASK_FIELDS}
                skills = data["skills"] if "skills" in form.changed_data else None
                if fields or skills is not None:
                    services.task_update(task=obj, actor=request.user, skills=skills, **fields)
            else:
                fields = {name: data[name] for name in TASK_FIELDS - {"title", "purpose"} if name in data}
                task = services.task_create(organisation=data["organisation"], actor=request.user,
                                            title=data["title"], purpose=data["purpose"],
                                            skills=data.get("skills", []), **fields)
                obj.pk = task.pk
                obj.status, obj.created_by = task.status, task.created_by
        except DomainError as error:
            # The form checked the same rules; this is reached only when the task changed meanwhile.
            transaction.set_rollback(True)
            self.message_user(request, _("Nothing was saved: %(error)s") % {"error": error.message}, messages.ERROR)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["task_is_draft"] = obj is None or obj.status == Task.Status.DRAFT
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        """Shifts first, then “Save and publish” publishes: the service checks the task is ready."""
        super().save_related(request, form, formsets, change)
        task = form.instance
        request._task_published = False
        if "_publish" in request.POST and task.pk and task.status == Task.Status.DRAFT:
            try:
                services.task_publish(task=task, actor=request.user)
            except DomainError as error:
                self.message_user(request, _("Saved as a draft, not published: %(error)s") % {"error": error.message},
                                  messages.WARNING)
            else:
                request._task_published = True
                task.status = Task.Status.PUBLISHED

    def _say_what_it_is(self, request, task):
        if getattr(request, "_task_published", False):
            self.message_user(request, _("“%(title)s” is published: volunteers can now find it and sign up.")
                              % {"title": task.title}, messages.SUCCESS)
        elif task.status == Task.Status.DRAFT:
            self.message_user(request, _("“%(title)s” is saved as a draft and not public yet. Publish it with "
                                         "“Save and publish” when it is ready.") % {"title": task.title},
                              messages.WARNING)

    def response_add(self, request, obj, post_url_continue=None):
        self._say_what_it_is(request, obj)
        if "_publish" in request.POST:
            return self.response_post_save_add(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._say_what_it_is(request, obj)
        if "_publish" in request.POST:
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Shift:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        try:
            for shift in formset.new_objects:
                services.shift_create(task=form.instance, actor=request.user, starts_at=shift.starts_at,
                                      ends_at=shift.ends_at, capacity=shift.capacity)
            for shift, _changed in formset.changed_objects:
                services.shift_update(shift=shift, actor=request.user, starts_at=shift.starts_at,
                                      ends_at=shift.ends_at, capacity=shift.capacity)
        except DomainError as error:
            # Only reachable when someone changed the shift since the form was checked.
            transaction.set_rollback(True)
            self.message_user(request, _("Nothing was saved: %(error)s") % {"error": error.message}, messages.ERROR)
        return None

    @admin.action(description=_("Publish selected tasks"))
    def publish(self, request, queryset):
        _apply_each(self, request, queryset.select_related("organisation"),
                    lambda task: services.task_publish(task=task, actor=request.user),
                    lambda done: ngettext("%d task published.", "%d tasks published.", done) % done)

    @admin.action(description=_("Cancel selected tasks and their shifts"))
    def cancel(self, request, queryset):
        _apply_each(self, request, queryset.select_related("organisation"),
                    lambda task: services.task_cancel(task=task, actor=request.user),
                    lambda done: ngettext("%d task cancelled.", "%d tasks cancelled.", done) % done)


class RosterInline(admin.TabularInline):
    """The roster of a shift with the volunteers' contact data: only this organisation's staff get here."""

    model = SignUp
    fields = ["user", "email", "phone", "status", "waitlist_number", "offer_expires_at", "attended", "hours"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("roster")

    def get_queryset(self, request):
        return super().get_queryset(request).roster()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True

    @admin.display(description=_("email address"))
    def email(self, sign_up):
        return sign_up.user.email if sign_up.user_id else ""

    @admin.display(description=_("phone"))
    def phone(self, sign_up):
        return sign_up.user.phone if sign_up.user_id else ""


@admin.register(Shift)
class ShiftAdmin(OrganisationScopedAdmin):
    organisation_lookup = "task__organisation"
    list_display = ["__str__", "starts_at", "ends_at", "capacity", "confirmed_count", "offered_count",
                    "waitlist_count", "cancelled_at"]
    list_filter = [need_filter(*[n for n in ATTENTION if n.code == "short-shifts"]), "task__status", "starts_at"]
    search_fields = ["task__title"]
    list_select_related = ["task"]
    date_hierarchy = "starts_at"
    fields = ["task", "starts_at", "ends_at", "capacity", "confirmed_count", "offered_count", "waitlist_count",
              "signup_closes_at", "cancelled_at", "cancel_reason"]
    readonly_fields = fields
    inlines = [RosterInline]
    actions = ["cancel"]

    def has_change_permission(self, request, obj=None):
        return False  # times and places are changed on the task's page, through the services

    @admin.action(description=_("Cancel selected shifts"))
    def cancel(self, request, queryset):
        _apply_each(self, request, queryset.select_related("task__organisation"),
                    lambda shift: services.shift_cancel(shift=shift, actor=request.user),
                    lambda done: ngettext("%d shift cancelled.", "%d shifts cancelled.", done) % done)


@admin.register(SignUp)
class SignUpAdmin(OrganisationScopedAdmin):
    organisation_lookup = "shift__task__organisation"
    list_display = ["user", "email", "shift", "status", "waitlist_number", "offer_expires_at", "attended", "hours"]
    list_filter = [need_filter(*[n for n in ATTENTION if n.code == "expiring-offers"]), "status",
                   titled("attended", pgettext_lazy("admin filter", "attendance"))]
    search_fields = ["user__display_name", "user__email", "shift__task__title"]
    list_select_related = ["user", "shift__task"]
    fields = ["shift", "user", "status", "waitlist_number", "offered_at", "offer_expires_at", "confirmed_at",
              "cancelled_at", "attended", "hours", "attendance_marked_at", "attendance_marked_by", "reminded_at",
              "created_at"]
    readonly_fields = fields
    actions = ["mark_attended", "mark_absent"]

    def has_change_permission(self, request, obj=None):
        return False  # every change is a service: the actions here, the rest on the site

    @admin.display(description=_("email address"))
    def email(self, sign_up):
        return sign_up.user.email if sign_up.user_id else ""

    def _mark(self, request, queryset, attended):
        _apply_each(self, request, queryset.select_related("shift__task__organisation", "user"),
                    lambda sign_up: services.attendance_mark(sign_up=sign_up, actor=request.user, attended=attended),
                    lambda done: ngettext("%d sign-up marked.", "%d sign-ups marked.", done) % done)

    @admin.action(description=_("Mark as attended (hours: the shift's length)"))
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, True)

    @admin.action(description=_("Mark as not attended"))
    def mark_absent(self, request, queryset):
        self._mark(request, queryset, False)


@admin.register(Certificate)
class CertificateAdmin(OrganisationScopedAdmin):
    list_display = ["holder_name", "organisation", "period_start", "period_end", "hours", "verification_code",
                    "issued_at"]
    search_fields = ["holder_name", "verification_code"]
    list_select_related = ["organisation"]
    fields = ["holder_name", "organisation", "period_start", "period_end", "hours", "tasks", "verification_code",
              "issued_at"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False  # a certificate is a snapshot; volunteers issue them for themselves


@admin.register(Skill)
class SkillAdmin(SharedCatalogueAdmin):
    """Skills are shared by all organisations: staff may look, platform operators edit."""
