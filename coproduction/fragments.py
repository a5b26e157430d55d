"""Parts of a page rendered once and kept for as long as what they show stays the same.

A fragment is keyed by everything its body may read: the values named in its tag, reduced to
their state (a model instance with every field it holds and every relation loaded with it, a form
with its data, initial values and choices, plain values as they are), plus the language, the time
zone and the address prefix the page is rendered for. The body renders in a context holding only
those values and may not query the database, so nothing it shows comes from outside its key: a
support, an edited comment, a hidden proposal or another language is another key, never a stale
page. Nothing needs to be told when something changes, and a page that changes often simply
renders anew.

The fragments are kept per process, the least recently used dropped first
(``settings.FRAGMENTS_KEPT``, 0 to keep none); they are dropped when a setting changes.
"""
import datetime
import decimal
import enum
import threading
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.forms import BaseForm
from django.forms.models import ModelChoiceIteratorValue
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.functional import Promise

DEFAULT_KEPT = 5000
PLAIN = (str, int, float, bool, type(None), decimal.Decimal, datetime.date, datetime.time, datetime.timedelta, uuid.UUID)


class FragmentQueried(RuntimeError):
    """A fragment's body reached the database: what it read would not be part of its key."""


def state(value, _seen=None):
    """A hashable value that changes whenever anything a template could read from ``value`` changes."""
    if isinstance(value, enum.Enum):
        return (type(value), value.value)
    if isinstance(value, PLAIN):
        return value
    if isinstance(value, Promise):
        return str(value)
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return "cycle"  # already being stated further up
    seen.add(id(value))
    try:
        return _composite_state(value, seen)
    finally:
        seen.discard(id(value))


def _composite_state(value, seen):
    if isinstance(value, Model):
        return model_state(value, seen)
    if isinstance(value, BaseForm):
        return form_state(value, seen)
    if isinstance(value, FieldFile):
        return (FieldFile, value.name)
    if isinstance(value, ModelChoiceIteratorValue):
        return state(value.value, seen)
    if isinstance(value, QuerySet):
        return (QuerySet, tuple(state(item, seen) for item in value))
    if isinstance(value, (list, tuple)):
        return tuple(state(item, seen) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), state(item, seen)) for key, item in value.items()))
    raise TypeError(f"A fragment cannot be keyed by a {type(value).__name__}; name its parts instead.")


def model_state(instance, seen):
    """Every value the instance holds (fields, annotations) and the state of each relation loaded with it."""
    fields = tuple(
        (name, state(value, seen)) for name, value in instance.__dict__.items()
        if not name.startswith("_")  # _state and the caches below
    )
    related = tuple((name, state(value, seen)) for name, value in instance._state.fields_cache.items())
    prefetched = tuple(
        (name, tuple(state(item, seen) for item in items))
        for name, items in getattr(instance, "_prefetched_objects_cache", {}).items()
    )
    return (type(instance), fields, related, prefetched)


def form_state(form, seen):
    """The form's data, initial values, errors, how it names its fields, and each field's label, help,
    initial value, widget and choices.

    A field's choices are read once here and handed to its widget, so the body renders them
    without asking the database again.
    """
    fields = []
    for name, field in form.fields.items():
        choices = ()
        if hasattr(field.widget, "choices"):
            field.widget.choices = [choice for choice in field.widget.choices]  # list() would count them first
            choices = tuple((state(value, seen), str(label)) for value, label in field.widget.choices)
        fields.append((
            name, type(field), type(field.widget), str(field.label), str(field.help_text), field.required,
            field.disabled, state(form.get_initial_for_field(field, name), seen), state(field.widget.attrs, seen),
            getattr(field.widget, "input_type", None), choices,
        ))
    data = tuple(sorted((key, tuple(form.data.getlist(key)) if hasattr(form.data, "getlist") else state(form.data[key], seen))
                        for key in form.data)) if form.is_bound else None
    errors = tuple((name, tuple(str(error) for error in errors)) for name, errors in form.errors.items()) if form.is_bound else ()
    # A filter set builds its form's class anew for each request: the class is known by its name and
    # its fields, which are all in the state.
    form_class = tuple(f"{cls.__module__}.{cls.__qualname__}" for cls in type(form).__mro__)
    return (form_class, form.prefix, form.auto_id, form.label_suffix, form.use_required_attribute, data,
            state(form.initial, seen), tuple(fields), errors)


def context_key():
    """What every fragment's output depends on besides its values."""
    return (translation.get_language(), timezone.get_current_timezone_name(), get_script_prefix())


class Fragments:
    """A bounded store of rendered fragments, the least recently used dropped first."""

    def __init__(self):
        self._kept = OrderedDict()
        self._lock = threading.Lock()

    @property
    def size(self):
        return getattr(settings, "FRAGMENTS_KEPT", DEFAULT_KEPT)

    def get(self, key):
        with self._lock:
            html = self._kept.get(key)
            if html is not None:
                self._kept.move_to_end(key)
            return html

    def put(self, key, html):
        size = self.size
        if size <= 0:
            return
        with self._lock:
            self._kept[key] = html
            self._kept.move_to_end(key)
            while len(self._kept) > size:
                self._kept.popitem(last=False)

    def clear(self, **kwargs):
        with self._lock:
            self._kept.clear()

    def __len__(self):
        return len(self._kept)


kept = Fragments()
setting_changed.connect(kept.clear, dispatch_uid="coproduction.fragments.clear")


def _refuse_queries(execute, sql, params, many, context):
    raise FragmentQueried(f"A fragment's body queried the database: {sql[:200]}")


def render(key, render_body):
    """The fragment's HTML for ``key``: kept, or rendered by ``render_body()`` without the database."""
    html = kept.get(key)
    if html is None:
        with connections["default"].execute_wrapper(_refuse_queries):
            html = render_body()
        kept.put(key, html)
    return html
