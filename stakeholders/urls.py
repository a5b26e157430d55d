from django.urls import path

from . import confirmation, views

app_name = "stakeholders"

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("organisations/<slug:slug>/join/", views.membership_request_view, name="join"),
    path("memberships/<int:pk>/leave/", views.membership_leave_view, name="leave"),
    path("invitations/<str:token>/", views.invitation_view, name="invitation"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/my-data.json", views.my_data_view, name="my_data"),
    path("profile/edit/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("profile/delete/", views.account_delete_view, name="account_delete"),
    path("profile/delete/done/", views.account_deleted_view, name="account_deleted"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
    # Next to allauth's pages (/accounts/…), which have no address of this name.
    path("accounts/confirm-again/", confirmation.confirm_again_view, name="confirm_again"),
]
