"""The one-click link to an offered place, as sent in the notification.

The link carries a signed token naming the sign-up and the moment its offer runs out. For the
person it was sent to (signed in) it opens a page with one "Confirm my place" button: a POST,
so mail scanners that follow links never take a place. After that moment the token is dead and
the page says the offer has expired; "My commitments" shows any newer offer.
"""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from coproduction.permissions import allowed

from .. import services
from ..models import SignUp
from ..offer_links import read_offer_token


@login_required
def offer_view(request, token):
    data = read_offer_token(token)
    if data is None:
        raise Http404
    record = get_object_or_404(SignUp.objects.select_related("shift__task__organisation"), pk=data[0])
    now = timezone.now()
    context = {"sign_up": record, "shift": record.shift, "task": record.shift.task}
    if record.user_id != request.user.pk:
        context["refusal"] = services.refusal(services.check_offer_confirm, record, request.user, now)
        return render(request, "volunteering/offer.html", context, status=403)
    token_expired = data[1] <= now.timestamp()
    if token_expired or not allowed(request.user, "volunteering.confirm_signup", record):
        # The link's own expiry counts like the offer's: the offer is over for this visitor.
        checked_at = max(now, record.offer_expires_at) if token_expired and record.offer_expires_at else now
        context["refusal"] = services.refusal(services.check_offer_confirm, record, request.user, checked_at)
        return render(request, "volunteering/offer.html", context,
                      status=200 if record.status == SignUp.Status.CONFIRMED else 410)
    return render(request, "volunteering/offer.html", context)
