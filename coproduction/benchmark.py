"""Timing pages in-process for the benchmark commands (bench_pages, bench_volunteering, bench_wiki)."""
import statistics
import time

from django.core.management.base import CommandError
from django.db import connection


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
