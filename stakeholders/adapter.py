"""How allauth signs people in here: their language, and a lockout that a stranger cannot use against them.

Failed sign-ins are limited three ways (ACCOUNT_RATE_LIMITS):
- ``login_failed``: 10 a minute from one network address, and 5 in 5 minutes for one email address
  *from one network address*. Someone who knows an address can make it refuse sign-ins only from where
  they are, never from the owner's own connection; allauth's default counts per email address alone,
  so five wrong guesses from anywhere locked the owner out too.
- ``login_failed_address``: 30 an hour for one email address from anywhere, against guessing spread
  over many addresses. When it is reached the form says so and offers the password reset; setting a
  new password by the emailed link lifts it at once.
An attempt the database could not answer (it was restarting) counts as none.
"""
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.signals import password_reset
from allauth.core import ratelimit
from django.contrib.sites.shortcuts import get_current_site
from django.db import DatabaseError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from coproduction.language import set_language_cookie

ADDRESS_LIMIT = "login_failed_address"


def address_key(request, email):
    return f"{get_current_site(request).domain}:{email.lower()}"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts_address": _(
            "There were too many failed sign-ins for this email address. To sign in now, set a new "
            "password with the link we send you; otherwise try again in an hour."
        ),
    }

    def post_login(self, request, user, **kwargs):
        """After login the site speaks the language the person chose in their profile."""
        response = super().post_login(request, user, **kwargs)
        if user.language:
            set_language_cookie(response, user.language)
        return response

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth keys its per-account limit by site and email address; adding the network address makes
        # it count per address *and* place, as the module says.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}@{self.get_client_ip(request)}"

    def authenticate(self, request, **credentials):
        try:
            return super().authenticate(request, **credentials)
        except DatabaseError:
            # The password was never checked (the database restarting, say): the attempt is not a
            # failed one and does not count towards the limits; the person is shown the 503 page.
            self._rollback_login_failed_rl_usage()
            raise

    def pre_authenticate(self, request, **credentials):
        email = credentials.get("email", "")
        if email and not ratelimit.consume(request, action=ADDRESS_LIMIT, key=address_key(request, email),
                                           dry_run=True):
            raise self.validation_error("too_many_login_attempts_address")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        if email := credentials.get("email", ""):
            ratelimit.consume(request, action=ADDRESS_LIMIT, key=address_key(request, email))


@receiver(password_reset)
def lift_the_address_limit(sender, request, user, **kwargs):
    """A new password set through the emailed link proves the owner: the address may sign in again."""
    for address in user.emailaddress_set.values_list("email", flat=True):
        ratelimit.clear(request, action=ADDRESS_LIMIT, key=address_key(request, address))

