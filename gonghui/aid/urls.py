from django.urls import path

from . import views

app_name = "aid"
urlpatterns = [
    path("", views.ApplicationList.as_view(), name="application-list"),
    path("new/", views.ApplicationCreate.as_view(), name="application-create"),
    path("approve/", views.ApplicationBulkApprove.as_view(), name="application-bulk-approve"),
    path("<int:pk>/", views.ApplicationDetail.as_view(), name="application-detail"),
    path("<int:pk>/edit/", views.ApplicationUpdate.as_view(), name="application-update"),
    path("<int:pk>/delete/", views.ApplicationDelete.as_view(), name="application-delete"),
    path("<int:pk>/submit/", views.ApplicationSubmit.as_view(), name="application-submit"),
    path("<int:pk>/decide/", views.ApplicationDecide.as_view(), name="application-decide"),
    path("<int:pk>/cancel/", views.ApplicationCancel.as_view(), name="application-cancel"),
    path("<int:pk>/pay/", views.ApplicationPay.as_view(), name="application-pay"),
    path("<int:pk>/evidence/", views.EvidenceUpload.as_view(), name="evidence-upload"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/",
        views.EvidenceDownload.as_view(),
        name="evidence-download",
    ),
    path("consent/<int:person>/", views.ConsentCreate.as_view(), name="consent-create"),
    path("notices/", views.PrivacyNoticeList.as_view(), name="notice-list"),
    path("notices/new/", views.PrivacyNoticeCreate.as_view(), name="notice-create"),
    path("staff/", views.StaffPersonList.as_view(), name="staff-person-list"),
    path("staff/<int:pk>/", views.StaffPersonEdit.as_view(), name="staff-person-edit"),
    path("staff/<int:pk>/unlink/", views.StaffPersonUnlink.as_view(), name="staff-person-unlink"),
    path("programmes/", views.ProgrammeList.as_view(), name="programme-list"),
    path("programmes/new/", views.ProgrammeCreate.as_view(), name="programme-create"),
    path("campaigns/", views.CampaignList.as_view(), name="campaign-list"),
    path("campaigns/new/", views.CampaignCreate.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", views.CampaignDetail.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/notice/", views.CampaignNotice.as_view(), name="campaign-notice"),
    path("campaigns/<int:pk>/fund/", views.FundCreate.as_view(), name="fund-create"),
    path("funds/<int:pk>/", views.FundDetail.as_view(), name="fund-detail"),
    path("payments/", views.PaymentList.as_view(), name="payment-list"),
    path("payments/export/", views.PaymentExport.as_view(), name="payment-export"),
    path("payments/mark-paid/", views.PaymentMarkPaid.as_view(), name="payment-mark-paid"),
    path("reports/duplicates/", views.DuplicatesReport.as_view(), name="duplicates"),
    path("reports/missed/", views.MissedReport.as_view(), name="missed"),
]
