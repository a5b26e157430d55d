"""Runs the whole installation on this machine's loopback under mixed traffic, with faults, and checks it.

The database named by DATABASE_URL (its name must contain "load", e.g. koproduktion_load) is dropped,
created, migrated and seeded; gunicorn (4 workers) and a Celery worker (prefork, 2 processes) start
against it, with a Redis database of their own as broker (``--redis-db``) and the next one as cache, and
write their emails to files. 32 clients then browse and act for ``--seconds`` (60), then come the fault
phases (``--faults``, all by default): PostgreSQL restarted under load, Redis stopped for 30 s under load,
a Celery worker killed with SIGKILL during a digest. Each phase prints its figures and its invariants;
the command fails when any is violated. It restarts this machine's PostgreSQL cluster that serves
DATABASE_URL's port (pg_ctlcluster) and stops the Redis on ``--redis-port`` (6379, started again with the
CI script's command line): run it only where nothing else needs them meanwhile. PostgreSQL and Redis are
left running even when it fails.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/koproduktion_load SECRET_KEY=load \\
        python manage.py load_and_faults                # --seconds 60 --faults postgres,redis,celery
"""
import shutil
import tempfile
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from coproduction.celery import app as celery_app
from loadtest import faults, installation, world
from loadtest.traffic import Traffic

PHASES = {"postgres": faults.postgres, "redis": faults.redis, "celery": faults.celery}


class Command(BaseCommand):
    help = ("Load the whole installation (gunicorn, a Celery worker, PostgreSQL, Redis) with 32 clients, restart "
            "PostgreSQL, stop Redis and kill a worker meanwhile, and check the invariants; restarts this machine's "
            "PostgreSQL and Redis.")
    requires_system_checks = []  # the database it checks against does not exist yet

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=60, help="seconds of the plain load (default 60)")
        parser.add_argument("--faults", default=",".join(PHASES), dest="fault_phases",
                            help="fault phases to run after it, comma-separated, or 'none' (default: all)")
        parser.add_argument("--clients", type=int, default=32)
        parser.add_argument("--members", type=int, default=10, help="clients that sign in and act (default 10)")
        parser.add_argument("--web-workers", type=int, default=4, dest="web_workers")
        parser.add_argument("--worker-processes", type=int, default=2, dest="worker_processes")
        parser.add_argument("--redis-port", type=int, default=6379, dest="redis_port",
                            help="port of the machine's Redis that the run stops and starts (default 6379)")
        parser.add_argument("--redis-db", type=int, default=9, dest="redis_db",
                            help="Redis database of the broker; the next one is the cache (both are emptied)")
        parser.add_argument("--keep", action="store_true", help="keep the folder of logs and emails")

    def handle(self, *args, seconds, fault_phases, clients, members, web_workers, worker_processes, redis_port,
               redis_db, keep, **options):
        chosen = [] if fault_phases.strip() in ("", "none") else [name.strip() for name in fault_phases.split(",")]
        unknown = set(chosen) - set(PHASES)
        if unknown:
            raise CommandError(f"Unknown fault phases: {', '.join(sorted(unknown))}; choose from {', '.join(PHASES)}.")
        self._refuse_unless_dedicated()
        started = time.monotonic()
        folder = tempfile.mkdtemp(prefix="kp-load-")
        setup = installation.Installation(
            folder=folder, web_workers=web_workers, worker_concurrency=worker_processes,
            redis=installation.Redis(redis_port), redis_db=redis_db,
            extra_env={"NOTIFICATIONS_BATCH_SIZE": "25", "CELERY_VISIBILITY_TIMEOUT": str(faults.VISIBILITY_TIMEOUT)},
        )
        celery_app.conf.update(broker_url=setup.broker_url, task_always_eager=False,
                               broker_transport_options={**celery_app.conf.broker_transport_options,
                                                         "visibility_timeout": faults.VISIBILITY_TIMEOUT})
        run = None
        try:
            the_world = self._prepare(setup)
            traffic = Traffic(the_world, setup.base_url, clients=clients, members=members)
            run = faults.Run(installation=setup, world=the_world, traffic=traffic, write=self.stdout.write,
                             celery_app=celery_app)
            faults.load(run, seconds)
            for name in chosen:
                PHASES[name](run)
        finally:
            setup.close()
            connection.close()
            installation.postgres_ensure_running()
            setup.redis.ensure_running()
            setup.remove_static()
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
        self._summary(run, time.monotonic() - started, folder if keep else None)

    def _refuse_unless_dedicated(self):
        db = connection.settings_dict
        if connection.vendor != "postgresql" or "load" not in db["NAME"]:
            raise CommandError("Point DATABASE_URL at a PostgreSQL database of its own whose name contains 'load' "
                               "(e.g. koproduktion_load): the run drops and recreates it.")
        if not installation.loopback(f"//{db['HOST'] or '127.0.0.1'}"):
            raise CommandError("The run restarts PostgreSQL on this machine: DATABASE_URL must point at 127.0.0.1.")
        installation.pg_cluster()  # the cluster to restart must be one of this machine's

    def _prepare(self, setup):
        installation.postgres_ensure_running()
        setup.redis.ensure_running()
        clock = time.monotonic()
        setup.recreate_database()
        migrated = time.monotonic() - clock
        clock = time.monotonic()
        setup.collect_static()
        collected = time.monotonic() - clock
        setup.empty_redis()
        clock = time.monotonic()
        the_world = world.seed()
        seeded = time.monotonic() - clock
        setup.start_web()
        setup.start_worker()
        self.stdout.write(
            f"database {connection.settings_dict['NAME']} recreated and migrated in {migrated:.0f} s, static files "
            f"collected in {collected:.0f} s, seeded in {seeded:.0f} s: {len(the_world.people)} people, "
            f"{len(the_world.proposals)} proposals, a budget in voting with {len(the_world.entries)} proposals, "
            f"{len(the_world.shifts)} shifts of {len(the_world.tasks)} tasks, {len(the_world.wiki_pages)} wiki pages")
        self.stdout.write(
            f"gunicorn with {setup.web_workers} workers at {setup.base_url}, a Celery worker with "
            f"{setup.worker_concurrency} pool processes; Redis databases {setup.redis_dbs[0]} (broker) and "
            f"{setup.redis_dbs[1]} (cache); emails to {setup.emails}")
        return the_world

    def _summary(self, run, seconds, kept):
        self.stdout.write("")
        where = f"; logs and emails in {kept}" if kept else ""
        if run is None or not run.violations:
            self.stdout.write(f"done in {seconds:.0f} s: invariants: 0 violations in every phase{where}")
            return
        phases = sorted({phase for phase, _problem in run.violations})
        raise CommandError(f"{len(run.violations)} invariant violations (in {', '.join(phases)}) after "
                           f"{seconds:.0f} s{where}")
