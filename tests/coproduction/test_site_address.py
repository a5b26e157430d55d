"""Links and greetings name the platform where it is served: the Sites entry follows SITE_URL and
SITE_NAME after every migrate, and `make run HOST=…` sets SITE_URL to the address it serves."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command

from coproduction.sites import site_domain, sync_site

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_site_carries_the_platforms_name_and_address_after_migrate(settings):
    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("Koproduktion", site_domain(settings.SITE_URL))
    settings.SITE_URL, settings.SITE_NAME = "https://koproduktion.example", "Koproduktion Kassel"
    call_command("migrate", "sites", verbosity=0)
    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("Koproduktion Kassel", "koproduktion.example")


@pytest.mark.django_db
def test_sync_creates_the_site_when_it_is_missing(settings):
    Site.objects.all().delete()
    settings.SITE_URL = "http://127.0.0.1:8080"
    sync_site()
    assert Site.objects.get(pk=settings.SITE_ID).domain == "127.0.0.1:8080"


@pytest.mark.parametrize("url, domain", [
    ("https://koproduktion.example", "koproduktion.example"),
    ("http://127.0.0.1:8080/", "127.0.0.1:8080"),
    ("http://[::1]:9000", "[::1]:9000"),
    ("", "127.0.0.1:8000"),
])
def test_the_domain_is_the_host_and_port_of_site_url(settings, url, domain):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert site_domain(url) == domain


def make_run(*args, **env):
    """What `make run …` would execute (make -n prints the commands without running them)."""
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"} | env
    result = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env=environment, capture_output=True,
                            text=True, check=True)
    return [line for line in result.stdout.splitlines() if "manage.py" in line]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("host, site_url", [
    (None, "http://127.0.0.1:8000"),
    ("0.0.0.0:8080", "http://127.0.0.1:8080"),
    ("8081", "http://127.0.0.1:8081"),
    ("localhost:8002", "http://localhost:8002"),
    ("[::]:9000", "http://[::1]:9000"),
])
def test_make_run_points_links_to_the_address_it_serves(host, site_url):
    commands = make_run(*([f"HOST={host}"] if host else []))
    assert [re.match(r'SITE_URL="([^"]*)" ', line).group(1) for line in commands] == [site_url] * 3
    assert commands[-1].endswith(f"manage.py runserver {host or '127.0.0.1:8000'}")
    assert "migrate" in commands[0]  # the Sites entry follows before anything is served


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_an_explicit_site_url_wins_over_the_served_address():
    from_environment = make_run("HOST=0.0.0.0:8080", SITE_URL="https://koproduktion.example")
    from_command_line = make_run("HOST=0.0.0.0:8080", "SITE_URL=http://192.168.1.20:8080")
    assert all(line.startswith('SITE_URL="https://koproduktion.example" ') for line in from_environment)
    assert all(line.startswith('SITE_URL="http://192.168.1.20:8080" ') for line in from_command_line)
