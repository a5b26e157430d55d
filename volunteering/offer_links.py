"""The one-click link to an offered place, as sent in the notification.

The link carries a signed token naming the sign-up and the moment its offer runs out; after that
moment the token is dead (the offer page, volunteering.views.offers, says so).
"""
from django.core import signing
from django.urls import reverse

SALT = "volunteering.offer"


def offer_token(sign_up):
    return signing.dumps({"s": sign_up.pk, "e": int(sign_up.offer_expires_at.timestamp())}, salt=SALT)


def offer_path(sign_up):
    """The path of the one-click page for an open offer; notifications put SITE_URL in front."""
    return reverse("volunteering:offer", args=[offer_token(sign_up)])


def read_offer_token(token):
    """(sign-up id, expiry as a timestamp), or None for a token this site did not sign."""
    try:
        data = signing.loads(token, salt=SALT)
        return int(data["s"]), int(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
