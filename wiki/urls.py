from django.urls import path

from . import views

app_name = "wiki"

# Page slugs may be Unicode (titles without Latin letters) and are matched as "anything but /".
PAGE = "<slug:space_slug>/<str:page_slug>/"

urlpatterns = [
    path("", views.space_list, name="index"),
    path("search/", views.search, name="search"),
    path("changes/", views.changes, name="changes"),
    path("<slug:space_slug>/", views.space_detail, name="space"),
    path("<slug:space_slug>/new/", views.page_new, name="page_new"),
    path("<slug:space_slug>/changes/", views.space_changes, name="space_changes"),
    path("<slug:space_slug>/handover/", views.handover, name="handover"),
    path("<slug:space_slug>/review/", views.review, name="review"),
    path("<slug:space_slug>/watch/", views.space_watch, name="space_watch"),
    path(PAGE, views.page_detail, name="page"),
    path(PAGE + "edit/", views.page_edit, name="edit"),
    path(PAGE + "history/", views.page_history, name="history"),
    path(PAGE + "diff/", views.page_diff, name="diff"),
    path(PAGE + "revert/<int:number>/", views.page_revert, name="revert"),
    path(PAGE + "backlinks/", views.page_backlinks, name="backlinks"),
    path(PAGE + "watch/", views.page_watch, name="page_watch"),
]
