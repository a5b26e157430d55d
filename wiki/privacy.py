"""What the wiki holds about a person: its part of the data download, and what erasure does with it.

The contract of stakeholders.privacy and stakeholders.erasure (see coproduction.contracts). Erasure
needs no step of its own here: every reference follows its on_delete, as ERASURE says.
"""
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from stakeholders.privacy import plain, plain_row

from .models import Page, Revision, Watch

EXPORTED = {
    "wiki.Page.created_by": "wiki.pages_created",
    "wiki.Page.owner": "wiki.pages_owned",
    "wiki.Revision.author": "wiki.revisions",
    "wiki.Watch.user": "wiki.watches",
}

LEFT_OUT = {
    "wiki.Page.last_edited_by": "the same edits are exported as revisions authored",
}

ERASURE = {
    "wiki.Revision.author": "keep as deleted user: the shared knowledge and its history stay",
    "wiki.Page.created_by": "keep as deleted user: the page stays for everyone who relies on it",
    "wiki.Page.last_edited_by": "keep as deleted user: the same edits stay as revisions",
    "wiki.Page.owner": "unlink: the page stays without an owner until staff give it a new one",
    "wiki.Watch.user": "delete: only the person's wish to hear about changes",
}


def export(user):
    """The pages the person created or looks after, their revisions and what they watch."""
    pages = list(Page.objects.filter(Q(created_by=user) | Q(owner=user)).select_related("space").order_by("created_at"))
    return {"wiki": {
        "pages_created": [{"title": p.title, "space": p.space.name, "created_at": plain(p.created_at)}
                          for p in pages if p.created_by_id == user.pk],
        "pages_owned": [{"title": p.title, "space": p.space.name} for p in pages if p.owner_id == user.pk],
        "revisions": [
            {"page": r.page.title, **plain_row(r, ["number", "summary", "created_at"])}
            for r in Revision.objects.filter(author=user).select_related("page").order_by("created_at")
        ],
        "watches": [
            {"page": w.page.title if w.page_id else None, "space": w.space.name if w.space_id else None,
             "created_at": plain(w.created_at)}
            for w in Watch.objects.filter(user=user).select_related("page", "space").order_by("created_at")
        ],
    }}


def erasure_summary(*, user, now, summary):
    """The wiki edits that stay without the person's name."""
    summary["kept"]["revisions"] = Revision.objects.filter(author=user).count()


def public_contributions(user):
    """Revisions of pages every visitor may read name their author in the page's history."""
    return [Revision.objects.visible_to(AnonymousUser()).filter(author=user)]
