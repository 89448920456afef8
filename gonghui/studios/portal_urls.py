"""The worker portal's pages of studios and mentoring (under ``/m/studios/``)."""

from django.urls import path

from . import portal_views

app_name = "portal-studios"

urlpatterns = [
    path("", portal_views.ShowcaseView.as_view(), name="showcase"),
    path("achievements/<int:pk>/", portal_views.AchievementView.as_view(), name="achievement"),
    path("photos/<int:pk>/", portal_views.PhotoView.as_view(), name="photo"),
    path("mine/", portal_views.MineView.as_view(), name="mine"),
    path("studio/<int:pk>/", portal_views.StudioView.as_view(), name="studio"),
    path("mentoring/<int:pk>/", portal_views.PairView.as_view(), name="pair"),
]
