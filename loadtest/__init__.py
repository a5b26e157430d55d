"""The load-and-fault run (``manage.py load_and_faults``): the whole installation under mixed traffic, with
PostgreSQL restarted, Redis stopped and a Celery worker killed along the way, then checked against the
database.

It builds on every other app and no app builds on it, so it comes last in INSTALLED_APPS: ``world`` seeds
the data, ``installation`` runs gunicorn, the Celery worker and the machine's services, ``browser`` and
``traffic`` are the clients, ``figures`` summarises what they saw, ``invariants`` checks the database and
``faults`` holds the phases.
"""
