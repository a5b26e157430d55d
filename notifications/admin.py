from django.contrib import admin

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Read-only: the log records what happened and is never edited."""

    list_display = ["created_at", "verb", "actor", "organisation", "target_type", "target_id"]
    list_filter = ["verb", "organisation"]
    search_fields = ["verb", "actor__display_name"]
    list_select_related = ["actor", "organisation", "target_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
