"""The project's URLs plus /opendata/, as portal/urls.py wires them."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [*portal_urlpatterns, path("opendata/", include("areas.urls_opendata"))]
