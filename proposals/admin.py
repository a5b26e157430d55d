"""The proposals back office: staff answer, moderate and enter offline participation here.

Every change goes through proposals.services; the admin only collects input and reports the
services' refusals. Lists and objects are scoped to the organisations where the user is staff
(OrganisationScopedAdmin), so forged URLs and action POSTs find nothing outside that scope.
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stakeholders.admin import OrganisationScopedAdmin, SharedCatalogueAdmin
from stakeholders.models import Organisation

from . import services
from .models import Call, Category, Channel, Comment, Pledge, Proposal, Report, StatusChange, Support

FORM_PAGE = "admin/form_page.html"  # shared with budgets.admin
OFFLINE_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.ONLINE]
# The statuses staff may move a proposal to; author moves (publish, withdraw) stay on the site.
STAFF_TARGETS = [
    (value, label) for value, label in Proposal.Status.choices
    if any(moves.get(value) == "staff" for moves in services.TRANSITIONS.values())
]


# Forms -------------------------------------------------------------------------------------

class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=STAFF_TARGETS)
    response = forms.CharField(
        label=_("Public response"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown on the page of every selected proposal as the organisation's official answer."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"), max_length=300,
        help_text=_("Shown publicly in place of the hidden content."),
    )


def _channel_field():
    return forms.ChoiceField(label=_("How the participant took part"), choices=OFFLINE_CHANNELS)


def _consent_field():
    # The service refuses an entry without consent too; here the message sits at the checkbox.
    return forms.BooleanField(
        label=_("The participant agreed that I enter this on their behalf"),
        error_messages={"required": _("Record that the participant agreed before entering this on their behalf.")},
    )


class ProposalIdWidget(ForeignKeyRawIdWidget):
    """Django's id box with a lookup popup, as a select would list every proposal.

    It names the chosen proposal only when it is one of those offered, so typing another
    organisation's id reveals nothing.
    """

    def __init__(self, admin_site, proposals):
        super().__init__(Support._meta.get_field("proposal").remote_field, admin_site)
        self.proposals = proposals

    def label_and_url_for_value(self, value):
        try:
            offered = self.proposals.filter(pk=value).exists()
        except (ValueError, ValidationError):
            offered = False
        return super().label_and_url_for_value(value) if offered else ("", "")


class AssistedForm(forms.Form):
    """Channel and consent: what makes an entry by staff an assisted one, not impersonation."""

    proposal = forms.ModelChoiceField(
        label=_("Proposal"), queryset=Proposal.objects.none(),
        help_text=_("The proposal's number; the magnifier finds it in the list."),
    )
    channel = _channel_field()
    consent_recorded = _consent_field()

    def __init__(self, *args, proposals, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals
        self.fields["proposal"].widget = ProposalIdWidget(admin_site, proposals)


class AssistedSupportForm(AssistedForm):
    pass


class AssistedCommentForm(AssistedForm):
    text = forms.CharField(label=_("Comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))
    field_order = ["proposal", "text", "channel", "consent_recorded"]


class AssistedProposalForm(forms.ModelForm):
    channel = _channel_field()
    consent_recorded = _consent_field()

    class Meta:
        model = Proposal
        fields = ["organisation", "title", "summary", "text", "planning", "delivery", "call", "category",
                  "district", "estimated_cost"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["call"].queryset = Call.objects.open().filter(organisation__in=organisations)


# Shared pages and actions ------------------------------------------------------------------

def _form_page(modeladmin, request, form, title, submit_label, objects=None, label=str):
    """Renders a small form inside the admin: an action's second step or an assisted entry."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": title,
        "form": form,
        "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}, model_admin=modeladmin),
        "submit_label": submit_label,
        "selected": None if objects is None else [(obj.pk, label(obj)) for obj in objects],
        "action": request.POST.get("action", "") if objects is not None else "",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "changelist_url": reverse(f"admin:proposals_{modeladmin.model._meta.model_name}_changelist"),
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, FORM_PAGE, context)


def _bound_action_form(request, form_class):
    """The action's form, bound only when it was sent from its own page (marked "apply")."""
    return form_class(request.POST) if "apply" in request.POST else form_class()


def _apply_each(modeladmin, request, objects, change, done_message, label=str):
    """Applies one service call per object; each is atomic, refusals are reported and skipped."""
    done = 0
    for obj in objects:
        try:
            change(obj)
        except services.ProposalError as error:
            modeladmin.message_user(request, f"{label(obj)}: {error}", messages.WARNING)
        else:
            done += 1
    modeladmin.message_user(request, done_message(done), messages.SUCCESS if done else messages.INFO)


@admin.action(description=_("Hide with a public reason"))
def hide(modeladmin, request, queryset):
    form = _bound_action_form(request, HideForm)
    if not form.is_bound or not form.is_valid():
        return _form_page(modeladmin, request, form, _("Hide content"), _("Hide"), objects=queryset)
    _apply_each(
        modeladmin, request, queryset,
        lambda obj: services.content_set_hidden(
            target=obj, moderator=request.user, hidden=True, reason=form.cleaned_data["reason"]
        ),
        lambda done: ngettext("%d item hidden.", "%d items hidden.", done) % done,
    )
    return None


@admin.action(description=_("Unhide"))
def unhide(modeladmin, request, queryset):
    _apply_each(
        modeladmin, request, queryset,
        lambda obj: services.content_set_hidden(target=obj, moderator=request.user, hidden=False),
        lambda done: ngettext("%d item shown again.", "%d items shown again.", done) % done,
    )


class ScopedChildAdmin(OrganisationScopedAdmin):
    """Objects that belong to a proposal: scoped through the proposal's organisation."""

    organisation_lookup = "proposal__organisation"

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return [*self.list_filter, "proposal__organisation"]
        return self.list_filter

    def scoped_proposals(self, request):
        """The proposals staff may enter a participant's contribution for."""
        proposals = Proposal.objects.published().filter(is_hidden=False)
        if request.user.is_superuser:
            return proposals
        return proposals.filter(organisation__in=self.scoped_organisations(request))


class AssistedEntryAdmin:
    """Replaces the add page: staff enter a participant's offline contribution through a service.

    The participant is never impersonated: the row names no user, but the staff member as
    entered_by, with channel and consent; the service records entered_by as the actor.
    """

    assisted_form_class = None
    assisted_title = None

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.assisted_form_class(
            request.POST if request.method == "POST" else None,
            initial={"proposal": request.GET.get("proposal")},
            proposals=self.scoped_proposals(request), admin_site=self.admin_site,
        )
        if form.is_bound and form.is_valid():
            try:
                obj = self.assisted_create(request, form.cleaned_data)
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                self.log_addition(request, obj, [{"added": {}}])
                self.message_user(request, _("Entered on behalf of the participant."), messages.SUCCESS)
                return HttpResponseRedirect(reverse(f"admin:proposals_{self.model._meta.model_name}_changelist"))
        return _form_page(self, request, form, self.assisted_title, _("Save"))


def _excerpt(text, length=80):
    return Truncator(text).chars(length)


# Proposals ---------------------------------------------------------------------------------

class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "response"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return True  # whoever may see the proposal may see its public history

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(OrganisationScopedAdmin):
    list_display = ["title", "organisation", "status", "planning", "delivery", "support_count", "comment_count",
                    "pledge_count", "is_hidden", "published_at", "channel", "entered_by"]
    list_filter = ["organisation", "status", "planning", "delivery", "category", "is_hidden", "channel"]
    search_fields = ["title", "summary", "text", "district", "author__display_name"]
    list_select_related = ["organisation", "entered_by"]
    fieldsets = [
        (None, {"fields": ["title", "summary", "text", "organisation", "partner_organisations", "call", "category",
                           "district", "estimated_cost", "planning", "delivery"]}),
        (_("Status"), {"fields": ["status", "published_at", "last_activity_at", "is_hidden", "hidden_reason"]}),
        (_("Participation"), {"fields": ["author", "channel", "entered_by", "consent_recorded", "support_count",
                                         "comment_count", "pledge_count"]}),
    ]
    inlines = [StatusChangeInline]
    actions = ["change_status", hide, unhide]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Drafts are private to their author, in the back office too; platform operators see all.
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [f for f in self.list_filter if f != "organisation"]

    def has_change_permission(self, request, obj=None):
        return False  # the author's text is theirs; staff act through the actions only

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        if proposal is not None:  # links to the assisted entry pages, prefilled with this proposal
            extra_context = {
                **(extra_context or {}),
                "assist_support": proposal.status in Proposal.SUPPORTABLE_STATUSES and not proposal.is_hidden,
                "assist_comment": proposal.status != Proposal.Status.DRAFT and not proposal.is_hidden,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """Staff enter a proposal from a participant who took part offline; it is published at once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        organisations = (
            Organisation.objects.all() if request.user.is_superuser else self.scoped_organisations(request)
        )
        form = AssistedProposalForm(request.POST if request.method == "POST" else None, organisations=organisations)
        if form.is_bound and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                proposal = services.proposal_create(author=None, publish=True, entered_by=request.user, **data)
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                self.log_addition(request, proposal, [{"added": {}}])
                self.message_user(request, _("The proposal was entered on behalf of the participant and published."),
                                  messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:proposals_proposal_changelist"))
        return _form_page(self, request, form, _("Enter a proposal on behalf of a participant"), _("Publish"))

    @admin.action(description=_("Change status with a public response"))
    def change_status(self, request, queryset):
        form = _bound_action_form(request, StatusChangeForm)
        if not form.is_bound or not form.is_valid():
            return _form_page(self, request, form, _("Change status with a public response"), _("Change status"),
                              objects=queryset.select_related("organisation"))
        _apply_each(
            self, request, queryset.select_related("organisation"),
            lambda proposal: services.proposal_set_status(
                proposal=proposal, actor=request.user, to_status=form.cleaned_data["to_status"],
                response=form.cleaned_data["response"],
            ),
            lambda done: ngettext("%d proposal changed.", "%d proposals changed.", done) % done,
        )
        return None


@admin.register(Call)
class CallAdmin(OrganisationScopedAdmin):
    list_display = ["title", "organisation", "deadline", "is_open", "created_by", "created_at"]
    list_filter = ["organisation", "deadline"]
    search_fields = ["title", "description"]
    list_select_related = ["organisation", "created_by"]
    fields = ["organisation", "title", "description", "deadline"]

    @admin.display(boolean=True, description=_("open"))
    def is_open(self, call):
        return call.is_open

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["deadline"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Category)
class CategoryAdmin(SharedCatalogueAdmin):
    """Categories are shared by all organisations: staff may look, platform operators edit."""


# What people do with proposals -----------------------------------------------------------

@admin.register(Comment)
class CommentAdmin(AssistedEntryAdmin, ScopedChildAdmin):
    list_display = ["excerpt", "proposal", "author", "channel", "entered_by", "is_hidden", "created_at"]
    list_filter = ["is_hidden", "channel"]
    search_fields = ["text", "proposal__title", "author__display_name"]
    list_select_related = ["proposal", "author", "entered_by"]
    fields = ["proposal", "parent", "author", "text", "created_at", "edited_at", "channel", "entered_by",
              "consent_recorded", "is_hidden", "hidden_reason"]
    actions = [hide, unhide]
    assisted_form_class = AssistedCommentForm
    assisted_title = _("Enter a comment on behalf of a participant")

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return _excerpt(comment.text)

    def has_change_permission(self, request, obj=None):
        return False

    def assisted_create(self, request, data):
        return services.comment_create(
            proposal=data["proposal"], author=None, text=data["text"], entered_by=request.user,
            channel=data["channel"], consent_recorded=data["consent_recorded"],
        )


@admin.register(Support)
class SupportAdmin(AssistedEntryAdmin, ScopedChildAdmin):
    list_display = ["proposal", "user", "channel", "entered_by", "consent_recorded", "created_at"]
    list_filter = ["channel"]
    search_fields = ["proposal__title", "user__display_name"]
    list_select_related = ["proposal", "user", "entered_by"]
    fields = ["proposal", "user", "channel", "entered_by", "consent_recorded", "created_at"]
    assisted_form_class = AssistedSupportForm
    assisted_title = _("Enter a support on behalf of a participant")

    def has_change_permission(self, request, obj=None):
        return False

    def scoped_proposals(self, request):
        return super().scoped_proposals(request).filter(status__in=Proposal.SUPPORTABLE_STATUSES)

    def assisted_create(self, request, data):
        return services.proposal_support(
            proposal=data["proposal"], user=None, entered_by=request.user, channel=data["channel"],
            consent_recorded=data["consent_recorded"],
        )


@admin.register(Pledge)
class PledgeAdmin(ScopedChildAdmin):
    list_display = ["proposal", "kind", "hours", "amount", "user", "note", "channel", "entered_by", "created_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["proposal__title", "note", "user__display_name"]
    list_select_related = ["proposal", "user", "entered_by"]
    fields = ["proposal", "user", "kind", "hours", "amount", "note", "channel", "entered_by", "consent_recorded",
              "created_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ScopedChildAdmin):
    list_display = ["proposal", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]
    search_fields = ["proposal__title", "response"]
    list_select_related = ["proposal", "actor"]
    fields = ["proposal", "from_status", "to_status", "actor", "response", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False


class ReportStatusFilter(admin.SimpleListFilter):
    """The moderation queue opens on the open reports; "All" shows every decision too."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Report.Status.choices, (self.ALL, _("All"))]

    def choices(self, changelist):
        current = self.value() or Report.Status.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if request.method == "POST" and request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) \
                and request.POST.get("select_across") != "1":
            # An action on explicitly chosen reports: keep those decided meanwhile by someone
            # else, so the moderator is told why nothing happened instead of silence.
            return queryset
        value = self.value() or Report.Status.OPEN
        return queryset if value == self.ALL else queryset.filter(status=value)


@admin.register(Report)
class ReportAdmin(ScopedChildAdmin):
    """The moderation queue."""

    list_display = ["reported_content", "reason", "reporter", "created_at", "status", "decided_by"]
    list_filter = [ReportStatusFilter]
    search_fields = ["reason", "proposal__title", "comment__text"]
    list_select_related = ["proposal", "comment", "reporter", "decided_by"]
    fields = ["proposal", "comment", "reporter", "reason", "created_at", "status", "decided_by", "decided_at"]
    actions = ["hide_content", "dismiss"]

    @admin.display(description=_("reported content"))
    def reported_content(self, report):
        if report.comment_id:
            return _("Comment: %(text)s") % {"text": _excerpt(report.comment.text)}
        return _("Proposal: %(title)s") % {"title": _excerpt(report.proposal.title)}

    def has_change_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, hide, reason=""):
        _apply_each(
            self, request, queryset.select_related("proposal__organisation", "comment"),
            lambda report: services.report_decide(report=report, moderator=request.user, hide=hide, reason=reason),
            lambda done: ngettext("%d report decided.", "%d reports decided.", done) % done,
            label=self.reported_content,
        )

    @admin.action(description=_("Hide the reported content"))
    def hide_content(self, request, queryset):
        form = _bound_action_form(request, HideForm)
        if not form.is_bound or not form.is_valid():
            return _form_page(self, request, form, _("Hide the reported content"), _("Hide"),
                              objects=queryset.select_related("proposal", "comment"), label=self.reported_content)
        self._decide(request, queryset, hide=True, reason=form.cleaned_data["reason"])
        return None

    @admin.action(description=_("Dismiss"))
    def dismiss(self, request, queryset):
        self._decide(request, queryset, hide=False)

