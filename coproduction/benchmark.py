"""Plumbing of the benchmark commands (bench_pages, bench_budgets, bench_volunteering, bench_wiki,
bench_notifications): pages timed in-process next to a baseline, and set-based SQL named from the models."""
import statistics
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client


def measure(client, url, requests):
    """(queries of one request, median ms, p95 ms over ``requests`` timed requests) for ``url``."""
    queries = []
    # Django clears connection.queries when a request starts, so count with a wrapper.
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        response = client.get(url, secure=True)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
    return len(queries), statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


BARE_VIEW = ("bare view /livez", "/livez")


class PageTable:
    """The lines of a table of pages: queries of one request, median and p95 server time, the median as a
    multiple of the first row's, the baseline (``BARE_VIEW``: /livez, a constant response through the same
    middleware, measured in the same run), and the page's goal, met or missed, where it has one.

    Each person asks with a client of their own (signed in; ``None`` is anonymous), made once."""

    def __init__(self, requests, *, width=26, client_class=Client, only=""):
        # The test client asks as "testserver", which production settings do not allow.
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append("testserver")
        self.requests, self.width, self.client_class = requests, width, client_class
        self.clients, self.baseline = {}, None
        self.missed, self.only = [], only

    def header(self, *, goal=True):
        return f"{'page':<{self.width}}{'queries':>8}{'median ms':>11}{'p95 ms':>9}{'x bare':>8}" + (
            "  goal (median / p95 ms)" if goal else "")

    def row(self, name, url, user=None, *, goal=None):
        """Measures ``url`` as ``user`` and returns its line; ``goal`` is (median, p95) in ms, p95 may be None.

        The first row measured is the baseline: call ``row(*BARE_VIEW)`` first. With ``only``, the other
        rows whose name does not contain it are skipped and return None."""
        if self.baseline is not None and self.only not in name:
            return None
        if user not in self.clients:
            self.clients[user] = self.client_class()
            if user is not None:
                self.clients[user].force_login(user)
        queries, median, p95 = measure(self.clients[user], url, self.requests)
        self.baseline = self.baseline or median
        line = f"{name:<{self.width}}{queries:>8}{median:>11.1f}{p95:>9.1f}{median / self.baseline:>8.1f}"
        if goal is None:
            return line
        goal_median, goal_p95 = goal
        met = median <= goal_median and (goal_p95 is None or p95 <= goal_p95)
        if not met:
            self.missed.append(name)
        wanted = f"≤ {goal_median:g}" + ("" if goal_p95 is None else f" / ≤ {goal_p95:g}")
        return f"{line}  {wanted}: {'met' if met else 'MISSED'}"

    def summary(self):
        return ("every goal met" if not self.missed
                else f"{len(self.missed)} goal(s) missed: " + ", ".join(self.missed))


class Table:
    """A model's table for the benchmarks' set-based SQL: ``{table}`` is its quoted name and ``{table.field}``
    the quoted column of a field (``table.columns("a", "b")`` a list of them), all read from the model, so
    that SQL written against a renamed table or field fails at once instead of seeding something else."""

    def __init__(self, model):
        self._model = model

    def __str__(self):
        return connection.ops.quote_name(self._model._meta.db_table)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        # FieldDoesNotExist for a field the model no longer has; a reverse relation has no column.
        return connection.ops.quote_name(self._model._meta.get_field(name).column)

    def columns(self, *names):
        return ", ".join(getattr(self, name) for name in names)


def analyze(*models):
    """Fresh planner statistics for the models' tables after seeding, as autovacuum keeps them on a live
    database (PostgreSQL only; all tables when no model is named)."""
    if connection.vendor != "postgresql":
        return
    # VACUUM cannot run inside a transaction, such as a test's: there ANALYZE runs alone.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(" ".join([command, ", ".join(str(Table(model)) for model in models)]).strip())
