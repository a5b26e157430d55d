"""What people do with proposals, in the back office: comments, supports, pledges, status history, reports."""
from django.contrib import admin
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.utils.translation import pgettext_lazy

from coproduction.admin_labels import euros, titled
from coproduction.admin_tools import Decision, DecisionsAdmin, form_page

from .. import services
from ..models import Comment, Pledge, Proposal, Report, StatusChange, Support
from .common import (
    AssistedEntryAdmin, ScopedChildAdmin, _apply_each, _bound_action_form, _excerpt, hide, unhide,
)
from .forms import AssistedCommentForm, AssistedSupportForm, HideForm


def report_decisions(target):
    """Hide or dismiss, on the page of a reported proposal or comment (nothing if no report is open)."""
    reports = list(services.open_reports_on(target))
    if not reports:
        return []
    reasons = "; ".join(f"„{report.reason}“" for report in reports[:3])
    told = ngettext("Reported %(count)d time: %(reasons)s", "Reported %(count)d times: %(reasons)s", len(reports)) % {
        "count": len(reports), "reasons": reasons}

    def hide(request, target, data):
        count = services.content_reports_decide(target=target, moderator=request.user, hide=True,
                                                reason=data["reason"])
        return ngettext("Hidden with your reason; %d report decided.", "Hidden with your reason; %d reports decided.",
                        count) % count

    def dismiss(request, target, data):
        count = services.content_reports_decide(target=target, moderator=request.user, hide=False)
        return ngettext("%d report dismissed; the content stays visible.",
                        "%d reports dismissed; the content stays visible.", count) % count

    return [
        Decision("hide", _("Hide with a public reason"), hide, form_class=HideForm, primary=True, explanation=told),
        Decision("dismiss", _("Dismiss the report"), dismiss,
                 explanation=_("Nothing is wrong with it: it stays visible, and the report is closed.")),
    ]


@admin.register(Comment)
class CommentAdmin(DecisionsAdmin, AssistedEntryAdmin, ScopedChildAdmin):
    list_display = ["excerpt", "proposal", "author", "channel", "entered_by", "is_hidden", "created_at"]
    list_filter = [titled("is_hidden", pgettext_lazy("admin filter", "hiding by moderation")), "channel"]
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

    def decisions(self, request, comment):
        return report_decisions(comment)

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
    list_display = ["proposal", "kind", "hours", "amount_in_euros", "user", "note", "channel", "entered_by", "created_at"]
    list_filter = [titled("kind", pgettext_lazy("admin filter", "kind of pledge")), "channel"]
    search_fields = ["proposal__title", "note", "user__display_name"]
    list_select_related = ["proposal", "user", "entered_by"]
    fields = ["proposal", "user", "kind", "hours", "amount", "note", "channel", "entered_by", "consent_recorded",
              "created_at"]
    amount_in_euros = euros(Pledge, "amount")

    def has_add_permission(self, request):
        return False  # written by the services only (the site, the proposal's answer form)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ScopedChildAdmin):
    list_display = ["proposal", "from_status", "to_status", "actor", "created_at"]
    list_filter = [titled("to_status", pgettext_lazy("admin filter", "new status"))]
    search_fields = ["proposal__title", "response"]
    list_select_related = ["proposal", "actor"]
    fields = ["proposal", "from_status", "to_status", "actor", "response", "created_at"]

    def has_add_permission(self, request):
        return False  # written by the services only (the site, the proposal's answer form)

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
class ReportAdmin(DecisionsAdmin, ScopedChildAdmin):
    """The moderation queue."""

    list_display = ["reported_content", "reason", "reporter", "created_at", "status", "decided_by"]
    list_filter = [ReportStatusFilter]
    search_fields = ["reason", "proposal__title", "comment__text"]
    list_select_related = ["proposal", "comment", "reporter", "decided_by"]
    fields = ["proposal", "comment", "reporter", "reason", "created_at", "status", "decided_by", "decided_at"]
    actions = ["hide_content", "dismiss"]

    def has_add_permission(self, request):
        return False  # people report on the site; staff decide here

    @admin.display(description=_("reported content"))
    def reported_content(self, report):
        if report.comment_id:
            return _("Comment: %(text)s") % {"text": _excerpt(report.comment.text)}
        return _("Proposal: %(title)s") % {"title": _excerpt(report.proposal.title)}

    def has_change_permission(self, request, obj=None):
        return False

    def decisions(self, request, report):
        if report.status != Report.Status.OPEN:
            return []
        queue = lambda request, report: reverse("admin:proposals_report_changelist")  # noqa: E731 - the next one

        def hide(request, report, data):
            services.report_decide(report=report, moderator=request.user, hide=True, reason=data["reason"])
            return _("The content is hidden with your reason.")

        def dismiss(request, report, data):
            services.report_decide(report=report, moderator=request.user, hide=False)
            return _("The report is dismissed; the content stays visible.")

        return [
            Decision("hide", _("Hide with a public reason"), hide, form_class=HideForm, primary=True, done_url=queue,
                     explanation=_("Reported content: %(content)s") % {"content": self.reported_content(report)}),
            Decision("dismiss", _("Dismiss the report"), dismiss, done_url=queue,
                     explanation=_("Nothing is wrong with it: it stays visible, and the report is closed.")),
        ]

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
            return form_page(self, request, form, title=_("Hide the reported content"), submit_label=_("Hide"),
                             objects=queryset.select_related("proposal", "comment"), label=self.reported_content)
        self._decide(request, queryset, hide=True, reason=form.cleaned_data["reason"])
        return None

    @admin.action(description=_("Dismiss"))
    def dismiss(self, request, queryset):
        self._decide(request, queryset, hide=False)
