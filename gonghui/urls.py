from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# The worker portal's routes, under /m/: resolved first and apart from the console's, so
# that a phone's request never tries the console's patterns one by one.
portal_patterns = [
    path("messages/", include("gonghui.inbox.urls")),
    path("membership/", include("gonghui.portal.membership_urls")),
    path("counselling/", include("gonghui.counselling.portal_urls")),
    path("jobs/", include("gonghui.employment.portal_urls")),
    path("wishes/", include("gonghui.outreach.portal_urls")),
    path("aid/", include("gonghui.aid.portal_urls")),
    path("rights/", include("gonghui.rights.portal_urls")),
    path("competitions/", include("gonghui.competitions.portal_urls")),
    path("skills/", include("gonghui.skills.portal_urls")),
    path("studios/", include("gonghui.studios.portal_urls")),
    path("honours/", include("gonghui.honours.portal_urls")),
    path("library/", include("gonghui.library.portal_urls")),
    path("study/", include("gonghui.study.portal_urls")),
    path("activities/", include("gonghui.activities.portal_urls")),
    path("offers/", include("gonghui.offers.portal_urls")),
    path("stations/", include("gonghui.stations.portal_urls")),
    path("", include("gonghui.portal.urls")),
]

urlpatterns = [
    path("m/", include(portal_patterns)),
    path("", include("gonghui.core.urls")),
    path("accounts/", include("gonghui.accounts.urls")),
    path("orgs/", include("gonghui.orgs.urls")),
    path("jobs/", include("gonghui.jobs.urls")),
    path("people/", include("gonghui.people.urls")),
    path("coverage/", include("gonghui.coverage.urls")),
    path("needy/", include("gonghui.needy.urls")),
    path("employment/", include("gonghui.employment.urls")),
    path("counselling/", include("gonghui.counselling.urls")),
    path("aid/", include("gonghui.aid.urls")),
    path("outreach/", include("gonghui.outreach.urls")),
    path("security/", include("gonghui.security.urls")),
    path("calendar/", include("gonghui.workdays.urls")),
    path("rights/", include("gonghui.rights.urls")),
    path("track/", include("gonghui.rights.track_urls")),
    path("contracts/", include("gonghui.contracts.urls")),
    path("congress/", include("gonghui.congress.urls")),
    path("competitions/", include("gonghui.competitions.urls")),
    path("skills/", include("gonghui.skills.urls")),
    path("studios/", include("gonghui.studios.urls")),
    path("honours/", include("gonghui.honours.urls")),
    path("notice/", include("gonghui.honours.notice_urls")),
    path("library/", include("gonghui.library.urls")),
    path("study/", include("gonghui.study.urls")),
    path("activities/", include("gonghui.activities.urls")),
    path("offers/", include("gonghui.offers.urls")),
    path("redeem/", include("gonghui.offers.merchant_urls")),
    path("stations/", include("gonghui.stations.urls")),
    path("membership-requests/", include("gonghui.people.urls_membership_requests")),
    path("portal-bindings/", include("gonghui.portal.staff_urls")),
    path("data-corrections/", include("gonghui.portal.correction_urls")),
    path("scan/", include("gonghui.portal.scan_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

handler400 = "gonghui.core.views.bad_request"
handler403 = "gonghui.core.views.permission_denied"
handler404 = "gonghui.core.views.page_not_found"
handler500 = "gonghui.core.views.server_error"

if settings.DEBUG:
    from gonghui.core import views as core_views

    urlpatterns += [
        path("__404__/", core_views.page_not_found),
        path("__500__/", core_views.server_error),
    ]
