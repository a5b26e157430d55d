"""The embedded SQLite mode end to end, whatever database the suite runs on: a fresh SQLite file is
migrated by manage.py in a subprocess (creating the FTS5 table), objects are written the ordinary
way and with a bulk insert, the index is rebuilt, and the search service answers "Bank" with "Bänke".
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from coproduction.search import search
from proposals.models import Proposal
from stakeholders.models import Organisation

def found(query):
    return {group.kind.name: sorted(r.url for r in group.results) for group in search(AnonymousUser(), query)}

organisation = Organisation.objects.create(name="Nachbarschaftshaus", slug="nh", purpose="Treffpunkt.", city="Kassel")
proposal = Proposal.objects.create(organisation=organisation, title="Neue Bänke im Stadtpark", summary="Zum Ausruhen.",
                                   text="Sechs Stück.", planning="together", delivery="together", status="published")
Proposal.objects.create(organisation=organisation, title="Eine Bank im Entwurf", summary="Privat.", text="…",
                        planning="together", delivery="together", status="draft")
bulk = Proposal.objects.bulk_create([Proposal(organisation=organisation, title="Bankreihe am Ufer", summary="Am Fluss.",
                                              text="…", planning="together", delivery="together", status="published")])
before = found("Bank")
call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
after = found("Bänken")
proposal.delete()
print(json.dumps({"vendor": connection.vendor, "before": before, "after": after, "deleted": found("Bank"),
                  "proposal": f"/proposals/{proposal.pk or 0}/", "ids": [p.pk for p in bulk]}))
"""


def run(database, *args):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "DJANGO_"))}
    env.update(DATABASE_URL=f"sqlite:///{database}", SECRET_KEY="sqlite-end-to-end-" + "x" * 40,
               CELERY_TASK_ALWAYS_EAGER="true")
    env.pop("CELERY_BROKER_URL", None)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600, check=True)


def test_bank_finds_benches_on_the_embedded_sqlite(tmp_path):
    database = tmp_path / "db.sqlite3"
    run(database, "migrate", "--noinput", "-v", "0")
    output = run(database, "shell", "-c", SCRIPT).stdout.strip().splitlines()[-1]
    answer = json.loads(output)
    assert answer["vendor"] == "sqlite"
    first = answer["before"]["proposals"]
    assert len(first) == 1  # the published proposal with "Bänke"; not the draft, not yet the bulk row
    assert answer["after"]["proposals"] == sorted([first[0], f"/proposals/{answer['ids'][0]}/"])
    assert answer["deleted"]["proposals"] == [f"/proposals/{answer['ids'][0]}/"]
