import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from coproduction.admin_labels import titled
from coproduction.errors import DomainError
from stakeholders.admin import OrganisationScopedAdmin

from . import messaging
from .models import Activity, Delivery, Message, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened and what was sent: looked at, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "verb", "actor", "organisation", "title"]
    list_filter = [titled("verb", pgettext_lazy("admin filter", "event")), "organisation"]
    search_fields = ["verb", "actor__display_name", "title"]
    list_select_related = ["actor", "organisation", "target_type"]


@admin.register(Notification)
class NotificationAdmin(OrganisationScopedAdmin, ReadOnlyAdmin):
    """Who was told what about an organisation's things, how, and when the email left.

    Staff see the notifications about their organisations; superusers see all.
    """

    list_display = ["created_at", "recipient", "verb", "title", "category", "channel", "read_at", "email_status",
                    "email_sent_at"]
    list_filter = [titled("category", pgettext_lazy("admin filter", "topic")),
                   titled("channel", pgettext_lazy("admin filter", "channel")),
                   titled("is_urgent", pgettext_lazy("admin filter", "urgency")), "delivery__status"]
    search_fields = ["recipient__display_name", "activity__title", "activity__verb"]
    list_select_related = ["recipient", "activity", "delivery"]
    date_hierarchy = "created_at"
    fields = ["recipient", "activity", "organisation", "category", "channel", "is_urgent", "created_at", "read_at",
              "delivery"]

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=Activity._meta.get_field("verb").verbose_name)
    def verb(self, obj):
        return obj.activity.verb

    @admin.display(description=Activity._meta.get_field("title").verbose_name)
    def title(self, obj):
        return obj.activity.title

    @admin.display(description=Delivery._meta.get_field("status").verbose_name)
    def email_status(self, obj):
        return obj.delivery.get_status_display() if obj.delivery_id else "–"

    @admin.display(description=Delivery._meta.get_field("sent_at").verbose_name)
    def email_sent_at(self, obj):
        return obj.delivery.sent_at if obj.delivery_id else None


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Every notification email: to whom, which period, when it left. Platform operators only,
    since one digest can span several organisations."""

    list_display = ["created_at", "recipient", "kind", "period", "status", "item_count", "sent_at", "attempts"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__display_name", "recipient__email", "period", "subject"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    exclude = ["claimed_by"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


class ComposeForm(forms.Form):
    audience = forms.ChoiceField(label=_("Send to"))
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text. Web addresses (https://…) become links. Each person gets it the way they chose "
                    "to hear from organisations."),
    )
    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [("", _("Choose a group"))] + messaging.choices(user)


@admin.register(Message)
class MessageAdmin(OrganisationScopedAdmin, ReadOnlyAdmin):
    """Messages to groups: written here in two steps (write, then see whom it reaches and send), and
    listed afterwards as the record of who was told what."""

    list_display = ["created_at", "subject", "audience_label", "reach", "author", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["subject", "body", "audience_label"]
    list_select_related = ["author", "organisation"]
    fields = ["created_at", "organisation", "author", "audience_label", "reach", "subject", "body"]
    readonly_fields = fields

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else []

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        initial = {"key": uuid.uuid4(), "audience": request.GET.get("audience", "")}
        form = ComposeForm(request.POST if posted else None, initial=initial, user=request.user)
        preview = None
        if posted and form.is_valid():
            data = form.cleaned_data
            try:
                if "send" in request.POST:
                    message, sent = messaging.message_send(author=request.user, value=data["audience"],
                                                           subject=data["subject"], body=data["body"], key=data["key"])
                    self.message_user(request, ngettext(
                        "Sent to %(count)d person. Each one hears of it the way they chose.",
                        "Sent to %(count)d people. Each one hears of it the way they chose.", message.reach) % {
                        "count": message.reach} if sent else _("This message was sent already."), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:notifications_message_changelist"))
                if "edit" not in request.POST:
                    audience, obj = messaging.resolve(user=request.user, value=data["audience"])
                    messaging.check_rate(audience.organisation_of(obj))
                    preview = {"reach": messaging.reach(audience, obj),
                               "group": f"{audience.label}: {audience.describe(obj)}"}
            except DomainError as error:
                error.add_to_form(form)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "preview": preview,
            "title": _("See whom it reaches, then send") if preview else _("Write to a group"),
            "changelist_url": reverse("admin:notifications_message_changelist"),
        }
        return TemplateResponse(request, "admin/notifications/message/compose.html", context)
