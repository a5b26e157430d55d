from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.ProposalListView.as_view(), name="list"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("new/", views.proposal_create_view, name="new"),
    path("calls/", views.CallListView.as_view(), name="calls"),
    path("calls/<int:pk>/", views.CallDetailView.as_view(), name="call"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit_view, name="edit"),
    path("<int:pk>/status/", views.status_view, name="status"),
    path("<int:pk>/support/", views.support_view, name="support"),
    path("<int:pk>/unsupport/", views.unsupport_view, name="unsupport"),
    path("<int:pk>/follow/", views.follow_view, name="follow"),
    path("<int:pk>/unfollow/", views.unfollow_view, name="unfollow"),
    path("<int:pk>/comments/", views.comment_view, name="comment"),
    path("<int:pk>/comments/<int:comment_pk>/", views.comment_permalink_view, name="comment_permalink"),
    path("<int:pk>/comments/<int:comment_pk>/edit/", views.comment_edit_view, name="comment_edit"),
    path("<int:pk>/comments/<int:comment_pk>/report/", views.comment_report_view, name="comment_report"),
    path("<int:pk>/pledges/", views.pledge_view, name="pledge"),
    path("<int:pk>/report/", views.report_view, name="report"),
    path("<int:pk>/updates/", views.update_post, name="update_post"),
    path("<int:pk>/evaluations/", views.evaluation_post, name="evaluate"),
]
