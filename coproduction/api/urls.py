"""/api/v1/: each app with public data registers its view sets in its own ``api.register``."""
from importlib import import_module

from rest_framework.routers import DefaultRouter

API_MODULES = ["stakeholders.api", "proposals.api", "budgets.api", "volunteering.api", "wiki.api"]

router = DefaultRouter()
for name in API_MODULES:
    import_module(name).register(router)

urlpatterns = router.urls
