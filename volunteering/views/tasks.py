"""Browsing: the task list with its filters, a task with its shifts, and one shift as a calendar file."""
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django_filters.views import FilterView

from coproduction.permissions import allowed

from ..calendar import calendar_text
from ..filters import EASY_FACTS, TaskFilter
from ..models import AvailabilitySlot, BriefingRead, Shift, SignUp, Task

PAST_SHIFTS_FOR_STAFF = 20


def attach_next_shifts(tasks, now):
    """Sets ``next_shift`` on each task (annotated by with_next_shift) with one query for the page."""
    starts = {task.pk: task.next_starts_at for task in tasks if task.next_starts_at is not None}
    found = {}
    if starts:
        shifts = (Shift.objects.upcoming(now).filter(task_id__in=starts, starts_at__in=set(starts.values()))
                  .order_by("starts_at", "pk"))
        for shift in shifts:
            if shift.starts_at == starts[shift.task_id]:
                found.setdefault(shift.task_id, shift)
    for task in tasks:
        task.next_shift = found.get(task.pk)
        if task.next_shift is not None:
            task.next_shift.task = task


class TaskListView(FilterView):
    filterset_class = TaskFilter
    template_name = "volunteering/task_list.html"
    paginate_by = 20
    context_object_name = "tasks"

    def get_queryset(self):
        self.now = timezone.now()
        return Task.objects.published().by_next_shift(self.now).for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        tasks = list(page.object_list) if page is not None else list(context["tasks"])
        if page is not None:
            page.object_list = tasks
        attach_next_shifts(tasks, self.now)
        user = self.request.user
        form = context["filter"].form
        context.update(
            tasks=tasks,
            select_fields=[form[name] for name in ("organisation", "district", "skill", "kind")],
            date_fields=[form["date_from"], form["date_to"]],
            easy_fields=[form[name] for name in [*EASY_FACTS, "fits_availability"] if name in form.fields],
            has_availability=user.is_authenticated and AvailabilitySlot.objects.filter(profile__user=user).exists(),
        )
        return context


# --- one task ---------------------------------------------------------------------------------

def visible_task(request, pk):
    task = get_object_or_404(Task.objects.select_related("organisation", "proposal", "image"), pk=pk)
    if not allowed(request.user, "volunteering.view_task", task):
        raise Http404
    return task


def shift_rows(request, task, now):
    """Each upcoming shift with the person's own sign-up on it and what they may do there."""
    user = request.user
    shifts = list(task.shifts.upcoming(now).order_by("starts_at", "pk"))
    mine = {}
    if user.is_authenticated:
        records = (SignUp.objects.of_user(user).active().filter(shift__task=task, shift__ends_at__gt=now)
                   .with_waitlist_position())
        mine = {record.shift_id: record for record in records}
    rows = []
    for shift in shifts:
        shift.task = task
        record = mine.get(shift.pk)
        if record is not None:
            record.shift = shift
        rows.append({
            "shift": shift,
            "sign_up": record,
            "can_sign_up": record is None and allowed(user, "volunteering.sign_up_shift", shift),
            "can_cancel": record is not None and allowed(user, "volunteering.cancel_signup", record),
            "can_confirm": record is not None and allowed(user, "volunteering.confirm_signup", record),
            "is_open": shift.is_open_for_sign_up(now),
        })
    return rows


def briefing_state(user, task, links, rows):
    """Whether this person read the briefing, and whether they can confirm it (they hold a sign-up here)."""
    if not links or not user.is_authenticated:
        return {"briefing_read": None, "can_confirm_briefing": False}
    read = BriefingRead.objects.filter(task=task, user=user).first()
    holds_sign_up = any(row["sign_up"] is not None and row["sign_up"].status in SignUp.ACTIVE_STATUSES for row in rows)
    return {"briefing_read": read, "can_confirm_briefing": read is None and holds_sign_up}


def detail_context(request, task):
    now = timezone.now()
    task.skill_list = list(task.skills.all())
    # view_roster_shift and change_task are the same rule (the organisation's staff): asked once
    can_manage = allowed(request.user, "volunteering.change_task", task)
    rows = shift_rows(request, task, now)
    links = list(task.briefing_links.select_related("page__space"))
    return {
        "task": task,
        "rows": rows,
        "briefing_links": links,
        **briefing_state(request.user, task, links, rows),
        "can_manage": can_manage,
        # staff mark attendance after a shift: its roster stays one click away
        "past_shifts": list(task.shifts.past(now).order_by("-starts_at", "-pk")[:PAST_SHIFTS_FOR_STAFF])
        if can_manage else [],
        "now": now,
    }


def task_detail(request, pk):
    task = visible_task(request, pk)
    return render(request, "volunteering/task_detail.html", detail_context(request, task))


def render_task(request, task, *, status):
    """The task page again after a refused action; the message is already queued."""
    return render(request, "volunteering/task_detail.html", detail_context(request, task), status=status)


def calendar_response(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def shift_ics(request, pk):
    """One shift as a calendar file; its UID is stable, so a second import updates the first."""
    shift = get_object_or_404(Shift.objects.select_related("task__organisation"), pk=pk)
    if not allowed(request.user, "volunteering.view_shift", shift):
        raise Http404
    return calendar_response(calendar_text([shift], name=shift.task.title), f"shift-{shift.pk}.ics")
