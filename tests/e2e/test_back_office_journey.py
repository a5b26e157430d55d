"""A staff member's day in the back office, from its start page alone: what needs attention → hide a
reported comment with a public reason → answer the proposal waiting longest → approve a request to join
→ create a task with two shifts and publish it in one save → write to its volunteers after seeing how
many it reaches; the volunteer finds the message in the inbox and, by their channel, in an email.
axe checks every page on the way."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from proposals.models import Proposal, Report
from stakeholders.models import Membership
from tests.proposals.factories import CommentFactory, ProposalFactory, ReportFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import sign_up
from volunteering.models import Task

from .support import checked, log_in, tr, trn, visit

pytestmark = pytest.mark.e2e


def notice(page):
    return page.locator(".messagelist")


def test_staff_finish_the_days_work_from_the_start_page(new_page, mailoutbox):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor")
    staff = MembershipFactory(organisation=organisation, role="staff", user__is_staff=True,
                              user__display_name="Miriam Koch").user
    now = timezone.now()
    discussed = ProposalFactory(organisation=organisation, title="Sitzbänke am Spielplatz",
                                published_at=now - timedelta(days=3))
    comment = CommentFactory(proposal=discussed, text="Das ist doch Unsinn, ihr Idioten.")
    ReportFactory(proposal=discussed, comment=comment, reason="Beleidigend.")
    oldest = ProposalFactory(organisation=organisation, title="Leihladen für Werkzeug",
                             published_at=now - timedelta(days=12))
    asking = MembershipFactory(organisation=organisation, role="volunteer", status=Membership.Status.REQUESTED,
                               user__display_name="Lea Vogel")
    volunteer = UserFactory(display_name="Tom Berger")

    office = new_page()
    log_in(office, staff.email)
    visit(office, "/admin/")
    expect(office.locator("h1")).to_have_text(tr("What needs attention"))
    card = office.locator("section.attention")
    expect(card.locator("h2")).to_have_text(organisation.name)
    expect(card).to_contain_text(trn("proposal waiting for a first answer", "proposals waiting for a first answer", 2))

    # 1. The reported comment: hidden with a reason, from the report's page.
    card.get_by_role("link", name=trn("open report", "open reports", 1), exact=True).click()
    checked(office)
    office.locator("#result_list tbody").get_by_role("link").first.click()
    checked(office)
    hide = office.locator('form[data-decision="hide"]')
    hide.get_by_label(tr("Reason for hiding")).fill("Beleidigt andere Menschen.")
    hide.get_by_role("button", name=tr("Hide with a public reason")).click()
    expect(notice(office)).to_contain_text(tr("The content is hidden with your reason."))
    checked(office)
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Beleidigt andere Menschen."
    assert Report.objects.get().status == Report.Status.HIDDEN

    # 2. The proposal waiting longest, named on the start page: answered in one form.
    visit(office, "/admin/")
    office.locator("ol.examples").get_by_role("link").first.click()
    checked(office)
    expect(office.locator("h1, #content h2").first).to_be_visible()
    answer = office.locator('form[data-decision="answer"]')
    expect(answer).to_contain_text(trn("Waiting for a first answer for %d day.",
                                       "Waiting for a first answer for %d days.", 12) % 12)
    answer.get_by_label(tr("New status")).select_option(Proposal.Status.ACCEPTED)
    answer.get_by_label(tr("Public response")).fill("Gute Idee: Wir richten den Leihladen im Frühjahr ein.")
    answer.get_by_role("button", name=tr("Answer with a decision")).click()
    expect(notice(office)).to_contain_text(tr("Answered: the proposal is now “%(status)s”, with your public response.")
                                           % {"status": tr("Accepted")})
    checked(office)
    oldest.refresh_from_db()
    assert oldest.status == Proposal.Status.ACCEPTED

    # 3. The request to join: approved on its page.
    office.locator("section.attention").get_by_role("link", name=trn("request to join", "requests to join", 1),
                                                    exact=True).click()
    checked(office)
    office.locator("#result_list tbody").get_by_role("link").first.click()
    checked(office)
    office.locator('form[data-decision="approve"]').get_by_role("button", name=tr("Approve the request")).click()
    expect(notice(office)).to_contain_text(tr("%(name)s now holds the role “%(role)s”.") % {
        "name": "Lea Vogel", "role": tr("Volunteer")})
    checked(office)
    asking.refresh_from_db()
    assert asking.status == Membership.Status.APPROVED

    # 4. A task with two shifts, published in the same save.
    visit(office, "/admin/volunteering/task/add/")
    office.get_by_label(tr("organisation"), exact=False).first.select_option(str(organisation.pk))
    office.locator("#id_title").fill("Aufbau beim Kiezfest")
    office.locator("#id_purpose").fill("Bänke und Zelte aufstellen, damit das Fest beginnen kann.")
    office.locator("#id_location").fill("Platz vor dem Stadtteilzentrum")
    office.locator("#shifts-group .add-row a").click()  # a second row of the shift table
    for row, days in ((0, 5), (1, 6)):
        day = timezone.localtime(now + timedelta(days=days))
        office.locator(f"#id_shifts-{row}-starts_at_0").fill(day.strftime("%d.%m.%Y"))
        office.locator(f"#id_shifts-{row}-starts_at_1").fill("10:00")
        office.locator(f"#id_shifts-{row}-ends_at_0").fill(day.strftime("%d.%m.%Y"))
        office.locator(f"#id_shifts-{row}-ends_at_1").fill("13:00")
        office.locator(f"#id_shifts-{row}-capacity").fill("4")
    checked(office)  # every input of the shift table has a name
    office.get_by_role("button", name=tr("Save and publish")).click()
    expect(notice(office)).to_contain_text(
        tr("“%(title)s” is published: volunteers can now find it and sign up.") % {"title": "Aufbau beim Kiezfest"})
    checked(office)
    task = Task.objects.get(title="Aufbau beim Kiezfest")
    assert task.status == Task.Status.PUBLISHED and task.shifts.count() == 2
    sign_up(task.shifts.order_by("starts_at").first(), volunteer)

    # 5. A message to the task's volunteers: first how many it reaches, then sent.
    office.locator("#result_list").get_by_role("link", name="Aufbau beim Kiezfest").click()
    checked(office)
    office.get_by_role("link", name=tr("Write to its volunteers")).click()
    checked(office)
    office.get_by_label(tr("Subject")).fill("Treffpunkt am Samstag")
    office.get_by_label(tr("Text")).fill("Wir treffen uns um 9:45 am Hintereingang. Plan: https://wesertor.example/plan")
    office.get_by_role("button", name=tr("See whom it reaches")).click()
    expect(office.locator("p.reach")).to_have_attribute("data-reach", "1")
    checked(office)
    office.get_by_role("button", name=tr("Send now")).click()
    expect(notice(office)).to_contain_text(
        trn("Sent to %(count)d person. Each one hears of it the way they chose.",
            "Sent to %(count)d people. Each one hears of it the way they chose.", 1) % {"count": 1})
    checked(office)

    # The volunteer finds it in the inbox, and by email (messages come right away by default).
    inbox = new_page()
    log_in(inbox, volunteer.email)
    visit(inbox, "/notifications/")
    said = tr("Message from %(organisation)s: %(subject)s") % {"organisation": organisation.name,
                                                                "subject": "Treffpunkt am Samstag"}
    expect(inbox.locator("main")).to_contain_text(said)
    inbox.locator("main").get_by_text(said).first.click()
    checked(inbox)
    expect(inbox.locator("main")).to_contain_text("Wir treffen uns um 9:45 am Hintereingang.")
    expect(inbox.locator("main").get_by_role("link", name="https://wesertor.example/plan")).to_be_visible()
    emails = [m for m in mailoutbox if m.to == [volunteer.email] and "Treffpunkt am Samstag" in m.subject]
    assert len(emails) == 1 and "Wir treffen uns um 9:45" in emails[0].body
