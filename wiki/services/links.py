"""Rendering page text, the links between pages, and the search vector."""
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import TextField, Value

from ..models import Link, Page, PageRedirect
from ..rendering import LinkTarget, link_targets, render


def resolve(space, slugs):
    """LinkTarget for each slug naming an existing page of ``space`` (directly or as an earlier address)."""
    if not slugs:
        return {}
    resolved = {
        slug: LinkTarget(slug, pk)
        for slug, pk in Page.objects.filter(space=space, slug__in=slugs).values_list("slug", "pk")
    }
    missing = set(slugs) - set(resolved)
    if missing:
        for old, pk, slug in PageRedirect.objects.filter(space=space, old_slug__in=missing).values_list(
            "old_slug", "page_id", "page__slug"
        ):
            resolved[old] = LinkTarget(slug, pk)
    return resolved


def render_text(*, space, text):
    """The text as the page would show it (sanitised HTML, contents, links); writes nothing."""
    return render(text, space_slug=space.slug, resolved=resolve(space, set(link_targets(text))))


def render_into(page, text):
    """Renders ``text`` onto the page object and replaces its Link rows; the caller saves the page."""
    rendered = render_text(space=page.space, text=text)
    page.html, page.toc = rendered.html, rendered.toc
    Link.objects.filter(source=page).delete()
    Link.objects.bulk_create([
        Link(space_id=page.space_id, source=page, source_title=page.title, target_slug=slug, target_title=title[:200],
             target_page_id=pk)
        for slug, (title, pk) in rendered.links.items()
    ])


def index(page, title, text):
    """The German full-text vector (title weighs more than text); PostgreSQL only."""
    if connection.vendor == "postgresql":
        Page.objects.filter(pk=page.pk).update(
            search_vector=SearchVector(Value(title, output_field=TextField()), weight="A", config="german")
            + SearchVector(Value(text, output_field=TextField()), weight="C", config="german")
        )


def refresh_linkers(space, slug, *, exclude):
    """Re-renders pages whose links to ``slug`` were missing, now that a page answers to it."""
    sources = (
        Page.objects.filter(outgoing_links__space=space, outgoing_links__target_slug=slug,
                            outgoing_links__target_page__isnull=True)
        .exclude(pk=exclude.pk).select_related("space", "current_revision").distinct()
    )
    for source in sources:
        page_rerender(page=source)


def page_rerender(*, page):
    """Renders the current revision again, e.g. after a linked page appeared or the allow-list changed."""
    if page.current_revision_id is None:
        return page
    render_into(page, page.current_revision.text)
    page.save(update_fields=["html", "toc"])
    return page
