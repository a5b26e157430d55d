"""What the budgets back office shares: the phases staff may move to, and small form pages."""
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse

from ..models import PHASE_ORDER, PHASE_STARTS


FORM_PAGE = "admin/form_page.html"  # shared with proposals.admin
# Editable until voting starts: ballots keep the budget they were opened with, so the money and
# who may vote stay as they were announced from then on.
RULES_FIELDS = ["total_amount", "eligibility", "districts"]
DATE_FIELDS = list(PHASE_STARTS.values())


def next_phase(phase):
    """The phase after ``phase``; the last one stays itself (the service then says why not)."""
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[min(index + 1, len(PHASE_ORDER) - 1)]


def _reached(process, phase):
    return PHASE_ORDER.index(process.phase) >= PHASE_ORDER.index(phase)


def _form_page(modeladmin, request, *, obj, form, title, submit_label, facts):
    """A small service-backed form inside the admin, with what it is about listed above it."""
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": opts,
        "original": obj,
        "title": title,
        "form": form,
        "facts": facts,
        "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}, model_admin=modeladmin),
        "submit_label": submit_label,
        "changelist_url": reverse(f"admin:budgets_{opts.model_name}_changelist"),
        "change_url": reverse(f"admin:budgets_{opts.model_name}_change", args=[obj.pk]),
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, FORM_PAGE, context)
