"""The account pages and emails (django-allauth's) speak as the rest of the site does: German with
"Sie", and one word per action — the header's "Anmelden" is the sign-in page's heading and button.

allauth's own German says "du"; locale_allauth/ translates those of its texts again. The first test
reads allauth's installed catalogue, so an upgrade that brings a new "du" text fails here.
"""
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils import translation
from django.utils.html import strip_tags

import allauth
from tests.stakeholders.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "locale_allauth/de/LC_MESSAGES/django.po"
ALLAUTH = Path(allauth.__file__).parent / "locale/de/LC_MESSAGES/django.po"
# Informal address: the pronouns and the verb forms and imperatives allauth's German uses with them.
INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|hast|bist|kannst|musst|möchtest|willst|gib|lass|klicke?|rufe|"
                      r"kontaktiere|versuche|wähle|bestätige|erstelle|habe)\b", re.IGNORECASE)
# The parts of allauth this site uses (no social accounts, no second factor, no sessions list).
USED = ("account/", "templates/account/", "core/", "templates/allauth/")


def german(entry):
    with translation.override("de"):
        if entry.msgid_plural:
            return translation.ngettext(entry.msgid, entry.msgid_plural, 2)
        if entry.msgctxt:
            return translation.pgettext(entry.msgctxt, entry.msgid)
        return translation.gettext(entry.msgid)


def test_every_allauth_text_the_site_uses_says_sie_in_german():
    used = [e for e in polib.pofile(str(ALLAUTH)) if not e.obsolete
            and any(path.startswith(USED) for path, _line in e.occurrences)]
    assert len(used) > 100
    informal = {e.msgid: german(e) for e in used if INFORMAL.search(german(e))}
    assert informal == {}, "translate these in locale_allauth/de/LC_MESSAGES/django.po"


def test_the_allauth_catalogue_is_current_compiled_and_apart_from_the_sites_own():
    ours = [e for e in polib.pofile(str(OURS)) if not e.obsolete]
    theirs = {(e.msgctxt, e.msgid) for e in polib.pofile(str(ALLAUTH)) if not e.obsolete}
    assert [e.msgid for e in ours if (e.msgctxt, e.msgid) not in theirs] == [], "allauth no longer has these texts"
    assert [e.msgid for e in ours if not e.translated() or "fuzzy" in e.flags] == []
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    for entry in ours:
        assert sorted(placeholder.findall(entry.msgstr)) == sorted(placeholder.findall(entry.msgid)), entry.msgid
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(OURS.with_suffix(".mo"))) if e.msgid}
    assert compiled == {(e.msgctxt, e.msgid): e.msgstr for e in ours}, "compile locale_allauth (make messages)"
    site = {(e.msgctxt, e.msgid) for e in polib.pofile(str(ROOT / "locale/de/LC_MESSAGES/django.po")) if not e.obsolete}
    assert {(e.msgctxt, e.msgid) for e in ours} & site == set(), "one catalogue per text, or their order matters"
    assert settings.LOCALE_PATHS[1] == ROOT / "locale_allauth"


def main_text(response):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return " ".join(strip_tags(html.split('<main', 1)[1].split("</main>", 1)[0]).split())


def assert_formal(text):
    found = INFORMAL.findall(text)
    assert found == [], f"{found} in: {text}"


@pytest.mark.django_db
def test_the_account_pages_say_sie(client):
    person = UserFactory()
    signed_out = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                  "/accounts/password/reset/done/", "/accounts/confirm-email/", "/accounts/confirm-email/not-a-key/",
                  "/accounts/password/reset/key/1-not-a-key/", "/accounts/confirm-again/"]
    for path in signed_out:
        assert_formal(main_text(client.get(path, follow=True)))
    client.force_login(person)
    for path in ["/accounts/logout/", "/accounts/email/", "/accounts/password/change/",
                 "/accounts/confirm-email/not-a-key/"]:
        assert_formal(main_text(client.get(path)))


@pytest.mark.django_db
def test_one_word_per_action_in_the_header_and_on_the_pages(client):
    for language, sign_in, sign_up in [("de", "Anmelden", "Registrieren"), ("en", "Sign in", "Sign up")]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        login = client.get("/accounts/login/").content.decode()
        header = login.split("<main", 1)[0]
        assert re.search(rf">\s*{sign_in}\s*</a>", header, re.IGNORECASE)
        assert re.search(rf">\s*{sign_up}\s*</a>", header, re.IGNORECASE)
        assert re.search(rf"<h1>\s*{sign_in}\s*</h1>", login, re.IGNORECASE)
        assert re.search(rf'<button[^>]*type="submit"[^>]*>\s*{sign_in}\s*</button>', login, re.IGNORECASE | re.DOTALL)
        signup = client.get("/accounts/signup/").content.decode()
        assert re.search(rf"<h1>\s*{sign_up}\s*</h1>", signup, re.IGNORECASE)
        assert re.search(rf'<button type="submit"[^>]*>\s*{sign_up}\s*</button>', signup, re.IGNORECASE)


@pytest.mark.django_db
def test_the_account_emails_say_sie_and_greet_with_the_platforms_name(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    client.post("/accounts/signup/", {"email": "neu@example.org", "display_name": "Neu", "language": "de",
                                      "password1": PASSWORD, "password2": PASSWORD})
    existing = UserFactory(email="da@example.org")
    client.post("/accounts/signup/", {"email": "da@example.org", "display_name": "Noch mal", "language": "de",
                                      "password1": PASSWORD, "password2": PASSWORD})
    client.post("/accounts/password/reset/", {"email": existing.email})
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert message.body.startswith("Hallo von Koproduktion!"), message.body
        assert "example.com" not in message.body
        assert_formal(message.subject + " " + message.body)
    assert "Sie erhalten diese E-Mail" in mail.outbox[1].body


@pytest.mark.django_db
def test_a_used_reset_link_says_sie(client):
    person = UserFactory()
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(person)
    path = f"/accounts/password/reset/key/{user_pk_to_url_str(person)}-{key}/"
    response = client.get(path, follow=True)
    assert response.status_code == 200
    person.set_password("ein-ganz-anderes-passwort-7")
    person.save()
    assert_formal(main_text(client.get(path, follow=True)))
