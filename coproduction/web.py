"""What the views of every app share: sign in before a POST, going back, presenting a refusal."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


def safe_next(request, default):
    """The page to go back to: the form's ``next`` if it is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def redirect_back(request, default):
    return redirect(safe_next(request, default))


def signed_in_post(login_next):
    """POST only; someone not signed in is sent to sign in and comes back to ``login_next(*url_args)``.

    ``login_next`` receives the view's URL arguments (``pk``, ``slug``, …) as the view does.
    """
    def decorator(view):
        @require_POST
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(login_next(*args, **kwargs))
            return view(request, *args, **kwargs)
        return wrapper
    return decorator


def refuse(request, error, to):
    """Shows a service's refusal as a message and goes to ``to`` (an address or a URL name)."""
    messages.error(request, error.message)
    return redirect(to)
