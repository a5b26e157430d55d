"""What the directory offers the site-wide search (coproduction.search): organisations, all public."""
from django.utils.translation import gettext_lazy as _

from coproduction.search import Document, Kind

from .models import Organisation


def visible_organisations(user):
    return Organisation.objects.only("id", "name", "slug", "purpose", "description", "city", "district", "created_at")


def _context(organisation):
    return ", ".join(part for part in [organisation.district, organisation.city] if part)


SEARCH = [
    Document(Organisation, weights={"name": "A", "purpose": "B", "description": "C"}),
    Kind(
        name="organisations", label=_("Organisations"), document=Organisation, rows=visible_organisations, order=60,
        title=lambda organisation: organisation.name, url=lambda organisation: organisation.get_absolute_url(),
        text=lambda organisation: [organisation.purpose, organisation.description], context=_context,
        newest="created_at", browse="stakeholders:organisations",
    ),
]
