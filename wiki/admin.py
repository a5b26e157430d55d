"""The wiki back office: staff see and set up their organisations' spaces; superusers see all.

Page text changes only through the site (every save is a revision); here staff change a page's
owner (through the handover service) and read revisions. The shared space and the templates
offered everywhere (no organisation) are for superusers.
"""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coproduction.admin_labels import titled
from stakeholders.start_page import need_filter
from stakeholders.admin import OrganisationScopedAdmin
from stakeholders.models import Membership, User

from . import services
from .attention import ATTENTION
from .models import Page, PageRedirect, PageTemplate, Revision, Space


class RequireOrganisationForStaff:
    """Staff (not superusers) must pick one of their organisations; only superusers create shared objects."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "organisation" in form.base_fields:
            form.base_fields["organisation"].required = True
        return form


@admin.register(Space)
class SpaceAdmin(RequireOrganisationForStaff, OrganisationScopedAdmin):
    list_display = ["name", "organisation", "visibility", "editors", "page_count", "created_at"]
    list_filter = [titled("visibility", pgettext_lazy("admin filter", "reading rights")),
                   titled("editors", pgettext_lazy("admin filter", "editing rights"))]
    search_fields = ["name", "description", "organisation__name"]
    list_select_related = ["organisation"]
    fields = ["organisation", "name", "slug", "description", "visibility", "editors"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def get_readonly_fields(self, request, obj=None):
        # Addresses stay stable: only superusers move a space to another slug or organisation.
        if obj is not None and not request.user.is_superuser:
            return ["organisation", "slug"]
        return []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and not request.user.is_superuser else self.prepopulated_fields


class RedirectInline(admin.TabularInline):
    model = PageRedirect
    fields = ["old_slug", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("earlier address")
    verbose_name_plural = _("earlier addresses")

    def has_add_permission(self, request, obj=None):
        return False


class PageAdminForm(forms.ModelForm):
    """Offers as owners the people with a role in the page's organisation (staff anywhere, for the shared space)."""

    class Meta:
        model = Page
        fields = ["owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        space = self.instance.space
        people = User.objects.filter(is_active=True, memberships__status=Membership.Status.APPROVED)
        if space.is_shared:
            people = people.filter(memberships__role=Membership.Role.STAFF)
        else:
            people = people.filter(memberships__organisation_id=space.organisation_id)
        self.fields["owner"].queryset = people.distinct().order_by("display_name")

    def clean_owner(self):
        owner = self.cleaned_data["owner"]
        try:
            services.check_owner(self.instance.space, owner)
        except services.WikiError as error:
            raise forms.ValidationError(error.message) from None
        return owner


@admin.register(Page)
class PageAdmin(OrganisationScopedAdmin):
    form = PageAdminForm
    organisation_lookup = "space__organisation"
    list_display = ["title", "space", "owner", "last_edited_at", "last_edited_by"]
    list_filter = [need_filter(*ATTENTION), "space"]
    search_fields = ["title", "slug"]
    list_select_related = ["space", "owner", "last_edited_by"]
    fields = ["space", "title", "slug", "owner", "created_at", "created_by", "last_edited_at", "last_edited_by"]
    readonly_fields = ["space", "title", "slug", "created_at", "created_by", "last_edited_at", "last_edited_by"]
    inlines = [RedirectInline]

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else self.list_filter[:1]

    def has_add_permission(self, request):
        return False  # pages are written on the site, with their first revision

    def delete_model(self, request, obj):
        services.pages_delete(pages=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        services.pages_delete(pages=list(queryset), actor=request.user)

    def save_model(self, request, obj, form, change):
        if "owner" in form.changed_data:
            services.pages_hand_over(space=obj.space, pages=[obj], owner=obj.owner, actor=request.user)


@admin.register(Revision)
class RevisionAdmin(OrganisationScopedAdmin):
    organisation_lookup = "page__space__organisation"
    list_display = ["page", "number", "author", "created_at", "summary"]
    search_fields = ["page__title", "summary", "author__display_name"]
    list_select_related = ["page", "author"]
    fields = ["page", "number", "parent_number", "reverted_to", "title", "summary", "author", "created_at", "text"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False  # revisions are history: never changed


@admin.register(PageTemplate)
class PageTemplateAdmin(RequireOrganisationForStaff, OrganisationScopedAdmin):
    list_display = ["name", "organisation", "position", "description"]
    search_fields = ["name", "description", "text"]
    list_select_related = ["organisation"]
    fields = ["organisation", "name", "slug", "description", "text", "position"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
