from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("two-step/", views.OTPVerifyView.as_view(), name="otp-verify"),
    path("two-step/setup/", views.OTPSetupView.as_view(), name="otp-setup"),
    path("me/", login_required(views.profile), name="profile"),
]
