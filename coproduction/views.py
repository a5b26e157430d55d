from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stakeholders.models import Organisation

from .forms import AccessibilityFeedbackForm


def home(request):
    organisations = Organisation.objects.all()[:6]
    return render(request, "coproduction/home.html", {"organisations": organisations})


def accessibility(request):
    """The accessibility statement (BITV 2.0) with its feedback form, which reaches staff in the admin."""
    form = AccessibilityFeedbackForm(request.POST or None, initial={"page_url": request.GET.get("page", "")})
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Thank you. Your feedback has reached our staff; we will answer within two weeks if you left an address."))
            return redirect("accessibility")
        return render(request, "coproduction/accessibility.html", {"form": form}, status=400)
    return render(request, "coproduction/accessibility.html", {"form": form})
