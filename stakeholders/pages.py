"""What stakeholders contribute to pages of the core: the organisations and the number of people taking
part on the home page; in My area the profile, the memberships and, last of all, the person's data
download and the deletion of the account."""
from django.utils.translation import gettext_lazy as _

from coproduction.pages import kept_figure, panel, signed_in

from .models import Membership, Organisation, User

HOME_ORGANISATIONS = 6
# Last in My area, whatever other apps contribute.
LAST = 10_000



def home_organisations(request, obj, bound):
    return {"organisations": Organisation.objects.with_pictures()[:HOME_ORGANISATIONS]}


def people_figure(request, obj, bound):
    """People taking part: active accounts, one count (no counter is kept)."""
    number = kept_figure("people", lambda: User.objects.filter(is_active=True).count())
    return {"number": number, "label": _("people taking part")}


def my_profile(request, obj, bound):
    user = signed_in(request)
    return {"person": user} if user is not None else None


def my_memberships(request, obj, bound):
    user = signed_in(request)
    if user is None:
        return None
    memberships = (Membership.objects.filter(user=user).exclude(status=Membership.Status.LEFT)
                   .select_related("organisation").only(
                       "id", "role", "status", "is_listed", "is_multiplier", "organisation__name", "organisation__slug")
                   .order_by("organisation__name", "pk"))
    return {"memberships": list(memberships), "next": request.path}


def my_account(request, obj, bound):
    return {} if signed_in(request) is not None else None


panel("home", "organisations", template="stakeholders/_home_organisations.html", context=home_organisations,
      order=900)
panel("home-figures", "people", template="coproduction/_stat.html", context=people_figure, order=10)
panel("me", "profile", template="stakeholders/_me_profile.html", context=my_profile, order=10)
panel("me", "memberships", template="stakeholders/_memberships.html", context=my_memberships, order=90)
panel("me", "account", template="stakeholders/_me_account.html", context=my_account, order=LAST)
