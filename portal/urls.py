from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views
from .dashboard import urls as dashboard_urls

portal_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
    path("staff/", views.StaffDashboardView.as_view(), name="dashboard"),
    path("staff/audit-log/", views.audit_log, name="audit_log"),
    path("staff/audit-log/export/", views.audit_log_export, name="audit_log_export"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("mypage/", views.MyPageView.as_view(), name="mypage"),
    path("staff/jobs/<uuid:public_id>/", views.job_status, name="job"),
    path("staff/users/", views.user_roles_list, name="user_roles"),
    path("staff/users/<int:pk>/roles/", views.user_roles_edit, name="user_roles_edit"),
    *dashboard_urls.urlpatterns,
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", include((portal_patterns, "portal"))),
    path("areas/", include("areas.urls")),
    path("liaisons/", include("liaisons.urls")),
    path("meetings/", include("meetings.urls")),
    path("opendata/", include("areas.urls_opendata")),
    path("surveys/", include("surveys.urls")),
    path("grants/", include("grants.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "portal.errorpages.server_error"
