"""The Django admin (/django-admin/) is a superuser's tool only.

Staff accounts may carry ``is_staff`` (Django's flag for admin access) for
other reasons; the console is where they work, so the flag alone must not open
the admin. Superusers still pass the second factor first
(SignInRequirementsMiddleware covers these pages too).
"""

from django.contrib import admin


def superuser_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superuser_only
