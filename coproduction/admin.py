from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .admin_labels import titled
from .models import AccessibilityFeedback


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_url", "name", "is_resolved"]
    list_filter = [titled("is_resolved", pgettext_lazy("admin filter", "handling")),
                   titled("created_at", pgettext_lazy("admin filter", "date received"))]
    search_fields = ["message", "page_url", "name", "email"]
    list_editable = ["is_resolved"]
    readonly_fields = ["message", "page_url", "name", "email", "created_at"]
    actions = ["mark_resolved"]

    @admin.action(description=_("Mark as resolved"))
    def mark_resolved(self, request, queryset):
        queryset.update(is_resolved=True)
