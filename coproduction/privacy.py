"""What the core's pictures hold about a person: their part of the data download, and what erasure does.

The contract of stakeholders.privacy and stakeholders.erasure (see coproduction.contracts). A
picture records who uploaded it. Pictures on the person's own proposals are deleted, with their
files, by the proposals' erasure step before this one; what stays belongs to an organisation's
pages and tasks and loses the name of who uploaded it.
"""
from django.conf import settings

from .models import Picture

EXPORTED = {
    "coproduction.Picture.uploaded_by": "pictures_uploaded",
}

ERASURE = {
    "coproduction.Picture.uploaded_by": "unlink: a logo, cover or task picture stays with its organisation; "
                                        "pictures on the person's own proposals are deleted with their files",
}


def _address(url):
    return url if "://" in url else settings.SITE_URL.rstrip("/") + url


def export(user):
    """The pictures the person uploaded: their description, address and size (the files hold no metadata)."""
    return {"pictures_uploaded": [
        {"description": picture.alt, "url": _address(picture.url), "width": picture.width,
         "height": picture.height, "uploaded_at": picture.created_at.isoformat()}
        for picture in Picture.objects.filter(uploaded_by=user).order_by("created_at", "pk")
    ]}
