"""The site's addresses plus a search page and a personal area, as the header expects them to come."""
from django.http import HttpResponse
from django.urls import path

from coproduction.urls import urlpatterns as site_urlpatterns


def _placeholder(request):
    return HttpResponse("placeholder")


urlpatterns = [
    path("search/", _placeholder, name="search"),
    path("me/", _placeholder, name="me"),
    *site_urlpatterns,
]
