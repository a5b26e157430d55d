"""Bovaird's matrix: who plans a service crossed with who delivers it.

Every proposal and service names one cell. Two corners are not co-production: traditional
professional provision (professionals plan and deliver) and self-organised community provision
(the community plans and delivers on its own).
"""
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Planning(models.TextChoices):
    PROFESSIONALS = "professionals", _("Professionals plan")
    TOGETHER = "together", _("Planned together")
    COMMUNITY = "community", _("Community plans")


class Delivery(models.TextChoices):
    PROFESSIONALS = "professionals", _("Professionals deliver")
    TOGETHER = "together", _("Delivered together")
    COMMUNITY = "community", _("Community delivers")


@dataclass(frozen=True)
class Cell:
    planning: str
    delivery: str
    name: str
    explanation: str
    example: str
    is_coproduction: bool = True


CELLS = [
    Cell(
        Planning.PROFESSIONALS, Delivery.PROFESSIONALS,
        _("Traditional provision"),
        _("Staff decide what is offered and provide it themselves. Users receive the service."),
        _("A counselling service with fixed opening hours, run by its staff."),
        is_coproduction=False,
    ),
    Cell(
        Planning.PROFESSIONALS, Delivery.TOGETHER,
        _("Users help deliver a professional service"),
        _("Staff design the service; users, volunteers or neighbours take part in running it."),
        _("Volunteers accompany residents of a care home on walks."),
    ),
    Cell(
        Planning.PROFESSIONALS, Delivery.COMMUNITY,
        _("Community delivers a professionally planned service"),
        _("Staff plan the service and train people; the community then runs it on its own."),
        _("Trained volunteers offer peer advice following a professional guide."),
    ),
    Cell(
        Planning.TOGETHER, Delivery.PROFESSIONALS,
        _("Professionals deliver a jointly planned service"),
        _("Users and staff decide together what is needed; professionals then carry it out."),
        _("Residents choose projects in a participatory budget; the provider implements them."),
    ),
    Cell(
        Planning.TOGETHER, Delivery.TOGETHER,
        _("Full co-production"),
        _("Users and staff plan the service together and run it together, on equal footing."),
        _("A neighbourhood round table designs a summer programme and runs it jointly."),
    ),
    Cell(
        Planning.TOGETHER, Delivery.COMMUNITY,
        _("Community delivers a jointly planned service"),
        _("Planned together with staff, then run by the community itself."),
        _("A neighbourhood café planned with the centre's staff and run by residents."),
    ),
    Cell(
        Planning.COMMUNITY, Delivery.PROFESSIONALS,
        _("Professionals deliver a community-planned service"),
        _("The community works out what it needs; professionals provide it."),
        _("Parents design a homework club; the youth service staffs it."),
    ),
    Cell(
        Planning.COMMUNITY, Delivery.TOGETHER,
        _("Joint delivery of a community-planned service"),
        _("The community plans; community members and staff deliver it side by side."),
        _("Residents plan a repair café; volunteers and a social worker run it together."),
    ),
    Cell(
        Planning.COMMUNITY, Delivery.COMMUNITY,
        _("Self-organised provision"),
        _("The community plans and provides the service on its own, without professionals."),
        _("A self-help group that neighbours organise by themselves."),
        is_coproduction=False,
    ),
]

CELL_BY_MODE = {(cell.planning, cell.delivery): cell for cell in CELLS}


def cell_for(planning, delivery):
    return CELL_BY_MODE[(planning, delivery)]
