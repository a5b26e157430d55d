from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from stakeholders.staff import is_staff_anywhere, is_staff_of

from . import delivery, messaging, services, tokens
from .delivery import describe, visible_items
from .forms import PreferencesForm
from .models import Message, Notification
from .registry import category_label

PAGE_SIZE = 30


@login_required
def notification_list(request):
    notifications = (
        Notification.objects.filter(recipient=request.user)
        .select_related("activity__actor", "activity__target_type", "organisation")
    )
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        notifications = notifications.unread()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    visible = visible_items(items)
    rows = [(item, describe(item, available=item in visible)) for item in items]
    return render(request, "notifications/notification_list.html", {
        "page": page, "rows": rows, "only_unread": only_unread,
    })


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request, pk):
    """Goes to what the notification is about (if the person may still see it). Opening it from the
    inbox is a POST that also marks it read; a GET (a saved or shared address) only follows it,
    since a GET never writes."""
    notification = get_object_or_404(Notification.objects.select_related("activity"), pk=pk, recipient=request.user)
    if request.method == "POST":
        services.notification_mark_read(notification=notification, user=request.user)
    if notification in visible_items([notification]) and notification.activity.url:
        return redirect(notification.activity.url)
    messages.info(request, _("This content is no longer available."))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notification, user=request.user)
    return redirect(_back(request))


@login_required
@require_POST
def notifications_read_all(request):
    done = services.notifications_mark_all_read(user=request.user)
    if done:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(_back(request))


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "notifications:list"


@login_required
def preferences(request):
    current = services.channels_of(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, current=current,
                           staff=request.user.is_superuser or is_staff_anywhere(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, channels=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    context = {"form": form, "digest_hour": settings.NOTIFICATIONS_DIGEST_HOUR,
               "weekday": WEEKDAYS[delivery.WEEKDAYS.index(settings.NOTIFICATIONS_WEEKLY_DAY)]}
    return render(request, "notifications/preferences.html", context, status=400 if form.errors else 200)


@csrf_exempt  # the signed token, not a session, says whose emails stop (RFC 8058 one-click POST)
def unsubscribe(request, token):
    found = tokens.read_unsubscribe_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    user, category = found
    label = category_label(category) if category != tokens.ALL_CATEGORIES else ""
    if request.method == "POST":
        services.unsubscribe(user=user, category=category)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("You will get no more of these emails."), content_type="text/plain; charset=utf-8")
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label, "token": token})


@login_required
def message_detail(request, pk):
    """A message from an organisation, for the people it was sent to and the organisation's staff."""
    message = get_object_or_404(Message.objects.select_related("organisation", "author"), pk=pk)
    received = Notification.objects.filter(
        recipient=request.user, activity__verb=messaging.MESSAGE_SENT, activity__target_id=message.pk,
        activity__target_type=ContentType.objects.get_for_model(Message)).exists()
    if not received and not is_staff_of(request.user, message.organisation):
        raise Http404
    return render(request, "notifications/message_detail.html", {"message": message})
