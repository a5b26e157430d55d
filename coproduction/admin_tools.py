"""What every app's back office shares: small service-backed form pages, and refusals shown as messages."""
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from .web import safe_next

FORM_PAGE = "admin/form_page.html"


def form_page(modeladmin, request, form, *, title, submit_label, obj=None, facts=None, objects=None, label=str):
    """Renders a small form inside the admin that a service carries out.

    ``objects``: the second step of a bulk action, listing the chosen objects (each shown by
    ``label``); ``obj``: a form about one object, with ``facts`` (label, value) listed above it;
    neither: an entry of its own, such as one made on a participant's behalf.
    """
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "form": form,
        "facts": facts,
        "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}, model_admin=modeladmin),
        "submit_label": submit_label,
        "selected": None if objects is None else [(item.pk, label(item)) for item in objects],
        "action": request.POST.get("action", "") if objects is not None else "",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        "media": modeladmin.media + form.media,
    }
    if obj is not None:
        context["original"] = obj
        context["change_url"] = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return TemplateResponse(request, FORM_PAGE, context)


def refuse_in_admin(modeladmin, request, error, level=messages.ERROR, prefix=""):
    """Shows a service's refusal (a DomainError) as a back-office message."""
    modeladmin.message_user(request, f"{prefix}{error.message}", level)


class PublicHistoryInline(admin.TabularInline):
    """An object's public history (status changes, progress updates), read-only: the services write it.

    Whoever may see the object in the back office sees its history; subclasses name ``model`` and ``fields``.
    """

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def admin_login(request, extra_context=None):
    """The back office's sign-in is the site's: the same form, rate limits and password reset.

    Someone signed in without a staff role is told the back office is not theirs, instead of being
    sent around between the two sign-in pages.
    """
    if request.user.is_authenticated and not request.user.is_staff:
        return render(request, "admin/no_access.html", status=403)
    target = safe_next(request, default=reverse("admin:index"))
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
