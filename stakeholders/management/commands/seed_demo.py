"""Demo content for a local installation: every app's ``demo.py``, run through one DemoSite.

Idempotent: running it again updates the same rows instead of adding new ones. Once everything is
committed, each demo that offers ``settle(site)`` finishes what needs the whole demo (see
``_after_seeding``).
"""
import time

from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from coproduction.contracts import contract_modules
from coproduction.search.index import rebuild
from stakeholders.demo import DemoSite


def demo_order():
    """[(app_config, demo)] in INSTALLED_APPS order, except that a demo runs after the installed apps it NEEDS."""
    waiting = contract_modules("demo", provides="seed")
    installed = {config.label for config, _demo in waiting}
    ordered, done = [], set()
    while waiting:
        ready = next((pair for pair in waiting if set(getattr(pair[1], "NEEDS", ())) & installed <= done), None)
        if ready is None:
            raise CommandError(f"The demos need each other in a circle: {[config.label for config, _ in waiting]}")
        waiting.remove(ready)
        ordered.append(ready)
        done.add(ready[0].label)
    return ordered


class Command(BaseCommand):
    help = "Create or update the demo organisations, people and every app's demo content (idempotent)."

    def handle(self, *args, **options):
        # What happens while seeding notifies the demo people; those emails stay in memory
        # instead of filling the console, and are listed under "Emails sent" in the back office.
        started = time.monotonic()
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            site = self._seed()
            self._after_seeding(site)
        self.stdout.write(self.style.SUCCESS(
            f"Demo content ready in {time.monotonic() - started:.1f} s: {', '.join(site.counts)}. "
            f"{' '.join(site.notes)}".rstrip()
        ))
        sent = len(getattr(mail, "outbox", []))
        if sent:
            self.stdout.write(f"{sent} notification emails were sent to the demo people while seeding.")

    def _after_seeding(self, site):
        """What runs once the demo content is committed (and the tasks it triggered have run).

        The one place for steps that need the whole demo: each demo's ``settle(site)`` (the
        notifications take the moments of the story), then the search index, made whole because
        some demo writes are bulk updates, which pass no signals.
        """
        with transaction.atomic():
            for _config, demo in contract_modules("demo", provides="settle"):
                demo.settle(site)
            rebuild()

    @transaction.atomic
    def _seed(self):
        site = DemoSite()
        for _config, demo in demo_order():
            demo.seed(site)
        return site
