"""The back office speaks German: every label, column, filter, inline and action of our admin pages.

For every ModelAdmin of the project's apps, the test asks the admin what it shows an operator (the
model's names, the columns, the fields of the add and change forms, the read-only values, the inline
tables, the filters and the actions) and compares each label in English and in German. A label that
reads the same in both languages is untranslated, unless it is one of the few words German shares
with English. Filter titles stand after "Nach", so they must read as a noun phrase in German.
"""
import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.core.exceptions import FieldError
from django.test import RequestFactory
from django.utils import translation
from django.utils.text import capfirst

OUR_APPS = {"coproduction", "stakeholders", "notifications", "proposals", "budgets", "volunteering", "wiki"}
# Words that are the same in German and English; everything else must change with the language.
SAME_IN_BOTH = {"status", "name", "organisation", "text", "version", "phase", "person", "website",
                "logo", "e-mail", "filter", "id"}


def our_admins():
    return sorted(((model, model_admin) for model, model_admin in admin.site._registry.items()
                   if model._meta.app_label in OUR_APPS), key=lambda pair: pair[0]._meta.label)


@pytest.fixture
def operator_request(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return request


def in_both(label):
    """A lazy label read in English and in German."""
    with translation.override("en"):
        english = str(label)
    with translation.override("de"):
        german = str(label)
    return english, german


def field_names(model_admin, request):
    names = []
    for _name, options in model_admin.get_fieldsets(request):
        for entry in options["fields"]:
            names.extend(entry if isinstance(entry, (list, tuple)) else [entry])
    return names


def admin_labels(model, model_admin, request):
    """(where, label) for everything the admin writes about ``model``; labels are lazy."""
    yield "verbose_name", model._meta.verbose_name
    yield "verbose_name_plural", model._meta.verbose_name_plural
    try:
        form_fields = model_admin.get_form(request).base_fields
    except FieldError:  # a list to look at only: every field is shown read-only
        form_fields = {}
    shown = {*model_admin.get_list_display(request), *field_names(model_admin, request),
             *model_admin.get_readonly_fields(request)} - {"__str__", "action_checkbox"}
    for name in sorted(shown, key=str):
        if isinstance(name, str) and name in form_fields:
            yield f"field {name}", form_fields[name].label or capfirst(name.replace("_", " "))
        else:
            yield f"column {name}", label_for_field(name, model, model_admin)
    for action, _function, description in model_admin.get_actions(request).values():
        yield f"action {action}", description
    for inline in model_admin.get_inline_instances(request):
        yield f"inline {inline.model.__name__}", inline.verbose_name
        yield f"inline {inline.model.__name__} (plural)", inline.verbose_name_plural
        inline_form = inline.get_formset(request).form
        for name in field_names(inline, request):
            if name in inline_form.base_fields:
                yield f"inline field {name}", inline_form.base_fields[name].label or name
            else:
                yield f"inline column {name}", label_for_field(name, inline.model, inline)


@pytest.mark.parametrize("model, model_admin", our_admins(), ids=lambda value: getattr(value, "_meta", None)
                         and value._meta.label)
def test_every_admin_label_is_german(operator_request, model, model_admin):
    untranslated = []
    for where, label in admin_labels(model, model_admin, operator_request):
        english, german = in_both(label)
        if english.lower() == german.lower() and english.lower() not in SAME_IN_BOTH:
            untranslated.append(f"{where}: {english!r}")
    assert untranslated == []


def reads_after_nach(title):
    """“Nach <title>” is German when the title starts with a noun, or with an adjective declined after
    “nach” (dative: “neuem Status”, “freier Zeiteinteilung”) before its noun."""
    words = title.split()
    if words[0][0].isupper():
        return True
    return len(words) > 1 and words[0].endswith(("em", "er")) and words[1][0].isupper()


@pytest.mark.parametrize("model, model_admin", our_admins(), ids=lambda value: getattr(value, "_meta", None)
                         and value._meta.label)
def test_every_filter_title_reads_after_nach(operator_request, model, model_admin):
    changelist = model_admin.get_changelist_instance(operator_request)
    wrong = []
    for spec in changelist.filter_specs:
        english, german = in_both(spec.title)
        if english.lower() == german.lower() and english.lower() not in SAME_IN_BOTH:
            wrong.append(f"untranslated: {english!r}")
        elif not reads_after_nach(german):
            wrong.append(f"Nach {german}")
    assert wrong == []


def test_the_check_finds_an_untranslated_label():
    english, german = in_both("claimed by")
    assert english.lower() == german.lower()
    assert not reads_after_nach("wer plant") and reads_after_nach("Planung") and reads_after_nach("neuem Status")
