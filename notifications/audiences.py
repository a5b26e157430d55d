"""The groups of the core that staff may write to: the members of one role in their organisation."""
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from stakeholders.models import Membership, Organisation

from .messaging import Audience


def _organisations(ids):
    found = Organisation.objects.order_by("name")
    return found if ids is None else found.filter(pk__in=ids)


def _role(role):
    return Audience(
        code=f"role-{role.value}",
        label=lazy(lambda: _("Everyone with the role “%(role)s”") % {"role": role.label}, str)(),
        objects=_organisations,
        organisation_of=lambda organisation: organisation.pk,
        members=lambda organisation: Membership.objects.approved().filter(
            organisation=organisation, role=role.value).values_list("user_id", flat=True),
        describe=lambda organisation: organisation.name,
        order=90,
    )


AUDIENCES = [_role(role) for role in Membership.Role]
