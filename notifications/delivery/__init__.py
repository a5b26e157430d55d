"""Sending emails exactly once: single emails now, daily and weekly digests at the local hour.

Each email is a Delivery row, unique per (person, kind, period). A batch of them is *claimed*
in one short transaction (rows locked with SKIP LOCKED, so two workers never take the same
person; the notifications it carries are attached in the same transaction), then sent. Each
email is marked sent by an UPDATE in a transaction that commits only once the email has left:
the row stays locked while it is sent, so a second run of the same task waits and then finds it
sent, and a crash rolls the mark back. A retried task reclaims what it had claimed; anything a
dead worker left half-done is reclaimed by the sweep after CLAIM_TIMEOUT. The Message-ID is
derived from the row, so even the one email that may have left just before a crash carries the
same id when sent again.

Reading is constant per batch: the claim, the recipients, their items (at most MAX_ITEMS each,
numbered by the database), one query per kind of target to see what still exists and is not
hidden, and one for memberships. Each sent email is then marked with one UPDATE by key.

One topic a module: ``periods`` (which digest is due when, in local time), ``claiming`` (who is
due and taking their rows), ``sending`` (sending what was claimed, the jobs the tasks run and the
retries), ``visibility`` (what a recipient may still see) and ``rendering`` (how it reads).
This package offers what the tasks, the views and the benchmark use.
"""
from .claiming import CLAIM_TIMEOUT, batches, claim_digests, claim_immediate, digest_recipients
from .periods import WEEKDAYS, K, cutoff_of, period_for
from .rendering import build_email, describe
from .sending import (
    MAX_ATTEMPTS, RETRY_AFTER, immediate_overdue, new_claimer, retry_unfinished, send_claimed, send_digest_batch,
    send_immediate, unfinished,
)
from .visibility import visible_items

__all__ = [
    "CLAIM_TIMEOUT", "MAX_ATTEMPTS", "RETRY_AFTER", "WEEKDAYS", "K", "batches", "build_email", "claim_digests",
    "claim_immediate", "cutoff_of", "describe", "digest_recipients", "immediate_overdue", "new_claimer", "period_for",
    "retry_unfinished", "send_claimed", "send_digest_batch", "send_immediate", "unfinished", "visible_items",
]
