"""The project-wide promises: migrations complete, production settings pass check --deploy."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_migrations_are_complete():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_check_deploy_is_clean_in_production_settings():
    # The browser tests allow sync ORM calls in their own process; a deployment never does.
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="coproduction.settings",
        DATABASE_URL="postgres://koproduktion@db.invalid:5432/koproduktion",
        SECRET_KEY="k" + "".join(chr(ord("a") + (i * 7) % 26) + str(i % 10) for i in range(40)),
        ALLOWED_HOSTS="koproduktion.example",
        CSRF_TRUSTED_ORIGINS="https://koproduktion.example",
        CELERY_BROKER_URL="redis://redis.invalid:6379/0",
        SITE_URL="https://koproduktion.example",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    env["SITE_URL"] = "http://koproduktion.example"
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0 and "coproduction.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="coproduction.settings", DATABASE_URL="postgres://x@db.invalid/x")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_covers_every_role():
    from django.core.management import call_command

    from stakeholders.models import Membership, Organisation, User

    call_command("seed_demo", stdout=open(os.devnull, "w"))
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert set(Membership.objects.approved().values_list("role", flat=True)) == set(Membership.Role.values)
    assert Membership.objects.filter(is_multiplier=True).exists()
    assert Membership.objects.pending().exists()
    assert Organisation.objects.filter(partners__isnull=False).exists()
