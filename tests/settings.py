"""Test settings: the real settings, with http allowed so the test client and live server work."""
import os

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 50)

from coproduction.settings import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests serve static files from their source folders; production serves the collected,
# hashed copies from STATIC_ROOT.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tasks run in-process in tests, also where CI sets a broker, so nothing a test enqueues is left
# on the shared Redis. Tests that start a real worker switch this off for the worker process,
# and give it a queue of its own so workers of other test runs never take its tasks.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "1") == "1"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", "celery")
# A test's worker can leave remote control off, so it adds nothing to the broadcast bindings
# that every worker on the shared Redis uses.
CELERY_WORKER_ENABLE_REMOTE_CONTROL = os.environ.get("TEST_CELERY_REMOTE_CONTROL", "1") == "1"
