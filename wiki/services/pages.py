"""Pages and their revisions: create, save (guarded), revert, delete."""
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import activity_record

from ..editing import editing_close
from ..models import Page, PageRedirect, Revision, Space
from ..notify import Verb
from .checks import check_slug_free, clean_summary, clean_text, clean_title, duplicate, require_change
from .errors import EditConflict, WikiError
from .links import index, page_rerender, refresh_linkers, render_into


@transaction.atomic
def page_create(*, space, author, title, text, summary=""):
    """Creates a page with its first revision; the author becomes its owner."""
    require_change(author, "wiki.add_page", space)
    title, slug = clean_title(title)
    text, summary = clean_text(text), clean_summary(summary)
    check_slug_free(space, slug)
    now = timezone.now()
    try:
        with transaction.atomic():
            page = Page.objects.create(space=space, title=title, slug=slug, owner=author, created_by=author,
                                       created_at=now, last_edited_at=now, last_edited_by=author)
    except IntegrityError:
        raise duplicate(title) from None
    revision = Revision.objects.create(page=page, number=1, title=title, text=text, size=len(text),
                                       summary=summary, author=author, created_at=now)
    page.current_revision = revision
    render_into(page, text)
    page.save(update_fields=["current_revision", "html", "toc"])
    index(page, title, text)
    Space.objects.filter(pk=space.pk).update(page_count=F("page_count") + 1)
    refresh_linkers(space, slug, exclude=page)
    activity_record(actor=author, verb=Verb.CREATED, target=page, organisation=space.organisation,
                    revision=1, summary=summary)
    return page


def _lock(page):
    locked = Page.objects.select_for_update().get(pk=page.pk)
    locked.space = page.space
    return locked


def _write_revision(page, *, author, title, slug, text, summary, parent, verb, reverted_to=None):
    """Writes the next revision onto a locked page, renaming it when the title's slug changed."""
    now = timezone.now()
    old_title, old_slug = page.title, page.slug
    if slug != old_slug:
        check_slug_free(page.space, slug, page=page)
        PageRedirect.objects.filter(space=page.space, old_slug=slug).delete()
        PageRedirect.objects.update_or_create(space=page.space, old_slug=old_slug, defaults={"page": page})
    revision = Revision.objects.create(
        page=page, number=parent + 1, parent_number=parent, reverted_to=reverted_to, title=title, text=text,
        size=len(text), summary=summary, author=author, created_at=now,
    )
    page.title, page.slug = title, slug
    page.current_revision, page.last_edited_at, page.last_edited_by = revision, now, author
    render_into(page, text)
    try:
        with transaction.atomic():
            page.save(update_fields=["title", "slug", "current_revision", "last_edited_at", "last_edited_by",
                                     "html", "toc"])
    except IntegrityError:
        raise duplicate(title) from None
    index(page, title, text)
    if slug != old_slug:
        refresh_linkers(page.space, slug, exclude=page)
    editing_close(page=page, user=author)
    data = {"revision": revision.number, "summary": summary}
    if title != old_title:
        data["renamed_from"] = old_title
    if reverted_to is not None:
        data["reverted_to"] = reverted_to
    activity_record(actor=author, verb=verb, target=page, organisation=page.space.organisation, **data)
    return revision


@transaction.atomic
def page_save_revision(*, page, author, text, base_number, summary="", title=None):
    """Saves an edit as a new revision, only if nobody saved since revision ``base_number``.

    Otherwise raises EditConflict (nothing is written) with a three-way merge to offer.
    """
    require_change(author, "wiki.change_page", page)
    title, slug = clean_title(page.title if title is None else title)
    text, summary = clean_text(text), clean_summary(summary)
    locked = _lock(page)
    base = Revision.objects.filter(page=locked, number=base_number).first()
    if base is None:
        raise WikiError(_("The version you started from does not exist. Open the page again and redo your change."))
    if locked.current_revision_id != base.pk:
        current = Revision.objects.select_related("author").get(pk=locked.current_revision_id)
        raise EditConflict(base=base, current=current, title=title, text=text, summary=summary)
    # An unchanged save with a summary confirms the page is still right (a review); without
    # a summary it would only add noise to the history.
    if text == base.text and title == locked.title and not summary.strip():
        raise WikiError(_("Nothing has changed, so there is nothing to save."))
    return _write_revision(locked, author=author, title=title, slug=slug, text=text, summary=summary,
                           parent=base.number, verb=Verb.EDITED)


@transaction.atomic
def page_revert(*, page, revision, actor, base_number, reason=""):
    """Brings back the text of an earlier revision as a new revision (the title stays as it is)."""
    require_change(actor, "wiki.revert_page", page)
    if revision.page_id != page.pk:
        raise WikiError(_("This revision belongs to another page."))
    reason = clean_summary(reason)
    locked = _lock(page)
    current = Revision.objects.only("id", "number", "text").get(pk=locked.current_revision_id)
    if current.number != base_number:
        raise WikiError(_("The page has changed since you opened this. Look at its history again before reverting."))
    if revision.pk == current.pk:
        raise WikiError(_("This revision is already the current version."))
    if revision.text == current.text:
        raise WikiError(_("The current version already has the text of this revision."))
    return _write_revision(locked, author=actor, title=locked.title, slug=locked.slug, text=revision.text,
                           summary=reason, parent=current.number, verb=Verb.REVERTED, reverted_to=revision.number)


@transaction.atomic
def pages_delete(*, pages, actor):
    """Operators delete pages for good; links to them turn red again and the spaces' counts follow."""
    if actor is None or not actor.is_superuser:
        raise WikiError(_("Only platform operators can delete pages."))
    ids = [page.pk for page in pages]
    linkers = list(Page.objects.filter(outgoing_links__target_page__in=ids).exclude(pk__in=ids)
                   .select_related("space", "current_revision").distinct())
    spaces = set(Page.objects.filter(pk__in=ids).values_list("space_id", flat=True))
    Page.objects.filter(pk__in=ids).delete()
    for linker in linkers:
        page_rerender(page=linker)
    for space_id in spaces:
        Space.objects.filter(pk=space_id).update(page_count=Page.objects.filter(space_id=space_id).count())
