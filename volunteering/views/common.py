"""What every volunteering view shares: asking the rules, going back, refusing with a message."""
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


def allowed(user, permission, obj=None):
    """Asks the named rule itself, so a superuser gets no shortcut past a shift's state."""
    return rules.has_perm(f"volunteering.{permission}", user, obj)


def safe_next(request, default):
    """The page to go back to: the form's ``next`` if it is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def redirect_back(request, default):
    return redirect(safe_next(request, default))


def task_url(task_id, shift_id=None):
    url = reverse("volunteering:detail", args=[task_id])
    return f"{url}#shift-{shift_id}" if shift_id else url


def signed_in_post(login_next):
    """POST only; someone not signed in is sent to sign in and comes back to ``login_next(pk)``."""
    def decorator(view):
        @require_POST
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(login_next(pk))
            return view(request, pk, *args, **kwargs)
        return wrapper
    return decorator
