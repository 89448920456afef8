from django.urls import path

from . import views

app_name = "studios"

urlpatterns = [
    path("", views.StudioList.as_view(), name="list"),
    path("new/", views.StudioCreate.as_view(), name="create"),
    path("showcase/", views.Showcase.as_view(), name="showcase"),
    path("<int:pk>/", views.StudioDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.StudioUpdate.as_view(), name="update"),
    path("<int:pk>/members/", views.StudioMemberAdd.as_view(), name="member-add"),
    path("members/<int:pk>/leave/", views.StudioMemberLeave.as_view(), name="member-leave"),
    path(
        "<int:pk>/achievements/new/",
        views.AchievementCreate.as_view(),
        name="achievement-create",
    ),
    path(
        "achievements/<int:pk>/edit/",
        views.AchievementUpdate.as_view(),
        name="achievement-update",
    ),
    path("photos/<int:pk>/", views.AchievementPhotoView.as_view(), name="photo"),
    path("photos/<int:pk>/remove/", views.AchievementPhotoRemove.as_view(), name="photo-remove"),
    path("mentoring/", views.PairList.as_view(), name="pair-list"),
    path("mentoring/new/", views.PairCreate.as_view(), name="pair-create"),
    path("mentoring/outcomes/", views.Outcomes.as_view(), name="outcomes"),
    path("mentoring/<int:pk>/", views.PairDetail.as_view(), name="pair-detail"),
    path("mentoring/<int:pk>/evaluate/", views.PairEvaluate.as_view(), name="pair-evaluate"),
]
