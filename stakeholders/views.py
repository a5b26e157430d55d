import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, TemplateView, UpdateView
from django_filters.views import FilterView

from coproduction.language import set_language_cookie
from coproduction.pages import related_of
from coproduction.web import redirect_back

from . import erasure, services
from .filters import OrganisationFilter
from .forms import AccountDeleteForm, MembershipRequestForm, ProfileForm
from .models import Invitation, Membership, Organisation, User
from .privacy import has_public_contribution, personal_data


class OrganisationListView(FilterView):
    filterset_class = OrganisationFilter
    queryset = Organisation.objects.with_pictures()
    template_name = "stakeholders/organisation_list.html"
    paginate_by = 20
    context_object_name = "organisations"


def people_by_role(memberships):
    """[(role label, [memberships])] in the order roles are declared."""
    grouped = {role: [] for role in Membership.Role}
    for membership in memberships:
        grouped[membership.role].append(membership)
    return [(Membership.Role(role).label, items) for role, items in grouped.items() if items]


# The button that invites each role in, in the order the page offers them.
JOIN_LABELS = {
    Membership.Role.VOLUNTEER: gettext_lazy("Join as a volunteer"),
    Membership.Role.CLIENT: gettext_lazy("Join as a client or member"),
    Membership.Role.CITIZEN: gettext_lazy("Join as a neighbour"),
    Membership.Role.SUPPORTER: gettext_lazy("Join as a supporter"),
}


# The shared status pill (``.status-<state>``) of a person's own membership.
MEMBERSHIP_STATE = {Membership.Status.REQUESTED: "open", Membership.Status.APPROVED: "accepted"}


def join_choices(memberships):
    """What the page offers each requestable role: its button, or the person's own active
    membership in it. The first button is the page's primary action."""
    mine = {membership.role: membership for membership in memberships}
    choices, primary_given = [], False
    for role, label in JOIN_LABELS.items():
        membership = mine.get(role)
        primary = membership is None and not primary_given
        primary_given = primary_given or primary
        choices.append({"role": role, "label": label, "membership": membership, "primary": primary,
                        "state": MEMBERSHIP_STATE.get(membership.status) if membership else None})
    return choices


class OrganisationDetailView(DetailView):
    """An organisation's hub: why it exists, how to join, and what it does with others — its calls
    and proposals, budgets, tasks and wiki come from the apps' panels for the "organisation" slot."""

    template_name = "stakeholders/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        listed = Membership.objects.listed().select_related("user").only(
            "id", "organisation_id", "role", "is_multiplier", "user__id", "user__display_name",
        ).order_by("user__display_name", "id")
        partners = Organisation.objects.only("id", "name", "slug", "city", "district", "purpose")
        return Organisation.objects.with_pictures().select_related(*related_of("organisation")).prefetch_related(
            Prefetch("partners", queryset=partners),
            Prefetch("memberships", queryset=listed, to_attr="listed_memberships"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        context["people_by_role"] = people_by_role(organisation.listed_memberships)
        user = self.request.user
        mine = []
        if user.is_authenticated:
            mine = list(Membership.objects.active().filter(user=user, organisation=organisation))
            context["is_staff_here"] = user.has_perm("stakeholders.manage_organisation", organisation)
        context["my_memberships"] = mine
        context["join_choices"] = join_choices(mine)
        context["is_member"] = any(m.status == Membership.Status.APPROVED for m in mine)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def membership_request_view(request, slug):
    """The form to ask for a role, with the role chosen on the organisation's page (``?role=``)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if request.method == "POST":
        form = MembershipRequestForm(request.POST)
        if form.is_valid():
            try:
                services.membership_request(user=request.user, organisation=organisation, **form.cleaned_data)
            except services.MembershipError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Your request has been sent to the staff of %(name)s.")
                                 % {"name": organisation.name})
                return redirect(organisation)
        status = 400
    else:
        role = request.GET.get("role")
        form = MembershipRequestForm(initial={"role": role} if role in Membership.REQUESTABLE_ROLES else None)
        status = 200
    mine = list(Membership.objects.active().filter(user=request.user, organisation=organisation))
    context = {"organisation": organisation, "form": form, "my_memberships": mine}
    return render(request, "stakeholders/organisation_join.html", context, status=status)


@login_required
@require_POST
def membership_leave_view(request, pk):
    membership = get_object_or_404(Membership, pk=pk, user=request.user)
    try:
        services.membership_leave(membership=membership, user=request.user)
    except services.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have left this role."))
    return redirect_back(request, "me")


@login_required
def invitation_view(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.MembershipError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Welcome to %(name)s!") % {"name": invitation.organisation.name})
            return redirect(invitation.organisation)
    return render(request, "stakeholders/invitation.html", {"invitation": invitation})


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "stakeholders/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = (
            Membership.objects.filter(user=self.request.user)
            .exclude(status=Membership.Status.LEFT)
            .select_related("organisation")
        )
        context["next"] = self.request.path
        return context


class ProfileEditView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "stakeholders/profile_edit.html"
    success_url = reverse_lazy("stakeholders:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your profile has been saved."))
        return set_language_cookie(response, self.object.language)


class PersonView(DetailView):
    """What anyone may see of a person: display name, about text and listed roles; never contact data."""

    template_name = "stakeholders/person_detail.html"
    context_object_name = "person"
    queryset = User.objects.filter(is_active=True)

    def get_object(self, queryset=None):
        # Ids are sequential: a person whose name nothing public shows is not found, so counting through
        # /people/1/, /people/2/ ... lists nobody who has not stepped forward. The person always sees theirs.
        person = super().get_object(queryset)
        self.memberships = list(Membership.objects.listed().filter(user=person).select_related("organisation"))
        if person != self.request.user and not self.memberships and not has_public_contribution(person):
            raise Http404
        return person

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.memberships
        return context


@login_required
def my_data_view(request):
    """Everything the platform holds about the signed-in person, as one JSON file (Art. 15 DSGVO)."""
    body = json.dumps(personal_data(request.user), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    filename = f"koproduktion-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request):
    """Explains what deleting the account does; a POST with the current password deletes it (Art. 17 DSGVO)."""
    user = request.user
    refusal = erasure.erasure_refusal(user=user, actor=user)
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=user, request=request)
    status = 200
    if request.method == "POST":
        status = 403 if refusal else 400
        if refusal is None and form.is_valid():
            try:
                erasure.erase_account(user=user, actor=user)
            except erasure.ErasureError as error:
                form.add_error(None, str(error))
            else:
                logout(request)
                return redirect("stakeholders:account_deleted")
    context = {"form": form, "refusal": refusal, "summary": erasure.erasure_summary(user)}
    return render(request, "stakeholders/account_delete.html", context, status=status)


def account_deleted_view(request):
    """Confirms to the signed-out person that their account is gone."""
    if request.user.is_authenticated:
        return redirect("me")
    return render(request, "stakeholders/account_deleted.html")
