"""The districts people can say they live in: those of the organisations and those the apps know
(a participatory budget open only to residents names its districts; see coproduction.pages)."""
from django.utils.translation import gettext_lazy as _

from coproduction.pages import district_names

from .models import Organisation

NOT_SAID = ("", _("Not listed, or I would rather not say"))


def known_districts():
    """Sorted, each name once."""
    named = set(Organisation.objects.exclude(district="").values_list("district", flat=True).distinct())
    return sorted(named | {name.strip() for name in district_names() if name.strip()}, key=str.casefold)


def district_choices(current=""):
    """Choices for a select: "not listed" first, then the known districts (and ``current`` if it is
    no longer one of them, so saving a profile never fails over a renamed district)."""
    names = known_districts()
    if current and current not in names:
        names.append(current)
    return [NOT_SAID, *[(name, name) for name in names]]
