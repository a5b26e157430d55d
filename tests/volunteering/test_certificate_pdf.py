"""The certificate PDF (who may download it, what it says) and the public verification page."""
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.stakeholders.factories import MembershipFactory, UserFactory
from volunteering import services

from .factories import TaskFactory
from .test_recognition import done_shift
from .test_views import english, login_url_for  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(db):
    return UserFactory(first_name="Elif", last_name="Yılmaz", email="elif@example.org", phone="0170 7654321")


@pytest.fixture
def certificate(organisation, staff, holder):
    for title, hours in [("Reparaturcafé, Werkstatt", "3"), ("Runder Tisch Nordstadt", "1.5")]:
        _shift, record = done_shift(organisation, holder, task=TaskFactory(organisation=organisation, title=title),
                                    days_ago=3 if hours == "3" else 5)
        services.attendance_mark(sign_up=record, actor=staff, attended=True, hours=hours)
    return services.certificate_issue(user=holder, organisation=organisation,
                                      period_start=timezone.localdate() - timedelta(days=30),
                                      period_end=timezone.localdate())


def pdf_url(certificate):
    return f"/tasks/certificates/{certificate.verification_code}.pdf"


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_holder_downloads_a_pdf_with_hours_tasks_code_and_address(client, certificate, holder, organisation):
    client.force_login(holder)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificate-{certificate.verification_code}.pdf"')
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert certificate.verification_code in text
    assert "Elif Yılmaz" in text and organisation.name in text
    assert "Reparaturcafé, Werkstatt" in text and "Runder Tisch Nordstadt" in text
    assert "4.50" in text and "3.00" in text and "1.50" in text
    assert f"/tasks/certificates/verify/{certificate.verification_code}/" in text
    assert "elif@example.org" not in text and "0170 7654321" not in text


def test_staff_of_the_organisation_may_download_it_too(client, certificate, staff, superuser):
    for someone in [staff, superuser]:
        client.force_login(someone)
        assert client.get(pdf_url(certificate)).status_code == 200


def test_nobody_else_gets_the_pdf(client, certificate, other_staff, organisation):
    assert login_url_for(client.get(pdf_url(certificate)), "/tasks/certificates/")
    for someone in [other_staff, UserFactory(), MembershipFactory(organisation=organisation, role="volunteer").user]:
        client.force_login(someone)
        response = client.get(pdf_url(certificate))
        assert response.status_code == 403 and not response.content.startswith(b"%PDF")


def test_an_unknown_code_is_404(client, holder):
    client.force_login(holder)
    assert client.get("/tasks/certificates/AAAA-BBBB-CCCC.pdf").status_code == 404
    assert client.get("/tasks/certificates/nonsense.pdf").status_code == 404


def test_my_commitments_link_the_pdf(client, certificate, holder):
    client.force_login(holder)
    page = client.get("/tasks/mine/").text
    assert f'href="{pdf_url(certificate)}"' in page and "Download PDF" in page


# --- verification ----------------------------------------------------------------------------------

def test_anyone_verifies_a_certificate_and_sees_only_what_it_states(client, certificate, organisation):
    response = client.get(f"/tasks/certificates/verify/{certificate.verification_code}/")
    assert response.status_code == 200
    page = response.text
    assert "Genuine: yes" in page
    assert "Elif Yılmaz" in page and organisation.name in page and "4.50" in page
    for private in ["elif@example.org", "0170 7654321", "Reparaturcafé", "Runder Tisch"]:
        assert private not in page, private
    assert '<meta name="robots" content="noindex">' in page and response["X-Robots-Tag"] == "noindex"


def test_the_form_accepts_the_code_as_people_type_it(client, certificate):
    code = certificate.verification_code
    typed = code.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    response = client.get("/tasks/certificates/verify/", {"code": typed})
    assert response.status_code == 302 and response.url == f"/tasks/certificates/verify/{code}/"
    page = client.get("/tasks/certificates/verify/").text
    assert 'name="code"' in page and "Check certificate" in page and "Verification code" in page


@pytest.mark.parametrize("code", ["", "ABC", "ÄÄÄÄ-ÄÄÄÄ-ÄÄÄÄ", "<script>alert(1)</script>"])
def test_a_malformed_code_gets_a_message(client, code):
    response = client.get("/tasks/certificates/verify/", {"code": code})
    assert response.status_code == 400
    assert "This field is required." in response.text or "This is not a verification code." in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_an_unknown_code_is_not_genuine(client, certificate):
    response = client.get("/tasks/certificates/verify/ZZZZ-ZZZZ-ZZZZ/")
    assert response.status_code == 404
    assert "Genuine: no" in response.text and "Elif" not in response.text
