"""The back office. Staff of an organisation see and change only their organisations' objects."""
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.utils.translation import pgettext_lazy

from coproduction.admin_tools import Decision, DecisionsAdmin
from coproduction.images import PicturesAdminMixin
from coproduction.admin_labels import titled

from . import erasure, services
from .start_page import with_start_page
from .models import Invitation, Membership, Organisation, User

# The back office opens on what needs attention in the person's organisations.
admin.site.index = with_start_page(admin.site.index)
admin.site.index_title = _("What needs attention")


def may_work_in_back_office(request):
    """Asked by every model of the admin's menu; answered once per request."""
    if not hasattr(request, "_may_work_in_back_office"):
        request._may_work_in_back_office = request.user.has_perm("stakeholders.work_in_back_office")
    return request._may_work_in_back_office


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Scopes lists, objects and organisation choices to where the user holds the staff role.

    Objects outside that scope are missing from the queryset, so editing an URL to reach them
    ends on the admin's "does not exist" page. Superusers see everything.
    """

    organisation_lookup = "organisation"

    def scoped_organisations(self, request):
        return Organisation.objects.where_staff(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.organisation_lookup}__in": self.scoped_organisations(request)})

    def lookup_allowed(self, lookup, value, request=None):
        # The list is scoped already; narrowing it to one organisation (the start page's links) is safe.
        if lookup == f"{self.organisation_lookup}__exact":
            return True
        return super().lookup_allowed(lookup, value, request)

    def has_module_permission(self, request):
        return may_work_in_back_office(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = self.scoped_organisations(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SharedCatalogueAdmin(admin.ModelAdmin):
    """A list shared by all organisations (categories, skills): staff may look, platform operators edit."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def has_module_permission(self, request):
        return may_work_in_back_office(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People are platform-wide; only superusers (or holders of Django's user permissions) see them."""

    ordering = ["email"]
    list_display = ["email", "display_name", "language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", titled("is_active", pgettext_lazy("admin filter", "active account")),
                   "language"]
    search_fields = ["email", "display_name", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "first_name", "last_name", "bio", "phone", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]
    # Django's two-pane selector widget fails axe (an aria-label on a span); plain multi-selects pass.
    filter_horizontal = []

    # Deleting a person here erases the account as the person would on their profile
    # (stakeholders.erasure): counters, freed places and kept contributions stay right. Only
    # platform operators may, and never their own account.
    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or obj.pk != request.user.pk)

    def delete_model(self, request, obj):
        erasure.erase_account(user=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        if queryset.filter(pk=request.user.pk).exists():
            messages.warning(request, _("Your own account was not deleted: another platform operator does that."))
        for person in queryset.exclude(pk=request.user.pk).order_by("pk"):
            erasure.erase_account(user=person, actor=request.user)


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "status", "is_multiplier", "is_listed"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(PicturesAdminMixin, OrganisationScopedAdmin):
    organisation_lookup = "pk"
    pictures = {"logo": _("Logo"), "cover": _("Cover picture")}
    list_display = ["name", "city", "district", "contact_email", "created_at"]
    list_filter = ["city", "district"]
    search_fields = ["name", "purpose", "description", "city", "district"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["slug"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}


@admin.register(Membership)
class MembershipAdmin(DecisionsAdmin, OrganisationScopedAdmin):
    list_display = ["user", "organisation", "role", "status", "is_multiplier", "is_listed", "requested_at", "decided_at"]
    list_filter = ["status", "role", "is_multiplier", "organisation"]
    search_fields = ["user__display_name", "organisation__name", "message"]
    list_select_related = ["user", "organisation"]
    readonly_fields = ["user", "organisation", "role", "status", "is_listed", "message", "requested_at", "decided_at", "decided_by"]
    fields = readonly_fields[:6] + ["is_multiplier"] + readonly_fields[6:]
    actions = ["approve", "decline", "mark_multiplier", "unmark_multiplier"]

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [f for f in self.list_filter if f != "organisation"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:  # superusers adding a membership by hand
            return ["decided_at", "decided_by", "requested_at"]
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "organisation", "role", "status", "is_multiplier", "is_listed", "message"]
        return self.fields

    def decisions(self, request, membership):
        if membership.status != Membership.Status.REQUESTED or \
                not request.user.has_perm("stakeholders.decide_membership", membership):
            return []

        def decide(approve):
            def run(request, membership, data):
                services.membership_decide(membership=membership, decided_by=request.user, approve=approve)
                name = membership.user.display_name
                return (_("%(name)s now holds the role “%(role)s”.") if approve else
                        _("The request of %(name)s was declined.")) % {"name": name, "role": membership.get_role_display()}
            return run

        back = lambda request, membership: reverse("admin:index")  # noqa: E731 - on to the next thing waiting
        return [
            Decision("approve", _("Approve the request"), decide(True), primary=True, done_url=back,
                     explanation=_("The person gets the role at once and is told so.")),
            Decision("decline", _("Decline the request"), decide(False), done_url=back,
                     explanation=_("The person is told that the request was declined.")),
        ]

    def _decide(self, request, queryset, approve):
        done = 0
        for membership in queryset.select_related("organisation"):
            if not request.user.has_perm("stakeholders.decide_membership", membership):
                continue
            try:
                services.membership_decide(membership=membership, decided_by=request.user, approve=approve)
            except services.MembershipError as error:
                self.message_user(request, f"{membership}: {error}", messages.WARNING)
            else:
                done += 1
        return done

    @admin.action(description=_("Approve selected requests"))
    def approve(self, request, queryset):
        done = self._decide(request, queryset, approve=True)
        self.message_user(request, ngettext("%d request approved.", "%d requests approved.", done) % done)

    @admin.action(description=_("Decline selected requests"))
    def decline(self, request, queryset):
        done = self._decide(request, queryset, approve=False)
        self.message_user(request, ngettext("%d request declined.", "%d requests declined.", done) % done)

    def _set_multiplier(self, request, queryset, value):
        done = 0
        for membership in queryset:
            try:
                services.membership_set_multiplier(membership=membership, value=value)
            except services.MembershipError as error:
                self.message_user(request, f"{membership}: {error}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, ngettext("%d membership changed.", "%d memberships changed.", done) % done)

    @admin.action(description=_("Mark as multiplier"))
    def mark_multiplier(self, request, queryset):
        self._set_multiplier(request, queryset, True)

    @admin.action(description=_("Remove multiplier mark"))
    def unmark_multiplier(self, request, queryset):
        self._set_multiplier(request, queryset, False)


@admin.register(Invitation)
class InvitationAdmin(OrganisationScopedAdmin):
    list_display = ["email", "organisation", "role", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    fields = ["organisation", "email", "role"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return obj is None and self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["role"]

    def save_model(self, request, obj, form, change):
        invitation = services.invitation_create(
            organisation=obj.organisation, email=obj.email, role=obj.role, invited_by=request.user
        )
        obj.pk = invitation.pk
