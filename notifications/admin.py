from django.contrib import admin
from django.utils.translation import pgettext_lazy

from coproduction.admin_labels import titled
from stakeholders.admin import OrganisationScopedAdmin

from .models import Activity, Delivery, Notification


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
