"""Uploaded files served by Django itself, where nothing else serves them (local mode, DEBUG).

In production a web server or the object storage serves MEDIA_URL, and MEDIA_SERVE stays off.
The files are pictures re-encoded by coproduction.images under random names, never what was uploaded.
"""
from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def media(request, path):
    if not settings.MEDIA_SERVE:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
