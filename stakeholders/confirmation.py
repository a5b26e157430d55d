"""A new confirmation link for someone whose link was used already or ran out.

allauth's confirmation page shows the form (``{% confirm_again %}``) when its link no longer
works; the form sends a fresh link to the address given. Signed-in people send it to their own
unconfirmed address with one click; signed-out people type their address, and the answer is the
same whether or not an account waits for it, so the form tells nobody which addresses exist.
"""
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods


class ConfirmAgainForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your email address"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": gettext_lazy("Enter the email address you signed up with."),
                        "invalid": gettext_lazy("Enter a valid email address, such as name@example.org.")},
    )


def unconfirmed_address(user):
    """The signed-in person's address that still waits for confirmation (the primary first), or None."""
    if not user.is_authenticated:
        return None
    return EmailAddress.objects.filter(user=user, verified=False).order_by("-primary", "pk").first()


def confirm_again_context(request, form=None, *, from_link=False):
    address = unconfirmed_address(request.user)
    if form is None:
        form = ConfirmAgainForm(initial={"email": address.email} if address else None)
    return {"confirm_again_form": form, "unconfirmed_address": address, "user": request.user,
            "from_link": from_link}


def send_again(request, email):
    """Sends a new link if an account waits for ``email`` (at most one every few minutes per address)."""
    address = EmailAddress.objects.filter(email__iexact=email, verified=False).select_related("user").first()
    if address is None or address.user is None:
        return
    if not ratelimit.consume(request, action="confirm_email", key=address.email.lower()):
        return  # the link sent a moment ago still works
    address.send_confirmation(request)


@require_http_methods(["GET", "POST"])
def confirm_again_view(request):
    form = ConfirmAgainForm(request.POST or None) if request.method == "POST" else None
    if form is not None and form.is_valid():
        send_again(request, form.cleaned_data["email"])
        messages.success(request, _("If an account waits for the confirmation of %(email)s, a new link is on its "
                                    "way there. Please look in your inbox (and the spam folder) in a few minutes.")
                         % {"email": form.cleaned_data["email"]})
        return redirect("account_email_verification_sent")
    status = 400 if form is not None else 200
    return render(request, "account/confirm_again.html", confirm_again_context(request, form), status=status)
