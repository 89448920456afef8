"""The Django admin (/django-admin/) is a superuser's tool only.

Staff accounts may carry ``is_staff`` (Django's flag for admin access) for
other reasons; the console is where they work, so the flag alone must not open
the admin. Superusers still pass the second factor first
(SignInRequirementsMiddleware covers these pages too).

Roles are not edited here: an account's roles change only through
``services.user_update`` (which keeps the separation of powers and refuses a
self-grant; the account model has no admin page), and a role's permissions only
through the table in ``roles.py`` (``sync_roles``), so the admin's group pages,
which would let anyone give the auditor a change permission, are removed.
"""

from django.contrib import admin
from django.contrib.auth.models import Group


def superuser_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superuser_only

if admin.site.is_registered(Group):
    admin.site.unregister(Group)
