"""The installation under load, on this machine's loopback: its database, gunicorn, a Celery worker, and the
machine's PostgreSQL and Redis, which the fault phases restart and stop.

Every child process runs in a process group of its own with its output in a log file of the run's folder,
so stopping it (SIGTERM, then SIGKILL after a grace period) ends its workers or pool too. The web processes
and the worker get the same environment: the run's database, a Redis database of its own for the broker
and one for the cache (both emptied when the run starts), emails written to files (one file per
connection, flushed after each email, so an email survives a killed worker) and DEBUG off, as in
production behind a proxy that terminates TLS (the clients send X-Forwarded-Proto: https).
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg2
from django.conf import settings
from django.db import connection

REDIS_HOST = "127.0.0.1"


class RunError(Exception):
    """The run cannot go on (a process would not start, a service stayed away): it stops and cleans up."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what, check, deadline_seconds, interval=0.2):
    """Calls ``check`` until it is true; the seconds it took, or RunError after ``deadline_seconds``."""
    started = time.monotonic()
    while True:
        try:
            if check():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - not there yet, whatever the reason: ask again until the deadline
            pass
        if time.monotonic() - started > deadline_seconds:
            raise RunError(f"{what}: not within {deadline_seconds} s")
        time.sleep(interval)


class Child:
    """One process of the installation, in its own process group, writing to ``log``."""

    def __init__(self, name, argv, *, env, log):
        self.name, self.argv, self.env, self.log = name, argv, env, Path(log)
        self.process = None

    def start(self):
        with open(self.log, "a") as output:
            self.process = subprocess.Popen(self.argv, cwd=settings.BASE_DIR, env=self.env, stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def children(self):
        """The pids of this process's own child processes (a Celery worker's pool), read from /proc."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.pid:
                    found.append(int(entry.name))
        return sorted(found)

    def kill(self):
        """SIGKILL to the whole process group: the process and everything it started die at once."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)

    def stop(self, grace=15):
        """SIGTERM to the group (gunicorn and Celery shut down warm), SIGKILL after ``grace`` seconds."""
        if not self.alive():
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
        except ProcessLookupError:
            pass

    def log_tail(self, lines=15):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Installation:
    """The run's database, web processes and worker. ``close()`` stops whatever is still running."""

    def __init__(self, *, folder, web_workers, worker_concurrency, redis, redis_db, extra_env=None):
        self.folder = Path(folder)
        self.emails = self.folder / "emails"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.web_workers, self.worker_concurrency = web_workers, worker_concurrency
        self.redis = redis
        self.broker_url = f"redis://{REDIS_HOST}:{redis.port}/{redis_db}"
        self.cache_url = f"rediscache://{REDIS_HOST}:{redis.port}/{redis_db + 1}"
        self.redis_dbs = (redis_db, redis_db + 1)
        self.web = self.worker = None
        self.replaced_workers = []
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{self.port}",
            "CELERY_BROKER_URL": self.broker_url,
            "CACHE_URL": self.cache_url,
            "EMAIL_URL": f"filemail:///{self.emails}",  # the URL's path without its first "/" is the folder
            "STATIC_ROOT": str(self.folder / "static"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            # All clients sign in from 127.0.0.1, where the site's visitors each have an address of their
            # own: the limit of 30 sign-ins a minute from one address would refuse the run's own traffic.
            "RATE_LIMIT_LOGIN": "600/m/ip",
            **(extra_env or {}),
        }

    # --- the database ----------------------------------------------------------------------

    def recreate_database(self):
        """Drops and creates the run's database (the one DATABASE_URL names), then migrates it."""
        from django.core.management import call_command

        name = connection.settings_dict["NAME"]
        connection.close()
        with maintenance_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        call_command("migrate", verbosity=0, interactive=False)

    def collect_static(self):
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=settings.BASE_DIR,
                       env=self.env, check=True, timeout=300, stdout=subprocess.DEVNULL)

    def empty_redis(self):
        """Empties the run's own two Redis databases (broker and cache), never another one."""
        for db in self.redis_dbs:
            subprocess.run(self.redis.cli("flushdb", db=db), check=True, timeout=10, stdout=subprocess.DEVNULL)

    # --- processes -------------------------------------------------------------------------

    def start_web(self):
        self.emails.mkdir(parents=True, exist_ok=True)
        self.web = Child("gunicorn", [
            sys.executable, "-m", "gunicorn", "coproduction.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.web_workers), "--timeout", "30", "--graceful-timeout", "5", "--backlog", "512",
        ], env=self.env, log=self.folder / "gunicorn.log").start()
        wait_for("gunicorn answering /livez", self._livez, 60)

    def _livez(self):
        if not self.web.alive():
            raise RunError(f"gunicorn exited:\n{self.web.log_tail()}")
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(b"GET /livez HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n")
            return sock.recv(64).split(b"\r\n", 1)[0].endswith(b" 200 OK")

    def start_worker(self, *, name="load"):
        """A Celery worker with a prefork pool, taking tasks from the run's broker; returns the Child."""
        number = len(self.replaced_workers) + (1 if self.worker else 0)
        log = self.folder / f"celery-{number}.log"
        worker = Child("celery", [
            sys.executable, "-m", "celery", "-A", "coproduction", "worker", "--pool", "prefork",
            "--concurrency", str(self.worker_concurrency), "--hostname", f"{name}{number}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
            "--", "worker.enable_remote_control=false",
        ], env=self.env, log=log).start()
        wait_for("the Celery worker ready", lambda: " ready." in log.read_text(errors="replace") or not worker.alive(),
                 90)
        if not worker.alive():
            raise RunError(f"the Celery worker exited:\n{worker.log_tail()}")
        if self.worker is not None:
            self.replaced_workers.append(self.worker)
        self.worker = worker
        return worker

    def close(self):
        for child in [self.web, self.worker, *self.replaced_workers]:
            if child is not None:
                child.stop()

    def remove_static(self):
        shutil.rmtree(self.folder / "static", ignore_errors=True)


def database_url():
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


class maintenance_cursor:
    """An autocommit cursor on the server's ``postgres`` database, for DROP and CREATE DATABASE."""

    def __enter__(self):
        db = connection.settings_dict
        self.conn = psycopg2.connect(dbname="postgres", user=db["USER"] or None, password=db["PASSWORD"] or None,
                                     host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
        self.conn.autocommit = True
        return self.conn.cursor()

    def __exit__(self, *exc):
        self.conn.close()


# --- the machine's services ------------------------------------------------------------------

def pg_cluster():
    """(version, name) of the cluster that serves DATABASE_URL's port, as pg_lsclusters lists it."""
    port = str(connection.settings_dict["PORT"] or 5432)
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, timeout=10, check=True).stdout
    for line in listing.splitlines():
        version, name, cluster_port, *_rest = line.split()
        if cluster_port == port:
            return version, name
    raise RunError(f"No PostgreSQL cluster of this machine listens on port {port}.")


def postgres_ready():
    db = connection.settings_dict
    return subprocess.run(["pg_isready", "-q", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)],
                          timeout=10).returncode == 0


def postgres_restart():
    """Restarts the cluster (fast shutdown: open connections are ended), as an operator would."""
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *pg_cluster(), "restart"], check=True, timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def postgres_ensure_running():
    """Starts PostgreSQL if it does not answer; True once it does."""
    if postgres_ready():
        return True
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *pg_cluster(), "start"], timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_for("PostgreSQL answering", postgres_ready, 60, interval=0.5)
    return True


class Redis:
    """The machine's Redis on ``port``; on 6379 it is started with the command line of the CI script."""

    def __init__(self, port=6379):
        self.port = port
        log = "ci.log" if port == 6379 else f"load-{port}.log"
        self.start_command = ["redis-server", "--daemonize", "yes", "--bind", REDIS_HOST, "-::1", "--port", str(port),
                              "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
                              "--logfile", f"/var/log/redis/{log}"]

    def cli(self, *args, db=None):
        return ["redis-cli", "-h", REDIS_HOST, "-p", str(self.port), *(["-n", str(db)] if db is not None else []),
                *args]

    def ready(self):
        answer = subprocess.run(self.cli("ping"), capture_output=True, text=True, timeout=5)
        return answer.stdout.strip() == "PONG"

    def stop(self):
        subprocess.run(self.cli("shutdown", "nosave"), timeout=10, capture_output=True)
        wait_for("Redis gone", lambda: not self.ready(), 10)

    def start(self):
        subprocess.run(self.start_command, check=True, timeout=30, stdout=subprocess.DEVNULL)
        wait_for("Redis answering", self.ready, 30)

    def ensure_running(self):
        if not self.ready():
            self.start()
        return True


def loopback(url):
    return (urlsplit(url).hostname or "127.0.0.1") in ("127.0.0.1", "localhost", "::1")
