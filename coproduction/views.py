from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import pages
from .forms import AccessibilityFeedbackForm
from .modes import Delivery, Planning, cell_for


def home(request):
    """The home page, composed of what the apps contribute (coproduction.pages).

    Slots: "for-you" (only for someone signed in, first: what waits for them), "home" (what is
    happening now, for everyone, then the organisations) and "home-figures" (a few platform figures).
    """
    return render(request, "coproduction/home.html")


@login_required
def me(request):
    """My area: what the person does on the platform, each app's part in the slot "me"; the account's
    own data download and deletion come last."""
    return render(request, "coproduction/me.html")


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


def matrix(request):
    """Bovaird's matrix: who plans × who delivers, with what the apps count in each cell (public proposals)."""
    counts = pages.cell_counts()
    rows = [
        (planning, [(cell_for(planning, delivery), counts.get((planning, delivery), 0)) for delivery in Delivery])
        for planning in Planning
    ]
    return render(request, "coproduction/matrix.html", {"rows": rows, "deliveries": list(Delivery)})


def privacy(request):
    """The privacy statement: what is stored, why, for how long, who sees it, and the person's rights."""
    return render(request, "coproduction/privacy.html")
