from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": _("Sign in")}


def locked_out(request, credentials=None, *args, **kwargs):
    return render(request, "accounts/locked_out.html", {"title": _("Account locked")}, status=429)


def profile(request):
    return render(request, "accounts/profile.html", {"title": _("My account")})
