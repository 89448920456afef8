"""The worker portal, under ``/m/``."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.CodeView.as_view(), name="sign-in-code"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("language/<str:code>/", views.LanguageView.as_view(), name="language"),
    path("bind/", views.BindView.as_view(), name="bind"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/data/", views.MyDataView.as_view(), name="my-data"),
    path("drafts/", views.DraftView.as_view(), name="draft"),
]
