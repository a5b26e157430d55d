"""What stakeholders contribute to pages of the core: the organisations on the home page."""
from coproduction.pages import panel

from .models import Organisation

HOME_ORGANISATIONS = 6


def home_organisations(request, obj, bound):
    return {"organisations": Organisation.objects.with_pictures()[:HOME_ORGANISATIONS]}


panel("home", "organisations", template="stakeholders/_home_organisations.html", context=home_organisations)
