from django.urls import path

from . import views

app_name = "honours"
urlpatterns = [
    path("", views.HoldingList.as_view(), name="holding-list"),
    path("holdings/new/", views.HoldingCreate.as_view(), name="holding-create"),
    path("titles/", views.TitleList.as_view(), name="title-list"),
    path("titles/new/", views.TitleCreate.as_view(), name="title-create"),
    path("titles/edit/", views.TitleUpdate.as_view(), name="title-update"),
    path("notice-settings/", views.NoticeSettingsUpdate.as_view(), name="notice-settings"),
    path("rules/", views.RuleList.as_view(), name="rule-list"),
    path("rules/new/", views.RuleCreate.as_view(), name="rule-create"),
    path("rules/edit/", views.RuleUpdate.as_view(), name="rule-update"),
    path("nominations/", views.NominationList.as_view(), name="nomination-list"),
    path("nominations/new/", views.NominationCreate.as_view(), name="nomination-create"),
    path("nominations/<int:pk>/", views.NominationDetail.as_view(), name="nomination-detail"),
    path(
        "nominations/<int:pk>/review/", views.NominationReview.as_view(), name="nomination-review"
    ),
    path(
        "nominations/<int:pk>/resubmit/",
        views.NominationResubmit.as_view(),
        name="nomination-resubmit",
    ),
    path(
        "nominations/<int:pk>/notice/", views.NominationNotice.as_view(), name="nomination-notice"
    ),
    path(
        "nominations/<int:pk>/objection/",
        views.ObjectionRecord.as_view(),
        name="nomination-objection",
    ),
    path(
        "nominations/<int:pk>/objection/<int:objection>/answer/",
        views.ObjectionAnswer.as_view(),
        name="objection-answer",
    ),
    path(
        "nominations/<int:pk>/confirm/",
        views.NominationConfirm.as_view(),
        name="nomination-confirm",
    ),
    path(
        "nominations/<int:pk>/withdraw/",
        views.NominationWithdraw.as_view(),
        name="nomination-withdraw",
    ),
    path(
        "nominations/<int:pk>/evidence/<int:evidence>/",
        views.EvidenceDownload.as_view(),
        name="evidence-download",
    ),
    path("care/", views.CareList.as_view(), name="care-list"),
    path("care/<int:pk>/", views.CarePerson.as_view(), name="care-person"),
    path("care/<int:pk>/give/", views.CareRecord.as_view(), name="care-record"),
    path("care/<int:pk>/condition/", views.ConditionRecord.as_view(), name="condition-record"),
    path(
        "care/<int:pk>/condition/<int:condition>/end/",
        views.ConditionEnd.as_view(),
        name="condition-end",
    ),
    path("stories/", views.StoryList.as_view(), name="story-list"),
    path("stories/new/", views.StoryCreate.as_view(), name="story-create"),
    path("stories/<int:pk>/edit/", views.StoryUpdate.as_view(), name="story-update"),
    path("stories/<int:pk>/publish/", views.StoryPublish.as_view(), name="story-publish"),
    path("activities/", views.ActivityList.as_view(), name="activity-list"),
    path("activities/new/", views.ActivityCreate.as_view(), name="activity-create"),
]
