"""/api/v1/: each app with public data registers its view sets in its own ``api.py`` (``register(router)``)."""
from rest_framework.routers import DefaultRouter

from ..contracts import contract_modules

router = DefaultRouter()
for _config, module in contract_modules("api", provides="register"):
    module.register(router)

urlpatterns = router.urls
