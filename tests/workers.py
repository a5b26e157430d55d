"""Looking into the broker after a real worker ran: what a private queue left behind on the shared Redis."""
from coproduction.celery import app


def keys_left_by(queue):
    """Every Redis key that still names the queue (SCAN, so a shared Redis is never blocked)."""
    with app.connection_for_write() as conn:
        return sorted(conn.default_channel.client.scan_iter(match=f"*{queue}*", count=1000))
