"""The signed links in every email that stop emails about one category, or all of them."""
from django.contrib.auth import get_user_model
from django.core import signing

from .registry import CATEGORIES

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
ALL_CATEGORIES = "*"


def unsubscribe_token(user, category=ALL_CATEGORIES):
    return signing.dumps([user.pk, category], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(user, category or "*") for a token this site signed, else None. Tokens do not expire."""
    try:
        user_id, category = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if category != ALL_CATEGORIES and category not in CATEGORIES:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return (user, category) if user is not None else None
