"""A wiki page: reading, writing, its history, diffs, reverting, backlinks and watching.

Each view checks a rule, calls at most one service and redirects or renders.
"""
from django.contrib import messages
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduction.errors import DomainError
from coproduction.permissions import allowed

from .. import services
from ..diff import line_diff
from ..editing import editing_open
from ..forms import NewPageForm, PageForm, RevertForm
from ..models import Link, Page, PageTemplate, Revision
from ..slugs import slug_for
from .common import (
    BACKLINKS_SHOWN, PAGES_PER_LIST, REVISIONS_PER_PAGE, page_or_404, paginate, require, space_or_404,
    watching, wiki_view,
)


@wiki_view
def page_new(request, space_slug):
    space = space_or_404(request, space_slug)
    require(request, "wiki.add_page", space)
    templates = PageTemplate.objects.for_space(space)
    chosen = None
    if request.method == "POST":
        form = NewPageForm(request.POST)
        if form.is_valid():
            try:
                page = services.page_create(space=space, author=request.user, title=form.cleaned_data["title"],
                                            text=form.cleaned_data["text"], summary=form.cleaned_data["summary"])
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The page has been created."))
                return redirect(page)
        status = 400
    else:
        title = " ".join(request.GET.get("title", "").split())[:200]
        existing = Page.objects.filter(space=space, slug=slug_for(title)).first() if title else None
        if existing is not None:
            messages.info(request, _("This page exists already."))
            return redirect(existing.get_absolute_url())
        chosen = templates.filter(slug=request.GET.get("template", "")).first()
        form = NewPageForm(initial={"title": title, "text": chosen.text if chosen else ""})
        status = 200
    context = {"space": space, "form": form, "templates": templates, "chosen": chosen,
               "title_query": form["title"].value() or ""}
    return render(request, "wiki/page_new.html", context, status=status)


def _page_queryset(user):
    queryset = Page.objects.select_related("last_edited_by", "owner").defer("search_vector")
    is_watched = watching(user, page=OuterRef("pk"))
    return queryset.annotate(is_watched=is_watched) if is_watched is not None else queryset


@wiki_view
def page_detail(request, space_slug, page_slug):
    page = page_or_404(request, space_slug, page_slug, _page_queryset(request.user))
    old = None
    number = request.GET.get("revision", "")
    if number:
        if not number.isdigit():
            raise Http404
        old = get_object_or_404(Revision.objects.select_related("author"), page=page, number=int(number))
        if old.pk == page.current_revision_id:
            return redirect(page)
        old.rendered = services.render_text(space=page.space, text=old.text)
    backlinks = list(
        Link.objects.filter(target_page=page).select_related("source").only("source_title", "source__slug")
        .order_by("source_title", "pk")[:BACKLINKS_SHOWN + 1]
    )
    context = {
        "page": page, "space": page.space, "old": old,
        "backlinks": backlinks[:BACKLINKS_SHOWN], "more_backlinks": len(backlinks) > BACKLINKS_SHOWN,
        "can": {verb: allowed(request.user, f"wiki.{verb}_page", page) for verb in ("change", "watch")},
    }
    return render(request, "wiki/page_detail.html", context)


@wiki_view
def page_edit(request, space_slug, page_slug):
    page = page_or_404(request, space_slug, page_slug, Page.objects.select_related("current_revision", "last_edited_by"))
    require(request, "wiki.change_page", page)
    current = page.current_revision
    preview = None
    status = 200
    if request.method == "POST":
        form = PageForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = services.render_text(space=page.space, text=data["text"])
            else:
                try:
                    revision = services.page_save_revision(
                        page=page, author=request.user, title=data["title"], text=data["text"],
                        summary=data["summary"], base_number=data["base_revision"],
                    )
                except services.EditConflict as conflict:
                    return _conflict(request, page, conflict)
                except DomainError as error:
                    error.add_to_form(form)
                else:
                    messages.success(request, _("Your changes have been saved."))
                    return redirect(revision.page)
        status = 400 if form.errors else 200
    else:
        form = PageForm(initial={"title": page.title, "text": current.text, "summary": "",
                                 "base_revision": current.number})
    others = editing_open(page=page, user=request.user)
    context = {"page": page, "space": page.space, "form": form, "preview": preview, "others": others,
               "base_number": form["base_revision"].value()}
    return render(request, "wiki/page_edit.html", context, status=status)


def _conflict(request, page, conflict):
    """The merge screen: the merged text (mine wherever both changed) in the form, conflicts side by side."""
    merge = conflict.merge
    form = PageForm(initial={"title": conflict.merged_title, "text": merge.text, "summary": conflict.summary,
                             "base_revision": conflict.current.number})
    context = {
        "page": page, "space": page.space, "form": form, "conflict": conflict, "merge": merge,
        "mine": conflict.text, "others": editing_open(page=page, user=request.user),
    }
    return render(request, "wiki/page_conflict.html", context, status=409)


@wiki_view
def page_history(request, space_slug, page_slug):
    page = page_or_404(request, space_slug, page_slug)
    revisions = Revision.objects.filter(page=page).select_related("author").defer("text").order_by("-number")
    context = {"page": page, "space": page.space, "page_obj": paginate(request, revisions, REVISIONS_PER_PAGE),
               "can_revert": allowed(request.user, "wiki.revert_page", page)}
    return render(request, "wiki/page_history.html", context)


def _number(value):
    return int(value) if value.isdigit() and 0 < len(value) < 10 else None


@wiki_view
def page_diff(request, space_slug, page_slug):
    page = page_or_404(request, space_slug, page_slug, Page.objects.select_related("current_revision"))
    latest = page.current_revision.number
    new = _number(request.GET.get("to", "")) if request.GET.get("to") else latest
    old = _number(request.GET.get("from", "")) if request.GET.get("from") else (new - 1 if new else None)
    if not new or not old or old == new:
        context = {"page": page, "space": page.space,
                   "error": _("Choose two different revisions of this page to compare.")}
        return render(request, "wiki/page_diff.html", context, status=400)
    old, new = sorted((old, new))
    revisions = {r.number: r for r in Revision.objects.filter(page=page, number__in=[old, new]).select_related("author")}
    if len(revisions) != 2:
        raise Http404
    context = {
        "page": page, "space": page.space, "old": revisions[old], "new": revisions[new], "latest": latest,
        "rows": line_diff(revisions[old].text, revisions[new].text),
        "can_revert": allowed(request.user, "wiki.revert_page", page),
    }
    return render(request, "wiki/page_diff.html", context)


@wiki_view
def page_revert(request, space_slug, page_slug, number):
    page = page_or_404(request, space_slug, page_slug, Page.objects.select_related("current_revision"))
    require(request, "wiki.revert_page", page)
    revision = get_object_or_404(Revision.objects.select_related("author"), page=page, number=number)
    current = page.current_revision
    form = RevertForm(request.POST or None, initial={"base_revision": current.number})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.page_revert(page=page, revision=revision, actor=request.user,
                                     base_number=form.cleaned_data["base_revision"],
                                     reason=form.cleaned_data["reason"])
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The text of revision %(number)s is the current version again.")
                                 % {"number": revision.number})
                return redirect(page)
        status = 400
    context = {"page": page, "space": page.space, "revision": revision, "current": current, "form": form,
               "rows": line_diff(current.text, revision.text)}
    return render(request, "wiki/page_revert.html", context, status=status)


@wiki_view
def page_backlinks(request, space_slug, page_slug):
    page = page_or_404(request, space_slug, page_slug)
    links = Link.objects.filter(target_page=page).select_related("source").only(
        "source_title", "source__slug").order_by("source_title", "pk")
    context = {"page": page, "space": page.space, "page_obj": paginate(request, links, PAGES_PER_LIST)}
    return render(request, "wiki/page_backlinks.html", context)


@wiki_view
@require_POST
def page_watch(request, space_slug, page_slug):
    page = page_or_404(request, space_slug, page_slug)
    require(request, "wiki.watch_page", page)
    if request.POST.get("watch") == "1":
        services.page_watch(page=page, user=request.user)
        messages.success(request, _("You now watch this page."))
    else:
        services.page_unwatch(page=page, user=request.user)
        messages.success(request, _("You no longer watch this page."))
    return redirect(page)
