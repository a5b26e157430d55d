"""Pictures for proposals, organisations and tasks: checked by their content, stored without metadata.

An upload is judged by what it is, never by its name or the type the browser claims: Pillow must
read it as JPEG, PNG or WebP (never SVG, which can carry scripts), within IMAGES_MAX_UPLOAD_BYTES
and IMAGES_MAX_PIXELS (a small file that unpacks into billions of pixels is refused before it is
decoded), and whole (a truncated file is refused). Its pixels are turned upright by the EXIF
orientation and re-encoded as WebP, so no EXIF, GPS position, camera, comment or colour profile of
the original survives. The renditions (RENDITION_WIDTHS, narrower than the picture) are made once,
here, at upload; pages only name them in ``srcset`` ({% load images %}{% picture … %}).

Decisions: a renditions library (django-imagekit, easy-thumbnails, sorl-thumbnail) would make
thumbnails on first request and keep a cache or table of them, and would still leave the content
checks and the stripping of metadata to us; fixed widths made at upload fit in this module. Files
get random names under ``images/`` in the default storage (the file system in MEDIA_ROOT, or
object storage, see README); each picture is one row (coproduction.models.Picture) that the
features point at, so one place knows its files and deletes them with it.

Everything is checked and encoded in memory while the form is cleaned (``prepare``); only a valid
form reaches a service, which stores the files (``picture_apply``). Files of a removed or replaced
picture are deleted once the transaction that removed it commits.
"""
from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Picture

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT = "image/jpeg,image/png,image/webp"
RENDITION_WIDTHS = (320, 640, 1280)
# The stored picture itself is at most this wide or high: enough for any screen, small to serve.
LONGEST_EDGE = 2560
QUALITY = 82
FOLDER = "images"

# Pillow refuses what it would otherwise decode into a bomb; with warnings made errors below,
# anything above the limit is refused, not only what is twice above it.
Image.MAX_IMAGE_PIXELS = settings.IMAGES_MAX_PIXELS

# Pillow's errors for what is not a (whole) picture of an allowed kind.
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError,
              Image.DecompressionBombError)


@dataclass(frozen=True)
class Encoded:
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class Prepared:
    """A checked upload, re-encoded in memory: the picture and its narrower renditions."""

    picture: Encoded
    renditions: tuple[Encoded, ...]


def _refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def prepare(upload):
    """The upload checked by its content and re-encoded without metadata; ValidationError otherwise."""
    limit = settings.IMAGES_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        _refuse(_("The picture is larger than %(limit)s. Please choose a smaller one."), "too_large",
                limit=filesizeformat(limit))
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        _refuse(_("The picture is larger than %(limit)s. Please choose a smaller one."), "too_large",
                limit=filesizeformat(limit))
    not_a_picture = _("This file is not a picture we can take. Please upload a JPEG, PNG or WebP picture.")
    too_many_pixels = _(
        "This picture has too many pixels (at most %(limit)s million). Please make it smaller first.")
    damaged = _("This picture is incomplete or damaged. Please save it again or choose another one.")
    identified = False
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as probe:
                width, height = probe.size
                identified = True
                if width * height > settings.IMAGES_MAX_PIXELS:
                    raise Image.DecompressionBombError
                probe.verify()
            # verify() leaves the image unusable: decode it again, in full, to find a truncated file.
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(too_many_pixels, "too_many_pixels", limit=f"{settings.IMAGES_MAX_PIXELS / 1_000_000:g}")
        except UNREADABLE:
            if identified:
                _refuse(damaged, "damaged")
            _refuse(not_a_picture, "not_a_picture")
        try:
            return Prepared(*_encode(upright))
        except UNREADABLE:  # a mode or a size Pillow reads but cannot convert
            _refuse(not_a_picture, "not_a_picture")


def _bare(image):
    """The pixels alone, in RGB or RGBA: a new image that carries no metadata of the original."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _webp(image):
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=QUALITY, method=4)
    return Encoded(image.width, image.height, out.getvalue())


def _encode(image):
    image = _bare(image)
    image.thumbnail((LONGEST_EDGE, LONGEST_EDGE), Image.Resampling.LANCZOS)
    renditions = []
    for width in RENDITION_WIDTHS:
        if width < image.width:
            height = max(1, round(image.height * width / image.width))
            renditions.append(_webp(image.resize((width, height), Image.Resampling.LANCZOS)))
    return _webp(image), tuple(renditions)


# Storing and deleting: the services the features call.

@dataclass(frozen=True)
class PictureInput:
    """What a form says about one picture: a new upload (or None), its description, or its removal."""

    prepared: Prepared | None = None
    alt: str = ""
    remove: bool = False


def _store(prepared, alt, uploaded_by):
    stem = secrets.token_hex(16)
    saved = []
    try:
        renditions = []
        for encoded in prepared.renditions:
            name = default_storage.save(f"{FOLDER}/{stem[:2]}/{stem}-{encoded.width}.webp", ContentFile(encoded.data))
            saved.append(name)
            renditions.append([encoded.width, encoded.height, name])
        main = prepared.picture
        name = default_storage.save(f"{FOLDER}/{stem[:2]}/{stem}.webp", ContentFile(main.data))
        saved.append(name)
        renditions.append([main.width, main.height, name])
        return Picture.objects.create(file=name, width=main.width, height=main.height, renditions=renditions,
                                      alt=alt, uploaded_by=uploaded_by)
    except BaseException:
        _delete_files(saved)
        raise


def _delete_files(names):
    for name in names:
        default_storage.delete(name)


def picture_discard(picture):
    """Deletes the picture; its files go once the transaction commits (a rollback keeps them)."""
    if picture is None:
        return
    names = picture.names
    picture.delete()
    transaction.on_commit(lambda: _delete_files(names))


def pictures_discard(pictures):
    """Deletes these pictures (a QuerySet) and, after the commit, their files."""
    names = [name for picture in pictures for name in picture.names]
    pictures.delete()
    transaction.on_commit(lambda: _delete_files(names))


def pictures_unused(*, uploaded_before):
    """Pictures that nothing points at any more (their proposal, organisation or task was deleted),
    uploaded before ``uploaded_before``; every foreign key to Picture counts, whichever app declares it."""
    unused = Picture.objects.filter(created_at__lt=uploaded_before)
    for relation in Picture._meta.get_fields(include_hidden=True):
        if relation.is_relation and relation.auto_created and not relation.concrete:
            pointing = relation.related_model._base_manager.filter(**{f"{relation.field.name}__isnull": False})
            unused = unused.exclude(pk__in=pointing.values(relation.field.name))
    return unused


@transaction.atomic
def pictures_sweep(*, now=None, batch=500):
    """Deletes, with their files, up to ``batch`` pictures left without their object for a day or more
    (a day, so that a picture being attached right now is never taken); returns how many went."""
    now = now or timezone.now()
    unused = pictures_unused(uploaded_before=now - timedelta(days=1)).order_by("pk")
    ids = list(unused.values_list("pk", flat=True)[:batch])
    pictures_discard(Picture.objects.filter(pk__in=ids))
    return len(ids)


@transaction.atomic
def picture_apply(*, current, change, user):
    """The picture after the change: the new upload (replacing ``current``), ``current`` with its new
    description, or None when removed. Replaced and removed pictures are deleted with their files."""
    if change is None:
        return current
    if change.remove and change.prepared is None:
        picture_discard(current)
        return None
    if change.prepared is not None:
        new = _store(change.prepared, change.alt, user)
        if current is not None:
            picture_discard(current)
        return new
    if current is not None and change.alt and change.alt != current.alt:
        current.alt = change.alt
        current.save(update_fields=["alt"])
    return current


# Forms: one upload field that prepares the picture, and a mixin that adds its companions.

class PictureField(forms.FileField):
    """A file field whose cleaned value is a ``Prepared`` picture, checked by its content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget = forms.FileInput(attrs={"accept": ACCEPT})

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return prepare(upload)


def picture_help():
    return _("JPEG, PNG or WebP, at most %(limit)s. We remove the location and camera data.") % {
        "limit": filesizeformat(settings.IMAGES_MAX_UPLOAD_BYTES)}


def _alt_field(current=None):
    return forms.CharField(
        label=_("Description of the picture"), max_length=300, required=False,
        initial=current.alt if current else "",
        help_text=_("What the picture shows, in one sentence, for people who cannot see it. "
                    "Needed with every picture."),
    )


def _remove_field():
    return forms.BooleanField(label=_("Remove the picture"), required=False)


def _current_and_help(current):
    if current is None:
        return picture_help()
    return format_html('{} <a href="{}">{}</a>. {}', _("Now:"), current.url, current.alt, picture_help())


def _clean_pictures(form, cleaned, names, upload_suffix):
    """Replaces each picture's fields in ``cleaned`` by one PictureInput under ``name``; a picture
    (new, or kept) without a description is an error at the description."""
    for name in names:
        upload = f"{name}{upload_suffix}"
        prepared = cleaned.pop(upload, None)
        alt = (cleaned.pop(f"{name}_alt", "") or "").strip()
        remove = bool(cleaned.pop(f"{name}_remove", False))
        if upload in form.errors:
            continue
        kept = form.current_pictures.get(name) is not None and not remove
        if (prepared is not None or kept) and not alt and f"{name}_alt" not in form.errors:
            form.add_error(f"{name}_alt", _("Describe the picture in a few words for people who cannot see it."))
        cleaned[name] = PictureInput(prepared=prepared, alt=alt, remove=remove)
    return cleaned


class PicturesFormMixin:
    """Adds, for each name in ``pictures`` ({name: label}), the fields ``<name>`` (upload),
    ``<name>_alt`` (its description, required whenever there is a picture) and, when the object has a
    picture already, ``<name>_remove``. Cleaned, ``<name>`` is a PictureInput and the companions are gone,
    so the cleaned data goes to a service as it is. Pass the current pictures as ``pictures={name: …}``.
    The <form> needs enctype="multipart/form-data"."""

    pictures = {}

    def __init__(self, *args, pictures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_pictures = dict(pictures or {})
        for name, label in self.pictures.items():
            current = self.current_pictures.get(name)
            self.fields[name] = PictureField(label=label, help_text=_current_and_help(current))
            self.fields[f"{name}_alt"] = _alt_field(current)
            if current is not None:
                self.fields[f"{name}_remove"] = _remove_field()

    def clean(self):
        return _clean_pictures(self, super().clean(), self.pictures, upload_suffix="")

    def full_clean(self):
        super().full_clean()
        _ask_to_choose_again(self, self.pictures)

    def ask_for_pictures_again(self):
        """For a view whose other form failed: this one was valid, but its upload is lost all the same."""
        _ask_to_choose_again(self, self.pictures, failed=True)


class PicturesAdminMixin:
    """For a ModelAdmin whose model points at pictures ({foreign key name: label} in ``pictures``): the
    form gets ``<name>_upload``, ``<name>_alt`` and ``<name>_remove`` instead of the foreign key (list
    them in the fieldsets), checked like the site's forms; the change is stored after the object is saved.
    """

    pictures = {}

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *self.pictures]

    def get_fieldsets(self, request, obj=None):
        """Without "remove" where there is no picture to remove."""
        absent = {f"{name}_remove" for name in self.pictures if obj is None or getattr(obj, name) is None}
        return [(title, {**options, "fields": [f for f in options["fields"] if f not in absent]})
                for title, options in super().get_fieldsets(request, obj)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        attrs = {}
        for name, label in self.pictures.items():
            attrs[f"{name}_upload"] = PictureField(label=label, help_text=picture_help())
            attrs[f"{name}_alt"] = _alt_field()
            attrs[f"{name}_remove"] = _remove_field()
        base = kwargs.pop("form", self.form)
        kwargs["form"] = type(f"Pictures{base.__name__}", (_AdminPicturesForm, base),
                              {**attrs, "picture_names": tuple(self.pictures)})
        return super().get_form(request, obj, change, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if transaction.get_rollback() or obj.pk is None:
            return  # the object itself was refused; nothing of its pictures is stored
        changes = {}
        for name in self.pictures:
            current = getattr(obj, name)
            picture = picture_apply(current=current, change=form.cleaned_data.get(name), user=request.user)
            if picture != current:
                changes[name] = picture
        if changes:
            type(obj)._default_manager.filter(pk=obj.pk).update(**changes)
            for name, picture in changes.items():
                setattr(obj, name, picture)


def _ask_to_choose_again(form, names, failed=False):
    """A browser never fills a file field in again: when the form comes back with errors, a good
    upload has to be chosen once more, and the field says so."""
    if not form.is_bound or not (form._errors or failed):
        return
    for name in names:
        change = form.cleaned_data.get(name)
        if isinstance(change, PictureInput) and change.prepared is not None:
            field = name if name in form.fields else f"{name}_upload"
            errors = form._errors.setdefault(field, form.error_class(renderer=form.renderer))
            again = _("Please choose the picture again: it is kept only once the form is saved.")
            if again not in errors:
                errors.append(again)


class _AdminPicturesForm:
    picture_names = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_pictures = {name: getattr(self.instance, name) for name in self.picture_names}
        for name, current in self.current_pictures.items():
            if current is not None:
                self.fields[f"{name}_alt"].initial = current.alt
                self.fields[f"{name}_upload"].help_text = _current_and_help(current)

    def clean(self):
        return _clean_pictures(self, super().clean(), self.picture_names, upload_suffix="_upload")

    def full_clean(self):
        super().full_clean()
        _ask_to_choose_again(self, self.picture_names)
