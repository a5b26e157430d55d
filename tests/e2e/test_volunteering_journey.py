"""Volunteering as people do it: find a task by filters and sign up; join a waitlist and confirm the
place offered after someone cancels; staff mark attendance and hours; the volunteer downloads a
certificate that anyone can verify at its address. axe checks every page on the way."""
import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory, counts, hours_from_now, move_shift, sign_up
from volunteering.models import Certificate, SignUp
from volunteering.views import offer_path

from .support import checked, field, filter_form, tr, trn, visit
from .volunteering_support import (
    SHIFT_SIGN_UP, button, heading, log_in, main, number, section, shift_card, short_datetime, status,
)

pytestmark = pytest.mark.e2e


def places_free(free, capacity):
    return tr("%(free)s of %(capacity)s places free") % {"free": free, "capacity": capacity}


def test_volunteer_finds_a_first_timer_task_with_childcare_and_signs_up(new_page):
    family = OrganisationFactory(name="Familienzentrum Am Wall", slug="am-wall", district="Wesertor")
    seniors = OrganisationFactory(name="Seniorentreff Bettenhausen", slug="bettenhausen", district="Bettenhausen")
    wanted = TaskFactory(
        organisation=family, title="Kinderbetreuung beim Elterncafé", district="Wesertor",
        purpose="Während die Eltern sich austauschen, spielen wir mit den Kindern. Keine Vorkenntnisse nötig.",
        first_timer_friendly=True, childcare_offered=True,
    )
    shift = ShiftFactory(task=wanted, starts_in=50, capacity=4)
    ShiftFactory(task=wanted, starts_in=50 + 7 * 24, capacity=4)
    # Near misses: each lacks one of the three things the person filters for.
    for organisation, title, first_timers, childcare in [
        (family, "Buchhaltung für den Förderverein", False, True),
        (family, "Hausaufgabenhilfe am Nachmittag", True, False),
        (seniors, "Spielenachmittag mit Kinderbetreuung", True, True),
    ]:
        ShiftFactory(task=TaskFactory(organisation=organisation, title=title, district=organisation.district,
                                      first_timer_friendly=first_timers, childcare_offered=childcare))
    TaskFactory(organisation=family, title="Ein Entwurf", draft=True, first_timer_friendly=True,
                childcare_offered=True)
    person = UserFactory(display_name="Lena Vogt")

    page = new_page()
    log_in(page, person.email)
    page.get_by_role("navigation", name=tr("Main")).get_by_role("link", name=tr("Tasks"), exact=True).click()
    expect(heading(page)).to_have_text(tr("Tasks"))
    checked(page)
    counter = page.locator("main p.meta[role=status]")
    expect(counter).to_have_text(trn("%(counter)s task", "%(counter)s tasks", 4) % {"counter": 4})

    filters = filter_form(page, "Filter tasks")
    field(filters, "Organisation").select_option(label=family.name)
    field(filters, "Suitable for first-timers").check()
    field(filters, "Childcare offered").check()
    filters.get_by_role("button", name=tr("Apply filters")).click()
    expect(counter).to_have_text(trn("%(counter)s task", "%(counter)s tasks", 1) % {"counter": 1})
    checked(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["organisation"] == [str(family.pk)]
    assert query["first_timer"] == ["on"] and query["childcare"] == ["on"]
    filters = filter_form(page, "Filter tasks")
    expect(field(filters, "Organisation")).to_have_value(str(family.pk))
    expect(field(filters, "Suitable for first-timers")).to_be_checked()
    expect(field(filters, "Childcare offered")).to_be_checked()
    cards = page.locator("main .task-list > li.card")
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card.locator(".fact-tags")).to_contain_text(tr("Childcare offered"))
    expect(card.locator(".fact-tags")).to_contain_text(tr("Suitable for first-timers"))
    expect(card.locator(".next-shift")).to_contain_text(places_free(4, 4))
    card.get_by_role("link", name=wanted.title).click()

    expect(heading(page)).to_have_text(wanted.title)
    checked(page)
    about = section(page, "About this task")
    expect(about).to_contain_text(tr("Childcare is offered."))
    expect(about).to_contain_text(tr("Suitable for first-timers."))
    card = shift_card(page, shift)
    expect(card).to_contain_text(places_free(4, 4))
    button(card, SHIFT_SIGN_UP).click()

    expect(status(page)).to_contain_text(
        tr("You are signed up for “%(task)s” on %(when)s. Thank you!")
        % {"task": wanted.title, "when": short_datetime(shift.starts_at)}
    )
    checked(page)
    card = shift_card(page, shift)
    expect(card.locator(".my-status")).to_have_text(tr("You have a place on this shift."))
    expect(card).to_contain_text(places_free(3, 4))
    expect(button(card, "Cancel my sign-up")).to_be_visible()

    # "My commitments" is one click from the task list.
    page.get_by_role("navigation", name=tr("Main")).get_by_role("link", name=tr("Tasks"), exact=True).click()
    expect(heading(page)).to_have_text(tr("Tasks"))
    checked(page)
    main(page).get_by_role("link", name=tr("My commitments"), exact=True).click()
    expect(heading(page)).to_have_text(tr("My commitments"))
    checked(page)
    upcoming = section(page, "Upcoming").locator(".commitment-list > li")
    expect(upcoming).to_have_count(1)
    expect(upcoming.first.get_by_role("heading", level=3)).to_have_text(wanted.title)
    expect(upcoming.first).to_contain_text(family.name)
    expect(upcoming.first.locator(".tag")).to_have_text(tr("Confirmed"))

    record = SignUp.objects.get(user=person)
    assert (record.shift_id, record.status) == (shift.pk, SignUp.Status.CONFIRMED)
    assert counts(shift) == (1, 0, 0)


def test_waitlisted_volunteer_confirms_the_place_offered_after_a_cancellation(new_page):
    organisation = OrganisationFactory(name="Tafel Nordstadt", slug="tafel-nordstadt")
    task = TaskFactory(organisation=organisation, title="Lebensmittelausgabe am Donnerstag",
                       purpose="Wir geben gespendete Lebensmittel an Menschen mit wenig Geld aus.")
    shift = ShiftFactory(task=task, starts_in=30, capacity=1)
    holder = UserFactory(display_name="Jana Becker")
    sign_up(shift, holder)
    waiting = UserFactory(display_name="Omar Haddad")
    task_path = f"/tasks/{task.pk}/"

    # The shift is full: Omar joins its waitlist.
    page = new_page()
    log_in(page, waiting.email)
    visit(page, task_path)
    expect(heading(page)).to_have_text(task.title)
    card = shift_card(page, shift)
    expect(card.locator(".tag-strong")).to_have_text(tr("Full"))
    expect(card).to_contain_text(tr("nobody on the waitlist yet"))
    expect(button(card, SHIFT_SIGN_UP)).to_have_count(0)
    button(card, "Join the waitlist").click()
    expect(status(page)).to_contain_text(
        tr("This shift is full, so you are on its waitlist at position %(position)d. If a place becomes free, "
           "it is offered to the first person waiting, who confirms it with one click.") % {"position": 1}
    )
    checked(page)
    card = shift_card(page, shift)
    expect(card.locator(".my-status")).to_have_text(
        tr("You are on the waitlist at position %(position)s.") % {"position": 1}
    )
    expect(card).to_contain_text(
        trn("%(counter)s person on the waitlist", "%(counter)s people on the waitlist", 1) % {"counter": 1}
    )
    visit(page, "/tasks/mine/")
    expect(section(page, "Upcoming").locator(".commitment-list > li .tag")).to_have_text(
        tr("On the waitlist, position %(position)s") % {"position": 1}
    )
    expect(section(page, "Places offered to you")).to_have_count(0)

    # Jana, in her own browser, cancels her place in time.
    other = new_page()
    log_in(other, holder.email)
    visit(other, "/tasks/mine/")
    mine = section(other, "Upcoming").locator(".commitment-list > li")
    expect(mine).to_have_count(1)
    expect(mine.first.locator(".tag")).to_have_text(tr("Confirmed"))
    button(mine.first, "Cancel my sign-up").click()
    expect(status(other)).to_contain_text(tr("Your sign-up is cancelled. Thank you for letting us know in time."))
    checked(other)
    expect(section(other, "Upcoming")).to_contain_text(tr("You have no upcoming shifts."))

    # Omar is offered the place: "My commitments" shows it, and the one-click link opens it.
    offered = SignUp.objects.get(shift=shift, user=waiting)
    assert offered.status == SignUp.Status.OFFERED
    assert counts(shift) == (0, 1, 0)
    page.reload()
    expect(heading(page)).to_have_text(tr("My commitments"))
    checked(page)
    offers = section(page, "Places offered to you").locator(".card-list > li")
    expect(offers).to_have_count(1)
    expect(offers.first.get_by_role("heading", level=3)).to_have_text(task.title)
    expect(offers.first).to_contain_text(
        tr("Confirm by %(deadline)s") % {"deadline": short_datetime(offered.offer_expires_at)}
    )

    visit(page, offer_path(offered))
    expect(heading(page)).to_have_text(tr("A place is free for you"))
    expect(main(page).locator("dl.facts")).to_contain_text(task.title)
    expect(main(page).locator("dl.facts")).to_contain_text(organisation.name)
    main(page).get_by_role("button", name=tr("Confirm my place"), exact=True).click()

    expect(heading(page)).to_have_text(tr("My commitments"))
    expect(status(page)).to_contain_text(
        tr("Your place on “%(task)s” on %(when)s is confirmed. Thank you!")
        % {"task": task.title, "when": short_datetime(shift.starts_at)}
    )
    checked(page)
    expect(section(page, "Places offered to you")).to_have_count(0)
    expect(section(page, "Upcoming").locator(".commitment-list > li .tag")).to_have_text(tr("Confirmed"))

    # The shift shows Omar confirmed, and it is full again.
    visit(page, task_path)
    card = shift_card(page, shift)
    expect(card.locator(".my-status")).to_have_text(tr("You have a place on this shift."))
    expect(card.locator(".tag-strong")).to_have_text(tr("Full"))
    # Jana could join the waitlist again, but nobody is waiting now.
    visit(other, task_path)
    card = shift_card(other, shift)
    expect(card).to_contain_text(tr("nobody on the waitlist yet"))
    expect(button(card, "Join the waitlist")).to_be_visible()

    offered.refresh_from_db()
    assert offered.status == SignUp.Status.CONFIRMED
    assert counts(shift) == (1, 0, 0)


def test_staff_mark_attendance_and_the_volunteer_gets_a_verifiable_certificate(new_page):
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Lindenhof", slug="lindenhof")
    staff = MembershipFactory(organisation=organisation, role="staff", user__is_staff=True,
                              user__display_name="Sabine Roth").user
    task = TaskFactory(organisation=organisation, title="Suppenküche am Samstag",
                       purpose="Gemeinsam kochen und essen mit Menschen aus dem Viertel.")
    shift = ShiftFactory(task=task, starts_in=48, capacity=3)
    volunteer = UserFactory(first_name="Hans", last_name="Lehmann", display_name="Hans L.")
    absent = UserFactory(first_name="Mia", last_name="Schulz", display_name="Mia S.")
    came = sign_up(shift, volunteer)
    missed = sign_up(shift, absent)
    # Time passes: the shift took place two days ago.
    move_shift(shift, starts_at=hours_from_now(-50))

    # Staff find the past shift on the task page and open its roster.
    office = new_page()
    log_in(office, staff.email)
    visit(office, f"/tasks/{task.pk}/")
    past = section(office, "Past shifts: attendance and hours")
    expect(past).to_contain_text(
        trn("%(counter)s person confirmed", "%(counter)s people confirmed", 2) % {"counter": 2}
    )
    past.get_by_role("link").first.click()
    expect(heading(office)).to_have_text(f"{tr('Roster')}: {task.title}")
    checked(office)
    expect(office.get_by_role("row")).to_have_count(3)  # the header and two people

    row = office.locator(f"#signup-{came.pk}")
    expect(row.get_by_role("rowheader")).to_have_text("Hans Lehmann")
    expect(row).to_contain_text(volunteer.email)
    field(row, "Attended").check()
    field(row, "Hours").fill("3,5")
    button(row, "Save attendance").click()
    expect(status(office)).to_contain_text(
        tr("Saved: %(name)s attended, %(hours)s hours.") % {"name": "Hans Lehmann", "hours": number(Decimal("3.5"))}
    )
    checked(office)
    row = office.locator(f"#signup-{came.pk}")
    expect(row).to_contain_text(tr("Recorded: attended, %(hours)s hours") % {"hours": number(Decimal("3.5"))})

    row = office.locator(f"#signup-{missed.pk}")
    field(row, "Did not attend").check()
    button(row, "Save attendance").click()
    expect(status(office)).to_contain_text(tr("Saved: %(name)s did not attend.") % {"name": "Mia Schulz"})
    checked(office)
    expect(office.locator(f"#signup-{missed.pk}")).to_contain_text(tr("Recorded: did not attend"))

    # The volunteer sees the hours and asks for a certificate of the last month.
    page = new_page()
    log_in(page, volunteer.email)
    visit(page, "/tasks/mine/")
    expect(heading(page)).to_have_text(tr("My commitments"))
    expect(section(page, "Past shifts").get_by_role("row").filter(has_text=task.title)).to_contain_text(
        number(Decimal("3.5"))
    )
    hours = section(page, "My hours").get_by_role("row").filter(has_text=organisation.name)
    expect(hours).to_contain_text(number(Decimal("3.5")))
    form = page.get_by_role("form", name=tr("Request a certificate"))
    expect(field(form, "Organisation")).to_have_value(str(organisation.pk))
    month_ago = timezone.localdate() - timedelta(days=30)
    field(form, "From").fill(month_ago.isoformat())
    field(form, "Until").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name=tr("Create certificate"), exact=True).click()

    expect(heading(page)).to_have_text(tr("My commitments"))
    expect(status(page)).to_contain_text(tr("Your certificate is ready."))
    checked(page)
    certificate = Certificate.objects.get(user=volunteer)
    code = certificate.verification_code
    assert (certificate.hours, certificate.organisation) == (Decimal("3.50"), organisation)
    listed = section(page, "Certificates").locator(".certificate-list > li")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text(organisation.name)
    expect(listed.first).to_contain_text(tr("%(hours)s hours") % {"hours": number(Decimal("3.5"))})
    expect(listed.first.locator("code")).to_have_text(code)

    # The PDF downloads from the list …
    with page.expect_download() as downloading:
        listed.first.get_by_role("link", name=re.compile("^" + re.escape(tr("Download PDF")))).click()
    download = downloading.value
    assert download.suggested_filename == f"certificate-{code}.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    printed = "\n".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages)
    assert code in printed and task.title in printed and "Hans Lehmann" in printed
    # … and from the link in the message (the same file, fetched with the person's cookies).
    pdf_url = status(page).get_by_role("link", name=tr("Download it as a PDF")).get_attribute("href")
    response = page.context.request.get(pdf_url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # An employer, not signed in, types the printed code into the public check.
    employer = new_page()
    visit(employer, "/tasks/certificates/verify/")
    expect(heading(employer)).to_have_text(tr("Check a volunteering certificate"))
    check = employer.get_by_role("form", name=tr("Enter the code"))
    field(check, "Verification code").fill(code.lower().replace("-", " "))
    check.get_by_role("button", name=tr("Check certificate"), exact=True).click()
    expect(employer).to_have_url(re.compile(re.escape(f"/tasks/certificates/verify/{code}/") + "$"))
    result = employer.locator("main .verify-result")
    expect(result.get_by_role("heading", level=2)).to_have_text(tr("Genuine: yes"))
    checked(employer)
    expect(result).to_contain_text("Hans Lehmann")
    expect(result).to_contain_text(organisation.name)
    expect(result).to_contain_text(number(Decimal("3.5")))
    expect(result.locator("code")).to_have_text(code)
    # The check shows what the certificate states, and nothing else about the person.
    expect(main(employer)).not_to_contain_text(task.title)
    expect(main(employer)).not_to_contain_text(volunteer.email)

    # The same address, typed by hand, answers the same; an unknown code is not genuine.
    visit(employer, f"/tasks/certificates/verify/{code}/")
    expect(employer.locator("main .verify-result h2")).to_have_text(tr("Genuine: yes"))
    response = employer.goto("/tasks/certificates/verify/AAAA-BBBB-CCCC/")
    assert response.status == 404
    checked(employer)
    expect(employer.locator("main .verify-result h2")).to_have_text(tr("Genuine: no"))

    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attended, came.hours, came.attendance_marked_by) == (True, Decimal("3.50"), staff)
    assert (missed.attended, missed.hours) == (False, Decimal("0.00"))
