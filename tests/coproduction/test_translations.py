"""German is the default language: every UI string has a German translation, compiled and current."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/de/LC_MESSAGES/django.po"
MO = ROOT / "locale/de/LC_MESSAGES/django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def live_entries(po):
    return [entry for entry in po if not entry.obsolete]


def test_every_string_is_translated_and_not_fuzzy():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in live_entries(po) if not e.translated()]
    assert untranslated == []


def test_translations_keep_their_placeholders():
    for entry in live_entries(polib.pofile(str(PO))):
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert sorted(set(PLACEHOLDER.findall(translation))) == sorted(set(PLACEHOLDER.findall(entry.msgid))), entry.msgid


def test_compiled_file_matches_the_translations():
    po = {(e.msgid, e.msgctxt): (e.msgstr, dict(e.msgstr_plural)) for e in live_entries(polib.pofile(str(PO)))}
    mo = {(e.msgid, e.msgctxt): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(MO)) if e.msgid}
    assert mo == po, "run `make messages` (or compile the .po) and commit the .mo file"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed (make test installs it)")
def test_no_user_facing_string_is_missing_from_the_translations(tmp_path):
    apps = [path.parent.name for path in ROOT.glob("*/apps.py")]
    for name in ["manage.py", "templates", "locale", *apps]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "de", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "coproduction.settings"},
    )
    fresh = {e.msgid for e in live_entries(polib.pofile(str(tmp_path / "locale/de/LC_MESSAGES/django.po")))}
    committed = {e.msgid for e in live_entries(polib.pofile(str(PO)))}
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new entries"
