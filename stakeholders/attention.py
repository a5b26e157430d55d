"""What waits in the back office about memberships (stakeholders.start_page)."""
from django.utils.translation import ngettext

from .start_page import Need

from .models import Membership

ATTENTION = [
    Need(
        code="membership-requests",
        label=lambda n: ngettext("request to join", "requests to join", n),
        rows=lambda: Membership.objects.filter(status=Membership.Status.REQUESTED),
        organisation="organisation",
        changelist="admin:stakeholders_membership_changelist",
        filters={"status__exact": Membership.Status.REQUESTED},
        since="requested_at",
        order=20,
    ),
]
