import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, TemplateView, UpdateView
from django_filters.views import FilterView

from coproduction.language import set_language_cookie
from coproduction.web import redirect_back

from . import erasure, services
from .filters import OrganisationFilter
from .forms import AccountDeleteForm, MembershipRequestForm, ProfileForm
from .models import Invitation, Membership, Organisation, User
from .privacy import personal_data


class OrganisationListView(FilterView):
    filterset_class = OrganisationFilter
    template_name = "stakeholders/organisation_list.html"
    paginate_by = 20
    context_object_name = "organisations"


def people_by_role(memberships):
    """[(role label, [memberships])] in the order roles are declared."""
    grouped = {role: [] for role in Membership.Role}
    for membership in memberships:
        grouped[membership.role].append(membership)
    return [(Membership.Role(role).label, items) for role, items in grouped.items() if items]


class OrganisationDetailView(DetailView):
    template_name = "stakeholders/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        listed = Membership.objects.listed().select_related("user").order_by("user__display_name")
        return Organisation.objects.prefetch_related(
            "partners", Prefetch("memberships", queryset=listed, to_attr="listed_memberships")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        context["people_by_role"] = people_by_role(organisation.listed_memberships)
        user = self.request.user
        if user.is_authenticated:
            context["my_memberships"] = list(
                Membership.objects.active().filter(user=user, organisation=organisation)
            )
            context["join_form"] = kwargs.get("join_form") or MembershipRequestForm()
            context["is_staff_here"] = user.has_perm("stakeholders.manage_organisation", organisation)
        return context


@login_required
@require_POST
def membership_request_view(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = MembershipRequestForm(request.POST)
    if form.is_valid():
        try:
            services.membership_request(user=request.user, organisation=organisation, **form.cleaned_data)
        except services.MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Your request has been sent to the staff of %(name)s.") % {"name": organisation.name})
            return redirect(organisation)
    view = OrganisationDetailView()
    view.setup(request, slug=slug)
    view.object = view.get_object()
    return render(request, view.template_name, view.get_context_data(join_form=form), status=400)


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = Membership.objects.listed().filter(user=self.object).select_related("organisation")
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
