"""Celery worker processes started from Python, on a private Redis queue: by the digest benchmark
(bench_notifications) and by the tests that run tasks on a real worker (tests/workers.py has what
only the tests need to look into Redis)."""
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from coproduction.celery import app


def database_url():
    """This connection's database, for the worker processes (the test database when run by the tests)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


@contextmanager
def celery_worker(queue, log, *, env=None, concurrency=None, stop_timeout=30):
    """Runs `celery -A coproduction worker` as a process of its own while the block runs, and yields its Popen.

    The worker uses this connection's database (it must be PostgreSQL, which both processes share) and
    CELERY_BROKER_URL, writes its output to the file ``log``, and consumes only ``queue``, which is also
    its default queue (so the tasks it enqueues stay there too): workers of other runs on the same Redis
    never take its tasks, and it never takes theirs. ``env`` adds to its environment. Without
    ``concurrency`` it runs tasks one at a time in its own process (solo pool), else in a prefork pool.

    Meanwhile this process hands tasks to the broker instead of running them eagerly; send them with
    ``apply_async(queue=queue)``. Afterwards the worker is stopped (warm shutdown: running tasks finish;
    after ``stop_timeout`` seconds it is killed with its pool) and the queue's keys are deleted from Redis.
    """
    worker_env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
                  **(env or {})}
    pool = ["--pool", "solo"] if concurrency is None else ["--pool", "prefork", "--concurrency", str(concurrency)]
    with open(log, "w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "coproduction", "worker", *pool, "--queues", queue,
             "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel", "INFO",
             # Without remote control the worker leaves no pidbox bindings behind on the shared Redis.
             "--", f"task.default_queue={queue}", "worker.enable_remote_control=false"],
            cwd=settings.BASE_DIR, env=worker_env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a prefork pool's processes end with it
        )
    eager_before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        app.conf.task_always_eager = eager_before
        worker.terminate()  # warm shutdown: running tasks finish first
        try:
            worker.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)  # the group of the worker started above, pool included
            worker.wait(timeout=10)
        forget_queue(queue)


def forget_queue(queue):
    """Deletes the queue, its messages and its bindings from the broker: leaves nothing behind on the shared Redis.

    By name, never by searching the keys (which would block a shared Redis): the queue's lists,
    one a priority (queue_delete), and its exchange's bindings. The worker runs without remote
    control, so it has no reply queues of its own.
    """
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        channel.queue_delete(queue)
        channel.client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        channel.client.zrem("_kombu.binding_deadlines", queue)
