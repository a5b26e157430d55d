"""The volunteer's own pages: my commitments, my volunteer profile, the private calendar feed."""
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduction.errors import DomainError
from coproduction.permissions import allowed

from .. import services
from ..calendar import calendar_text
from ..forms import CertificateForm, SkillsForm, availability_formset
from ..models import Certificate, SignUp, VolunteerProfile
from .tasks import calendar_response

PAST_PER_PAGE = 20
UPCOMING_PER_PAGE = 20
FEED_LOOKBACK = timedelta(days=365)


def hours_by_organisation(user):
    """[{"name", "hours"}] of the person's attended hours per organisation, and their sum. One query."""
    rows = list(
        SignUp.objects.of_user(user).attended().order_by()
        .values("shift__task__organisation_id", "shift__task__organisation__name")
        .annotate(hours=Sum("hours")).order_by("shift__task__organisation__name")
    )
    rows = [{"name": row["shift__task__organisation__name"], "hours": row["hours"]} for row in rows if row["hours"]]
    return rows, sum((row["hours"] for row in rows), 0)


def commitments_context(request, *, certificate_form=None):
    user, now = request.user, timezone.now()
    mine = SignUp.objects.of_user(user)
    # Someone with a hundred future shifts sees them a page at a time; open offers always show.
    upcoming_page = Paginator(mine.active().upcoming(now).commitments().with_waitlist_position(), UPCOMING_PER_PAGE
                              ).get_page(request.GET.get("upcoming"))
    upcoming = list(upcoming_page.object_list)
    offers = list(mine.offered().upcoming(now).commitments())
    for record in [*upcoming, *offers]:
        record.can_cancel = allowed(user, "volunteering.cancel_signup", record)
        record.can_confirm = allowed(user, "volunteering.confirm_signup", record)
    past = Paginator(mine.past(now).confirmed().commitments().order_by("-shift__starts_at", "-pk"), PAST_PER_PAGE)
    hours, total = hours_by_organisation(user)
    profile = VolunteerProfile.objects.filter(user=user).only("id", "user_id", "calendar_token").first()
    token = profile.calendar_token if profile else None
    return {
        "offers": [record for record in offers if record.can_confirm],
        "upcoming": upcoming,
        "upcoming_page": upcoming_page,
        "past_page": past.get_page(request.GET.get("past")),
        "hours": hours,
        "hours_total": total,
        "feed_url": request.build_absolute_uri(reverse("volunteering:calendar_feed", args=[token])) if token else "",
        "certificate_form": certificate_form or CertificateForm(user=user),
        "certificates": list(Certificate.objects.filter(user=user).defer("tasks")),
        "now": now,
    }


@login_required
def commitments_view(request):
    return render(request, "volunteering/mine.html", commitments_context(request))


@login_required
@require_POST
def certificate_request_view(request):
    form = CertificateForm(request.POST, user=request.user)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        if not allowed(request.user, "volunteering.issue_certificate", organisation):
            raise PermissionDenied
        try:
            certificate = services.certificate_issue(
                user=request.user, organisation=organisation, period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
        except DomainError as error:
            error.add_to_form(form)
        else:
            link = reverse("volunteering:certificate_pdf", args=[certificate.verification_code])
            messages.success(request, format_html(
                '{} <a href="{}">{}</a>', _("Your certificate is ready."), link, _("Download it as a PDF"),
            ))
            return redirect(reverse("volunteering:mine") + "#certificates")
    return render(request, "volunteering/mine.html", commitments_context(request, certificate_form=form), status=400)


@login_required
@require_POST
def calendar_rotate_view(request):
    profile = services.volunteer_profile_get(user=request.user)
    if not allowed(request.user, "volunteering.change_volunteerprofile", profile):
        raise PermissionDenied
    had_one = bool(profile.calendar_token)
    services.calendar_token_rotate(user=request.user)
    if had_one:
        messages.success(request, _("Your calendar has a new private address. The old address no longer works."))
    else:
        messages.success(request, _("Your private calendar address is ready. Add it to your calendar app."))
    return redirect(reverse("volunteering:mine") + "#calendar")


@login_required
@require_POST
def calendar_revoke_view(request):
    profile = services.volunteer_profile_get(user=request.user)
    if not allowed(request.user, "volunteering.change_volunteerprofile", profile):
        raise PermissionDenied
    services.calendar_token_revoke(user=request.user)
    messages.success(request, _("Your private calendar address is switched off."))
    return redirect(reverse("volunteering:mine") + "#calendar")


def calendar_feed_view(request, token):
    """The private feed: every confirmed shift of the last year and ahead; a revoked address is 404."""
    profile = VolunteerProfile.objects.by_calendar_token(token)
    if profile is None:
        raise Http404
    since = timezone.now() - FEED_LOOKBACK
    records = SignUp.objects.of_user(profile.user).confirmed().filter(shift__ends_at__gt=since).commitments()
    # A calendar app fetches this without cookies: speak the person's own language.
    with translation.override(profile.user.language or settings.LANGUAGE_CODE):
        text = calendar_text([record.shift for record in records], name=_("My shifts – Koproduktion"))
    response = calendar_response(text, "koproduktion.ics")
    response["Content-Disposition"] = 'inline; filename="koproduktion.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the volunteer profile ----------------------------------------------------------------------

@login_required
def profile_view(request):
    user = request.user
    profile = VolunteerProfile.objects.filter(user=user).prefetch_related("skills", "availability").first()
    if profile is not None and not allowed(user, "volunteering.change_volunteerprofile", profile):
        raise PermissionDenied
    if request.method == "POST":
        skills_form = SkillsForm(request.POST)
        formset = availability_formset(data=request.POST)
        if skills_form.is_valid() and formset.is_valid():
            slots = [slot for form in formset for slot in [form.slot()] if slot is not None]
            try:
                services.volunteer_profile_update(user=user, skills=skills_form.cleaned_data["skills"],
                                                  availability=slots)
            except DomainError as error:
                error.add_to_form(skills_form)
            else:
                messages.success(request, _("Your volunteer profile is saved."))
                return redirect("volunteering:profile")
        status = 400
    else:
        skills = [skill.pk for skill in profile.skills.all()] if profile else []
        skills_form = SkillsForm(initial={"skills": skills})
        formset = availability_formset(profile=profile)
        status = 200
    return render(request, "volunteering/profile.html", {"skills_form": skills_form, "formset": formset},
                  status=status)
