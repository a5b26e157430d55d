"""What every app's back office shares: small service-backed form pages, one-click decisions on an
object's own page, and refusals shown as messages."""
from dataclasses import dataclass
from typing import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from .errors import DomainError
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


@dataclass
class Decision:
    """A decision staff take on an object's own page, with one click (and a few fields, if any).

    ``run(request, obj, data)`` calls the service and returns the success message; ``form_class``
    holds the fields the decision asks for (a reason, a response); ``primary`` marks the expected one.
    """

    name: str
    label: str
    run: Callable
    form_class: type | None = None
    primary: bool = False
    explanation: str = ""
    done_url: Callable | None = None  # (request, obj) → where to go afterwards; default: the page again


class DecisionsAdmin:
    """A ModelAdmin mixin: ``decisions(request, obj)`` lists what may be decided on ``obj`` now.

    They are shown above the object's page as small forms that POST to ``<id>/decide/<name>/``; the
    object is looked up through the admin's own (scoped) queryset, so staff of another organisation
    find nothing to decide. A refusal of the service, or a field left empty, comes back as a message.
    """

    def decisions(self, request, obj):
        return []

    def get_urls(self):
        opts = self.model._meta
        decide = path("<path:object_id>/decide/<slug:name>/", self.admin_site.admin_view(self.decide_view),
                      name=f"{opts.app_label}_{opts.model_name}_decide")
        return [decide, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            opts = self.model._meta
            extra_context = {**(extra_context or {}), "decisions": [
                (decision, decision.form_class(auto_id=f"decide-{decision.name}-%s") if decision.form_class else None,
                 reverse(f"admin:{opts.app_label}_{opts.model_name}_decide", args=[obj.pk, decision.name]))
                for decision in self.decisions(request, obj)
            ]}
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, object_id, name):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        decision = next((d for d in self.decisions(request, obj) if d.name == name), None) if obj else None
        if decision is None:
            raise Http404
        opts = self.model._meta
        page = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        form = decision.form_class(request.POST) if decision.form_class else None
        if form is not None and not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    self.message_user(request, f"{label}: {error}" if label else error, messages.ERROR)
            return redirect(page)
        try:
            done = decision.run(request, obj, form.cleaned_data if form is not None else {})
        except DomainError as error:
            refuse_in_admin(self, request, error)
            return redirect(page)
        self.message_user(request, done, messages.SUCCESS)
        return redirect(decision.done_url(request, obj) if decision.done_url else page)


class LabelledInlineForm:
    """A form mixin for tabular inlines: each input gets a name for screen readers (column and row),
    since a table's column headings are not labels of the inputs below them (axe: label)."""

    row_label = None  # e.g. _("Shift %(number)s")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        index = (self.prefix or "").rsplit("-", 1)[-1]
        row = (self.row_label % {"number": int(index) + 1}) if index.isdigit() and self.row_label else \
            gettext("new row")
        for field in self.fields.values():
            name = f"{field.label}, {row}"
            parts = getattr(field.widget, "widgets", None)
            if parts and len(parts) == 2:
                for part, kind in zip(parts, (gettext("date"), gettext("time"))):
                    part.attrs["aria-label"] = f"{field.label} ({kind}), {row}"
            else:
                field.widget.attrs["aria-label"] = name
