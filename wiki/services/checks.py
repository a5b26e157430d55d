"""Checking input and rights before anything is written."""
import re

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from coproduction.permissions import require

from ..models import MAX_TEXT_LENGTH, Page, PageRedirect
from ..rendering import MAX_TITLE_LENGTH
from ..slugs import slug_for
from .errors import WikiError

MAX_SUMMARY_LENGTH = 300
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def require_change(user, permission, obj):
    """Refuses (NotPermitted) unless the rule ``permission`` lets ``user`` change pages here."""
    require(user, permission, obj, _("You may not change pages in this space."))


def clean_title(title):
    """The title with whitespace tidied, and its slug; refuses titles that cannot be a page."""
    title = " ".join((title or "").split())
    if not title:
        raise WikiError(_("Give the page a title."), field="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise WikiError(_("The title is too long: at most %(limit)s characters.") % {"limit": MAX_TITLE_LENGTH},
                        field="title")
    if any(character in title for character in "[]|"):
        raise WikiError(_("A title cannot contain square brackets [ ] or a vertical bar |."), field="title")
    slug = slug_for(title)
    if not slug:
        raise WikiError(_("The title needs at least one letter or digit."), field="title")
    return title, slug


def clean_text(text):
    """Line breaks as \\n, no control characters, no trailing blank lines; refuses empty or huge texts."""
    text = CONTROL_CHARACTERS.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).rstrip()
    if not text:
        raise WikiError(_("Write something on the page before saving."), field="text")
    if len(text) > MAX_TEXT_LENGTH:
        raise WikiError(
            _("The text is too long: at most %(limit)s characters, yours has %(length)s.")
            % {"limit": number_format(MAX_TEXT_LENGTH, force_grouping=True),
               "length": number_format(len(text), force_grouping=True)}, field="text")
    return text


def clean_summary(summary):
    summary = " ".join((summary or "").split())
    if len(summary) > MAX_SUMMARY_LENGTH:
        raise WikiError(_("The summary is too long: at most %(limit)s characters.") % {"limit": MAX_SUMMARY_LENGTH},
                        field="summary")
    return summary


def check_slug_free(space, slug, *, page=None):
    other = Page.objects.filter(space=space, slug=slug).exclude(pk=getattr(page, "pk", None)).first()
    if other is not None:
        raise duplicate(other.title)
    earlier = PageRedirect.objects.filter(space=space, old_slug=slug).select_related("page").first()
    if earlier is not None and earlier.page_id != getattr(page, "pk", None):
        raise WikiError(
            _("“%(slug)s” is an earlier address of the page “%(title)s”, and links to it lead there. "
              "Choose another title.") % {"slug": slug, "title": earlier.page.title}, field="title")


def duplicate(title):
    return WikiError(_("A page called “%(title)s” already exists in this space.") % {"title": title}, field="title")
