from allauth.account.adapter import DefaultAccountAdapter

from coproduction.language import set_language_cookie


class AccountAdapter(DefaultAccountAdapter):
    def post_login(self, request, user, **kwargs):
        """After login the site speaks the language the person chose in their profile."""
        response = super().post_login(request, user, **kwargs)
        if user.language:
            set_language_cookie(response, user.language)
        return response
