from django.urls import path

from . import portal_views

app_name = "portal-honours"

urlpatterns = [
    path("", portal_views.Stories.as_view(), name="stories"),
    path("stories/<int:pk>/", portal_views.StoryDetail.as_view(), name="story-detail"),
    path("stories/<int:pk>/photo/", portal_views.StoryPhoto.as_view(), name="story-photo"),
    path("mine/", portal_views.MyTitles.as_view(), name="mine"),
]
