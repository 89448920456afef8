from django.urls import path

from . import portal_views

app_name = "portal-study"

urlpatterns = [
    path("", portal_views.ArticleListView.as_view(), name="list"),
    path("mine/", portal_views.MyReadingView.as_view(), name="mine"),
    path("<int:pk>/", portal_views.ArticleReadView.as_view(), name="read"),
    path("<int:pk>/beacon/", portal_views.ArticleBeaconView.as_view(), name="beacon"),
    path("images/<int:pk>/", portal_views.ArticleImageView.as_view(), name="image"),
]
