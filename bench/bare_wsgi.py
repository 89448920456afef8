"""A bare Django view, for comparison with the console under the same load.

One view that answers "ok" without a database, sessions, templates or middleware:
what Django and gunicorn cost by themselves on this machine. ``bench/load.py``
serves it with the same gunicorn settings as ``scripts/serve.sh`` and loads it in
the same run as the console. It is never part of the product's URLs.

    .venv/bin/gunicorn bench.bare_wsgi -b 127.0.0.1:8001 --workers 2 --threads 4
"""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare)]

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bare-view-for-load-comparison-only",  # signs nothing: no sessions, no forms
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)
application = get_wsgi_application()
