"""The platform's entry in django.contrib.sites follows the settings.

allauth greets in its emails with the Site's name and builds addresses from its domain, and the
back office's "view on site" uses it too; left alone it says "example.com". After every
``migrate`` (deploying a release, ``make run``, a test database) the entry is set from
``SITE_URL`` and ``SITE_NAME``, so changing either and migrating is all it takes.
"""
from urllib.parse import urlsplit

from django.conf import settings


def site_domain(site_url=None):
    """The host (with port, if any) of ``SITE_URL``: "koproduktion.example", "127.0.0.1:8080"."""
    return urlsplit(site_url or settings.SITE_URL).netloc or "127.0.0.1:8000"


def sync_site(*, apps=None, using="default", **kwargs):
    """Writes SITE_URL's domain and SITE_NAME into the Site of SITE_ID (a post_migrate receiver)."""
    if apps is None:
        from django.apps import apps
    try:
        site_model = apps.get_model("sites", "Site")
    except LookupError:  # migrating backwards, before the sites table exists
        return
    site_model.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": settings.SITE_NAME})
    from django.contrib.sites.models import SITE_CACHE

    SITE_CACHE.clear()  # the historical model sends no signal that would clear it
