from django.urls import path

from . import views

app_name = "volunteering"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/briefing-read/", views.briefing_read_view, name="briefing_read"),
    path("shifts/<int:pk>.ics", views.shift_ics, name="shift_ics"),
    path("shifts/<int:pk>/sign-up/", views.sign_up_view, name="sign_up"),
    path("shifts/<int:pk>/roster/", views.roster_view, name="roster"),
    path("shifts/<int:pk>/roster.csv", views.roster_csv_view, name="roster_csv"),
    path("sign-ups/<int:pk>/cancel/", views.cancel_view, name="cancel"),
    path("sign-ups/<int:pk>/confirm/", views.confirm_view, name="confirm"),
    path("sign-ups/<int:pk>/attendance/", views.attendance_view, name="attendance"),
    path("offers/<str:token>/", views.offer_view, name="offer"),
    path("mine/", views.commitments_view, name="mine"),
    path("mine/certificates/", views.certificate_request_view, name="certificate_request"),
    path("mine/calendar/rotate/", views.calendar_rotate_view, name="calendar_rotate"),
    path("mine/calendar/revoke/", views.calendar_revoke_view, name="calendar_revoke"),
    path("profile/", views.profile_view, name="profile"),
    path("calendar/<str:token>.ics", views.calendar_feed_view, name="calendar_feed"),
    path("certificates/verify/", views.verify_view, name="verify"),
    path("certificates/verify/<str:code>/", views.verify_code_view, name="verify_code"),
    path("certificates/<str:code>.pdf", views.certificate_pdf_view, name="certificate_pdf"),
]
