"""Test settings: the real settings, with http allowed so the test client and live server work."""
import os
import tempfile
from pathlib import Path

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
# on the shared Redis. Tests that start a real worker switch this off for the worker process
# (coproduction.workers gives it a queue of its own).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "1") == "1"

# The API's per-address limit is tested on its own (tests/api/test_core.py lowers it there); the
# rest of the suite makes many requests from the one test address.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"}}  # noqa: F405

# Uploaded pictures of a test run land in a folder of their own, never in the project's media/;
# tests that look at the files point MEDIA_ROOT at their own tmp_path (tests/coproduction/pictures.py).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kp-test-media-"))
