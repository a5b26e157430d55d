"""Deployment checks of our own, run by ``manage.py check --deploy``."""
from django.conf import settings
from django.core.checks import Tags, Warning, register


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
