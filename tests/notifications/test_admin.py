"""The notifications back office: staff look at what their organisation's things told whom; nobody edits."""
import pytest

from notifications.models import Activity, Delivery, Notification
from proposals import services as proposals
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import UserFactory
from tests.wiki.factories import PageFactory, SpaceFactory
from wiki import services as wiki

pytestmark = pytest.mark.django_db
ADMIN = "/admin/notifications"


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def told(proposal, text):
    """A comment on ``proposal`` and the notification its follower got about it."""
    follower = UserFactory()
    proposals.proposal_follow(proposal=proposal, user=follower)
    comment = proposals.comment_create(proposal=proposal, author=UserFactory(), text=text)
    return Notification.objects.get(activity__target_id=comment.pk, recipient=follower)


@pytest.fixture
def own(organisation):
    return told(ProposalFactory(organisation=organisation, title="Eigener Leihladen"), "Eigener Kommentar")


@pytest.fixture
def foreign(other_organisation):
    return told(ProposalFactory(organisation=other_organisation, title="Fremder Bolzplatz"), "Fremder Kommentar")


@pytest.fixture
def platform_wide():
    """A notification about the shared wiki space, which belongs to no organisation."""
    space = SpaceFactory(organisation=None)
    watcher = UserFactory()
    wiki.space_watch(space=space, user=watcher)
    PageFactory(space=space, title="Gemeinsame Seite")
    return Notification.objects.get(recipient=watcher)


@pytest.fixture
def delivery(own):
    sent = Delivery.objects.create(recipient=own.recipient, kind="daily", period="2030-01-07", status="sent",
                                   subject="Ihre tägliche Zusammenfassung", item_count=1)
    Notification.objects.filter(pk=own.pk).update(delivery=sent)
    return sent


def test_staff_see_the_notifications_about_their_organisations_things_only(client, staff, own, foreign,
                                                                           platform_wide):
    client.force_login(staff)
    response = client.get(f"{ADMIN}/notification/")
    assert response.status_code == 200
    assert "Eigener Leihladen" in response.text
    assert "Fremder Bolzplatz" not in response.text and "Gemeinsame Seite" not in response.text
    assert client.get(f"{ADMIN}/notification/{own.pk}/change/").status_code == 200


def test_searching_and_filtering_stay_within_the_organisation(client, staff, own, foreign):
    client.force_login(staff)
    for query in ["?q=Bolzplatz", "?q=comment.created", "?category__exact=proposals", "?channel__exact=daily"]:
        page = client.get(f"{ADMIN}/notification/{query}").text
        assert "Fremder Bolzplatz" not in page, query
    assert "Eigener Leihladen" in client.get(f"{ADMIN}/notification/?q=Leihladen").text


def test_the_email_status_is_shown(client, staff, own, delivery):
    client.force_login(staff)
    page = client.get(f"{ADMIN}/notification/").text
    assert '<td class="field-email_status">Sent</td>' in page
    assert '<td class="field-read_at nowrap">-</td>' in page


@pytest.mark.parametrize("view", ["change", "history"])
def test_staff_cannot_open_another_organisations_notification_by_url(client, staff, foreign, platform_wide, view):
    client.force_login(staff)
    for notification in (foreign, platform_wide):
        response = client.get(f"{ADMIN}/notification/{notification.pk}/{view}/", follow=True)
        assert response.redirect_chain and response.redirect_chain[-1][0] == "/admin/"
        assert "Fremder" not in response.text and "Gemeinsame Seite" not in response.text


def test_staff_may_not_see_the_emails_sent_or_the_whole_activity_log(client, staff, delivery, foreign):
    client.force_login(staff)
    index = client.get("/admin/").text
    assert f"{ADMIN}/notification/" in index
    assert f"{ADMIN}/delivery/" not in index and f"{ADMIN}/activity/" not in index
    assert client.get(f"{ADMIN}/delivery/").status_code == 403
    assert client.get(f"{ADMIN}/delivery/{delivery.pk}/change/").status_code in (302, 403)
    assert "Ihre tägliche" not in client.get(f"{ADMIN}/delivery/{delivery.pk}/change/", follow=True).text
    assert client.get(f"{ADMIN}/activity/").status_code == 403
    assert client.get(f"{ADMIN}/activity/{foreign.activity_id}/change/").status_code in (302, 403)


def test_people_without_a_staff_role_see_nothing(client, own):
    volunteer = UserFactory(is_staff=True)  # back-office access without any staff role (left since)
    client.force_login(volunteer)
    assert client.get(f"{ADMIN}/notification/").status_code == 403
    assert client.get(f"{ADMIN}/notification/{own.pk}/change/").status_code in (302, 403)
    client.force_login(own.recipient)
    response = client.get(f"{ADMIN}/notification/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_superusers_see_everything(client, superuser, own, foreign, platform_wide, delivery):
    client.force_login(superuser)
    page = client.get(f"{ADMIN}/notification/").text
    assert "Eigener Leihladen" in page and "Fremder Bolzplatz" in page and "Gemeinsame Seite" in page
    assert client.get(f"{ADMIN}/notification/{foreign.pk}/change/").status_code == 200
    emails = client.get(f"{ADMIN}/delivery/")
    assert emails.status_code == 200 and "2030-01-07" in emails.text
    assert client.get(f"{ADMIN}/delivery/{delivery.pk}/change/").status_code == 200
    assert client.get(f"{ADMIN}/activity/").status_code == 200
    assert f"{ADMIN}/delivery/" in client.get("/admin/").text


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_nothing_can_be_added_changed_or_deleted(client, request, who, own, delivery):
    client.force_login(request.getfixturevalue(who))
    page = client.get(f"{ADMIN}/notification/{own.pk}/change/").text
    assert 'name="_save"' not in page and 'name="channel"' not in page
    assert client.get(f"{ADMIN}/notification/add/").status_code == 403
    assert client.post(f"{ADMIN}/notification/{own.pk}/change/", {"channel": "app"}).status_code == 403
    assert client.post(f"{ADMIN}/notification/{own.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(f"{ADMIN}/notification/", {"action": "delete_selected", "_selected_action": [own.pk],
                                                      "post": "yes"})
    assert response.status_code in (200, 302)
    if who == "superuser":
        assert client.get(f"{ADMIN}/delivery/add/").status_code == 403
        assert client.post(f"{ADMIN}/delivery/{delivery.pk}/change/", {"status": "pending"}).status_code == 403
        assert client.post(f"{ADMIN}/delivery/{delivery.pk}/delete/", {"post": "yes"}).status_code == 403
        assert client.post(f"{ADMIN}/activity/{own.activity_id}/delete/", {"post": "yes"}).status_code == 403
    own.refresh_from_db()
    delivery.refresh_from_db()
    assert own.channel == "daily" and delivery.status == "sent"
    assert Notification.objects.filter(pk=own.pk).exists() and Activity.objects.filter(pk=own.activity_id).exists()
