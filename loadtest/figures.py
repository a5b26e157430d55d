"""What the clients saw, in figures: throughput, latency percentiles per kind of request, answers by status,
and for a fault the requests during the outage and the time the site took to recover.

Percentiles interpolate linearly between the two nearest ranks (as numpy's default does): the p-th
percentile of n sorted values lies at rank (n - 1) * p / 100, counted from 0.
"""
import math
from collections import Counter

# Answers a person can get in normal use: a page, a redirect after a form, or a refusal the site words
# (a 400 for "you already support this", a 409 for an edit that crossed another one).
OK_STATUSES = {200, 301, 302, 303, 304}
REFUSED_STATUSES = {400, 409}


def percentile(values, p):
    """The p-th percentile (0–100) of ``values`` (any order); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def status_name(status):
    return "no answer" if status == 0 else str(status)


def is_error(status):
    return status not in OK_STATUSES and status not in REFUSED_STATUSES


def summary(records):
    """[(kind, requests, p50 ms, p95 ms, p99 ms, Counter of statuses)] by kind, most requested first, and
    the same over all requests as the last row ("all")."""
    by_kind = {}
    for record in records:
        by_kind.setdefault(record.kind, []).append(record)
    rows = []
    for kind, group in sorted(by_kind.items(), key=lambda item: (-len(item[1]), item[0])):
        rows.append(_row(kind, group))
    if records:
        rows.append(_row("all", records))
    return rows


def _row(kind, group):
    milliseconds = [record.seconds * 1000 for record in group]
    return (kind, len(group), percentile(milliseconds, 50), percentile(milliseconds, 95),
            percentile(milliseconds, 99), Counter(record.status for record in group))


def table(records, seconds):
    """The lines of the figures of one run of traffic lasting ``seconds``."""
    errors = Counter(status_name(r.status) for r in records if is_error(r.status))
    refused = Counter(status_name(r.status) for r in records if r.status in REFUSED_STATUSES)
    lines = [
        f"requests: {len(records)} in {seconds:.0f} s = {len(records) / seconds:.1f} per second; "
        f"errors: {sum(errors.values())}" + (f" ({_counts(errors)})" if errors else "")
        + f"; refusals worded by the site: {sum(refused.values())}" + (f" ({_counts(refused)})" if refused else ""),
        f"{'kind of request':<24}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses",
    ]
    for kind, count, p50, p95, p99, statuses in summary(records):
        lines.append(f"{kind:<24}{count:>7}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}  {_counts(statuses, sort=True)}")
    return lines


def _counts(counter, sort=False):
    items = sorted(counter.items(), key=lambda item: str(item[0])) if sort else counter.most_common()
    return ", ".join(f"{status_name(key) if isinstance(key, int) else key}: {number}" for key, number in items)


def outage(records, *, fault_started, service_back):
    """Figures of a fault, from the records of the traffic around it (times on the same monotonic clock).

    Returns a dict: requests started between the fault and the service's return by status; when the first
    and the last failed answer (5xx or no answer) came, relative to the fault; how long after the service was back
    the last failure came and the first success after it (the site's recovery); 500s; and 503s that were
    not the short page.
    """
    failures = sorted((r for r in records if r.status >= 500 or r.status == 0), key=lambda r: r.started)
    during = Counter(status_name(r.status) for r in records if fault_started <= r.started < service_back)
    after_failures = [r for r in records if r.started >= service_back]
    last_failure = max((r.started + r.seconds for r in failures), default=None)
    first_success_after = min((r.started + r.seconds for r in after_failures
                               if not is_error(r.status) and (last_failure is None or r.started >= last_failure)),
                              default=None)
    return {
        "during": during,
        "failures": len(failures),
        "first_failure": min(r.started + r.seconds for r in failures) - fault_started if failures else None,
        "last_failure": last_failure - fault_started if last_failure is not None else None,
        "recovered_after": (max(last_failure, service_back) - service_back) if last_failure is not None else 0.0,
        "first_success_after": (first_success_after - service_back) if first_success_after is not None else None,
        "server_errors_500": sum(1 for r in records if r.status == 500),
        "long_503_pages": sum(1 for r in records if r.status == 503 and not r.short_page),
    }


def outage_lines(figures, *, service, down_for):
    def seconds(value):
        return "–" if value is None else f"{value:.1f} s"

    return [
        f"{service} away for {down_for:.1f} s; requests started meanwhile: {sum(figures['during'].values())} "
        f"({_counts(figures['during'], sort=True) or 'none'})",
        f"failed answers (5xx or none): {figures['failures']}"
        + (f", the first {seconds(figures['first_failure'])} and the last {seconds(figures['last_failure'])} after "
           "the fault" if figures["failures"] else "")
        + f"; 500s: {figures['server_errors_500']}; 503s that were not the short page: {figures['long_503_pages']}",
        f"recovery: the last failure ended {seconds(figures['recovered_after'])} after {service} was back, the "
        f"first success after it {seconds(figures['first_success_after'])} after",
    ]
