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
    path("staff/", views.StaffList.as_view(), name="staff-list"),
    path("staff/new/", views.StaffCreate.as_view(), name="staff-create"),
    path("staff/<int:pk>/", views.StaffDetail.as_view(), name="staff-detail"),
    path("staff/<int:pk>/edit/", views.StaffUpdate.as_view(), name="staff-update"),
    path("staff/<int:pk>/deactivate/", views.StaffDeactivate.as_view(), name="staff-deactivate"),
    path("staff/<int:pk>/reactivate/", views.StaffReactivate.as_view(), name="staff-reactivate"),
    path(
        "staff/<int:pk>/reset-password/",
        views.StaffPasswordReset.as_view(),
        name="staff-password-reset",
    ),
    path(
        "staff/<int:pk>/reset-authenticator/",
        views.StaffTOTPReset.as_view(),
        name="staff-totp-reset",
    ),
    path("staff/<int:pk>/unlock/", views.StaffUnlock.as_view(), name="staff-unlock"),
]
