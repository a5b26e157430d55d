from django.urls import path

from proposals import views as proposal_views

from . import views

app_name = "budgets"

urlpatterns = [
    path("", views.process_list, name="list"),
    path("progress/<slug:org_slug>/", views.organisation_progress, name="organisation_progress"),
    # Where progress updates and evaluations were first posted; the proposal's page now posts them
    # to its own addresses, and these keep answering as before.
    path("proposals/<int:pk>/updates/", proposal_views.update_post, name="update_post"),
    path("proposals/<int:pk>/evaluations/", proposal_views.evaluation_post, name="evaluate"),
    path("<slug:slug>/", views.process_detail, name="detail"),
    path("<slug:slug>/propose/", views.propose, name="propose"),
    path("<slug:slug>/follow/", views.follow, name="follow"),
    path("<slug:slug>/unfollow/", views.unfollow, name="unfollow"),
    path("<slug:slug>/ballot/", views.ballot, name="ballot"),
    path("<slug:slug>/ballot/confirm/", views.ballot_confirm, name="confirm"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results.csv", views.results_csv, name="results_csv"),
    path("<slug:slug>/results.json", views.results_json, name="results_json"),
    path("<slug:slug>/progress/", views.process_progress, name="progress"),
]
