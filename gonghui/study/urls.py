from django.urls import path

from . import views

app_name = "study"

urlpatterns = [
    path("", views.ArticleList.as_view(), name="list"),
    path("new/", views.ArticleCreate.as_view(), name="create"),
    path("activity/", views.ReadingActivity.as_view(), name="activity"),
    path("<int:pk>/", views.ArticleDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ArticleUpdate.as_view(), name="update"),
    path("<int:pk>/publish/", views.ArticlePublish.as_view(), name="publish"),
    path("<int:pk>/withdraw/", views.ArticleWithdraw.as_view(), name="withdraw"),
    path("<int:pk>/images/", views.ArticleImageUpload.as_view(), name="image-upload"),
    path("images/<int:pk>/", views.ArticleImageView.as_view(), name="image"),
]
