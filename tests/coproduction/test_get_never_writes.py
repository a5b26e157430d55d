"""A GET never writes: every page of the demo, as every role, issues no INSERT, UPDATE or DELETE.

The pages are read from the URLconf, so a new page is covered the day it is mounted; FILLS says which
demo objects fill each address's parts, and an address it cannot fill fails the test instead of
being left out. People are signed in before counting, so the sign-in's own writes are not counted.
"""
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Who looks at the pages: the demo people of every role, and two that no demo row describes.
ROLES = {
    "anonymous": None,
    "person with no role": "",
    "client": "lena.schubert@demo.example",
    "volunteer": "hans.lehmann@demo.example",
    "citizen": "aylin.demir@demo.example",
    "supporter": "karl.fischer@demo.example",
    "staff": "miriam.koch@demo.example",
    "operator": "admin@demo.example",
}
BACK_OFFICE_ROLES = {"staff", "operator"}
WRITES = ("INSERT", "UPDATE", "DELETE")


def every(rows, **kwargs_of):
    return [{name: value(row) for name, value in kwargs_of.items()} for row in rows]


def one(rows, **kwargs_of):
    return every(list(rows)[:1], **kwargs_of)


def each_kind(rows, kind):
    """The first row of each kind: pages of the same kind render the same way, and the walk stays short."""
    kinds = {}
    for row in rows:
        kinds.setdefault(kind(row), row)
    return list(kinds.values())


def pk(row):
    return row.pk


def slug(row):
    return row.slug


def own_or_any(rows, user, owner="user"):
    """The signed-in person's own rows (their notification, their sign-up), or any one for the others."""
    rows = list(rows)
    mine = [row for row in rows if user is not None and getattr(row, f"{owner}_id") == user.pk]
    return (mine or rows)[:1]


# URL name → (demo, signed-in person or None) → the keyword arguments to render it with. Pages
# are rendered for every object (for proposals, wiki pages and shifts: one of each status, space
# or task); the addresses of actions, which answer a GET with a refusal or a redirect, for one.
FILLS = {
    "notifications:open": lambda d, u: every(own_or_any(d.notifications, u, "recipient"), pk=pk),
    "notifications:read": lambda d, u: every(own_or_any(d.notifications, u, "recipient"), pk=pk),
    "notifications:unsubscribe": lambda d, u: [{"token": d.unsubscribe_token(u or d.people[0])}],
    "notifications:message": lambda d, u: every(d.messages, pk=pk),
    "proposals:call": lambda d, u: every(d.calls, pk=pk),
    "proposals:detail": lambda d, u: every(each_kind(d.proposals, lambda p: (p.status, p.is_hidden)), pk=pk),
    **{f"proposals:{name}": (lambda d, u: one(d.proposals, pk=pk)) for name in
       ["edit", "status", "support", "unsupport", "follow", "unfollow", "comment", "pledge", "report"]},
    **{f"proposals:{name}": (lambda d, u: [{"pk": c.proposal_id, "comment_pk": c.pk} for c in d.comments[:1]])
       for name in ["comment_edit", "comment_report", "comment_permalink"]},
    "budgets:organisation_progress": lambda d, u: every(d.organisations, org_slug=slug),
    **{f"{app}:{name}": (lambda d, u: one(d.implemented, pk=pk)) for app in ["proposals", "budgets"]
       for name in ["update_post", "evaluate"]},
    **{f"budgets:{name}": (lambda d, u: every(d.processes, slug=slug)) for name in
       ["detail", "results", "results_csv", "results_json", "progress", "ballot"]},
    **{f"budgets:{name}": (lambda d, u: one(d.processes, slug=slug)) for name in
       ["propose", "follow", "unfollow", "confirm"]},
    "volunteering:detail": lambda d, u: every(d.tasks, pk=pk),
    "volunteering:briefing_read": lambda d, u: one(d.tasks, pk=pk),
    "volunteering:shift_ics": lambda d, u: every(each_kind(d.shifts, lambda s: s.task_id), pk=pk),
    "volunteering:roster": lambda d, u: every(each_kind(d.shifts, lambda s: s.task_id), pk=pk),
    "volunteering:roster_csv": lambda d, u: one(d.shifts, pk=pk),
    "volunteering:sign_up": lambda d, u: one(d.shifts, pk=pk),
    **{f"volunteering:{name}": (lambda d, u: every(own_or_any(d.sign_ups, u), pk=pk))
       for name in ["cancel", "confirm", "attendance"]},
    # An offer's address, signed as its email would carry it, for a sign-up that holds no offer (now).
    "volunteering:offer": lambda d, u: [{"token": d.offer_token(sign_up)} for sign_up in d.sign_ups[:1]],
    "volunteering:calendar_feed": lambda d, u: [{"token": profile.calendar_token} for profile in d.calendars[:1]],
    "volunteering:verify_code": lambda d, u: one(d.certificates, code=lambda c: c.verification_code),
    "volunteering:certificate_pdf": lambda d, u: one(d.certificates, code=lambda c: c.verification_code),
    **{f"wiki:{name}": (lambda d, u: every(d.spaces, space_slug=slug)) for name in ["space", "space_changes"]},
    **{f"wiki:{name}": (lambda d, u: one(d.spaces, space_slug=slug)) for name in
       ["page_new", "handover", "review", "space_watch"]},
    **{f"wiki:{name}": (lambda d, u: every(each_kind(d.pages, lambda p: p.space_id), space_slug=lambda p: p.space.slug,
                                           page_slug=slug))
       for name in ["page", "history", "backlinks"]},
    **{f"wiki:{name}": (lambda d, u: one(d.pages, space_slug=lambda p: p.space.slug, page_slug=slug))
       for name in ["edit", "diff", "page_watch"]},
    "wiki:revert": lambda d, u: [{"space_slug": r.page.space.slug, "page_slug": r.page.slug, "number": r.number}
                                 for r in d.revisions[:1]],
    "stakeholders:organisation": lambda d, u: every(d.organisations, slug=slug),
    "stakeholders:join": lambda d, u: one(d.organisations, slug=slug),
    "stakeholders:leave": lambda d, u: every(own_or_any(d.memberships, u), pk=pk),
    "stakeholders:invitation": lambda d, u: one(d.invitations, token=lambda i: i.token),
    "stakeholders:person": lambda d, u: every(d.people, pk=pk),
    "account_confirm_email": lambda d, u: [{"key": "not-a-key"}],  # allauth's own page for a stale link
    "account_reset_password_from_key": lambda d, u: [
        {"uidb36": "1", "key": "not-a-key"}, {"uidb36": d.uidb36(d.people[0]), "key": d.reset_key(d.people[0])}],
    "api-root": lambda d, u: [{"format": "json"}],
    "media": lambda d, u: [{"path": "images/no-such-picture.webp"}],  # uploaded files, served in local mode
}
# The open-data endpoints by the router's name, as the model whose rows fill their detail address.
def api_model(pattern):
    """The model an API detail address shows, from its view set (every app's api.py alike)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from rest_framework.request import Request

    view_set = getattr(pattern.callback, "cls", None)
    if view_set is None:
        return None
    request = Request(RequestFactory().get("/"))
    request.user = AnonymousUser()
    view = view_set(request=request, action="retrieve", kwargs={}, format_kwarg=None)
    return view.get_queryset().model


def url_patterns(patterns=None, namespace=()):
    """[(namespaced name or None, pattern, namespace)] of every address the site answers."""
    found = []
    for item in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(item, URLResolver):
            found += url_patterns(item.url_patterns, namespace + ((item.namespace,) if item.namespace else ()))
        elif isinstance(item, URLPattern):
            found.append((item.name, item, namespace))
    return found


def keyword_names(pattern):
    return set(pattern.pattern.regex.groupindex) | set(getattr(pattern.pattern, "converters", {}))


def demo_objects():
    from django.apps import apps

    model = apps.get_model
    people = list(model("stakeholders.User").objects.order_by("pk"))

    def reset_key(user):
        return default_token_generator.make_token(user)

    def uidb36(user):
        from allauth.account.utils import user_pk_to_url_str

        return user_pk_to_url_str(user)

    def unsubscribe_token(user):
        from notifications.tokens import unsubscribe_token

        return unsubscribe_token(user)

    def offer_token(sign_up):
        from datetime import timedelta

        from django.utils import timezone

        from volunteering.offer_links import offer_token

        return offer_token(SimpleNamespace(pk=sign_up.pk, offer_expires_at=timezone.now() + timedelta(hours=1)))

    return SimpleNamespace(
        people=people,
        organisations=list(model("stakeholders.Organisation").objects.order_by("pk")),
        memberships=list(model("stakeholders.Membership").objects.order_by("pk")),
        invitations=list(model("stakeholders.Invitation").objects.order_by("pk")),
        notifications=list(model("notifications.Notification").objects.order_by("pk")),
        messages=list(model("notifications.Message").objects.order_by("pk")),
        calls=list(model("proposals.Call").objects.order_by("pk")),
        proposals=list(model("proposals.Proposal").objects.order_by("pk")),
        comments=list(model("proposals.Comment").objects.order_by("pk")),
        implemented=list(model("proposals.Proposal").objects.filter(status__in=["accepted", "in_delivery"])
                         .order_by("pk")),
        processes=list(model("budgets.Process").objects.order_by("pk")),
        tasks=list(model("volunteering.Task").objects.order_by("pk")),
        shifts=list(model("volunteering.Shift").objects.order_by("pk")),
        sign_ups=list(model("volunteering.SignUp").objects.order_by("pk")),
        calendars=list(model("volunteering.VolunteerProfile").objects.filter(calendar_token__isnull=False)),
        certificates=list(model("volunteering.Certificate").objects.order_by("pk")),
        spaces=list(model("wiki.Space").objects.order_by("pk")),
        pages=list(model("wiki.Page").objects.select_related("space").order_by("pk")),
        revisions=list(model("wiki.Revision").objects.select_related("page__space").order_by("pk")),
        reset_key=reset_key, uidb36=uidb36, unsubscribe_token=unsubscribe_token, offer_token=offer_token,
    )


ADMIN_OBJECT_PAGES = ("_change", "_password_change", "_next_phase", "_review", "_update")


def admin_fills(name, keywords):
    """The back office's addresses: every list and form, and the forms of each model's first row (0
    when it has none); a row's history and deletion pages are Django's own and left out for time."""
    if name == "app_list":
        return [{"app_label": label} for label in sorted({m._meta.app_label for m in admin.site._registry})]
    if name == "view_on_site":
        first = get_user_model().objects.order_by("pk").first()
        return [{"content_type_id": ContentType.objects.get_for_model(first).pk, "object_id": first.pk}]
    if name == "auth_user_password_change":  # Django names it after auth.User, whichever model is the user
        model = get_user_model()
    else:
        model = next((m for m in admin.site._registry
                      if name.startswith(f"{m._meta.app_label}_{m._meta.model_name}_")), None)
    if name.endswith("_decide") and model is not None:  # a one-click decision: a POST; a GET is refused
        first = model._default_manager.order_by("pk").first()
        return [{"object_id": first.pk if first else 0, "name": "dismiss"}]
    if model is None or not keywords <= {"object_id", "id"}:
        return None
    if not name.endswith(ADMIN_OBJECT_PAGES):
        return []
    first = model._default_manager.order_by("pk").first()
    return [{keyword: first.pk if first else 0 for keyword in keywords}]


def addresses(demo, user, back_office):
    """[(URL name, address)] for this person; a pattern nobody can fill is an error, not a gap."""
    found, unfilled = [], []
    for name, pattern, namespace in url_patterns():
        keywords = keyword_names(pattern)
        if name is None:
            # The back office's unnamed addresses only send old links on to the named ones.
            if namespace == ("admin",):
                continue
            unfilled.append(str(pattern.pattern))
            continue
        full = ":".join(namespace + (name,))
        if namespace == ("admin",):
            if not back_office:
                kwargs_list = [] if keywords else [{}]
            else:
                kwargs_list = [{}] if not keywords else admin_fills(name, keywords)
        elif namespace == ("api",) and keywords - {"format"} == {"pk"} and api_model(pattern) is not None:
            rows = api_model(pattern)._default_manager.order_by("pk")[:1]
            kwargs_list = [{"pk": row.pk, **({"format": "json"} if "format" in keywords else {})} for row in rows]
        elif not keywords:
            kwargs_list = [{}]
        elif keywords == {"format"}:
            kwargs_list = [{"format": "json"}]
        elif full in FILLS or name in FILLS:
            kwargs_list = FILLS.get(full, FILLS.get(name))(demo, user)
        else:
            kwargs_list = None
        if kwargs_list is None or (keywords and not kwargs_list and namespace != ("admin",)):
            unfilled.append(full)
            continue
        found += [(full, reverse(full, kwargs=kwargs)) for kwargs in kwargs_list]
    assert not unfilled, "Addresses the test cannot fill from the demo (add them to FILLS):\n" + "\n".join(unfilled)
    return sorted(set(found), key=lambda item: item[1])


class Writes:
    """Records each INSERT, UPDATE or DELETE sent to the database while it is installed."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            self.statements.append(sql)
        return execute(sql, params, many, context)


def what_the_demo_does_not_show():
    """Rows behind addresses that people receive rather than find: a private calendar feed, a
    certificate, an invitation; made by the apps' own services, as a person would make them."""
    from datetime import date

    from stakeholders.models import Organisation, User
    from stakeholders.services import invitation_create
    from volunteering.models import SignUp
    from volunteering.services import calendar_token_rotate, certificate_issue

    attended = SignUp.objects.filter(attended=True, hours__gt=0).select_related("user", "shift__task").first()
    calendar_token_rotate(user=attended.user)
    certificate_issue(user=attended.user, organisation=attended.shift.task.organisation,
                      period_start=date(2000, 1, 1), period_end=date.today())
    lindenhof = Organisation.objects.get(slug="nachbarschaftszentrum-lindenhof")
    invitation_create(organisation=lindenhof, email="invited@demo.example", role="volunteer",
                      invited_by=User.objects.get(email="miriam.koch@demo.example"))


@pytest.fixture
def demo(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", stdout=StringIO())
    what_the_demo_does_not_show()
    return demo_objects()


def test_no_page_of_the_demo_writes_on_a_get(client, demo):
    from tests.stakeholders.factories import UserFactory

    nobody = UserFactory(email="nobody@demo.example")
    users = {role: (nobody if email == "" else None if email is None else
                    next(p for p in demo.people if p.email == email)) for role, email in ROLES.items()}
    client.raise_request_exception = False  # a page that fails is listed, and the walk goes on
    wrong, failed, seen = [], [], 0
    for role, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for name, address in addresses(demo, user, role in BACK_OFFICE_ROLES):
            writes = Writes()
            with connection.execute_wrapper(writes):
                response = client.get(address)
            seen += 1
            if response.status_code >= 500:
                failed.append(f"{role} GET {address} ({name}): {response.status_code}")
            if writes.statements:
                first = " ".join(writes.statements[0].split())[:160]
                wrong.append(f"{role} GET {address} ({name}): {len(writes.statements)} writes, first: {first}")
    assert seen > 1000
    failures = ["GETs that failed, so what they write is not known:", *failed] if failed else []
    assert not wrong and not failed, "\n".join(["GETs that wrote:", *wrong, *failures])
