"""Checks of our own: the deployment checks (``manage.py check --deploy``) and the storage of uploads."""
from importlib.util import find_spec

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_https(app_configs, **kwargs):
    """Links in emails (one-click unsubscribe, offers, digests) must use the public https address."""
    if settings.DEBUG or settings.SITE_URL.startswith("https://"):
        return []
    return [Warning(
        "SITE_URL does not start with https://; links in emails would be sent unencrypted.",
        hint="Set SITE_URL to the public address, e.g. https://koproduktion.example.",
        id="coproduction.W001",
    )]


@register()
def object_storage_is_installed(app_configs, **kwargs):
    """MEDIA_S3_BUCKET switches uploads to django-storages, which only requirements-s3.txt installs."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if not backend.startswith("storages.") or (find_spec("storages") and find_spec("boto3")):
        return []
    return [Error(
        "Uploads are to go to object storage (MEDIA_S3_BUCKET is set), but django-storages or boto3 is "
        "not installed.",
        hint="pip install -r requirements-s3.txt, or unset MEDIA_S3_BUCKET to keep uploads in MEDIA_ROOT.",
        id="coproduction.E001",
    )]
