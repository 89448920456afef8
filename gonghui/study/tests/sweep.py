"""Study online for the access sweep (``core/tests/test_access_sweep.py``): an article
of the subtree's union with an image, published since yesterday, and the reading of it
by the subtree's worker (``person``, the portal persona's file).

In a township's own subtree the article stays a draft: a published article of the
township is rightly read by the workers of every union below it (G1's worker among
them), which is its audience, not a leak; its console pages are swept all the same.
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gonghui.study import services

ROUTES = {
    "study:detail": {"pk": "article"},
    "study:update": {"pk": "article"},
    "study:publish": {"pk": "article"},
    "study:withdraw": {"pk": "article"},
    "study:image-upload": {"pk": "article"},
    "study:image": {"pk": "article_image"},
    # The worker portal.
    "portal-study:read": {"pk": "article"},
    "portal-study:beacon": {"pk": "article"},
    "portal-study:image": {"pk": "article_image"},
}


def image(name: str = "插图.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def build(subtree):
    today = timezone.localdate()
    by = subtree.admin
    article = services.article_create(
        by=by,
        organisation=subtree.union,
        category="law",
        title=f"{subtree.union.name}学习文章",
        summary="劳动合同法要点",
        body="<h2>要点</h2><p>劳动合同应当以书面形式订立。</p>",
        publish_on=today - timedelta(days=1),
    )
    picture = services.article_image_add(by=by, article=article, upload=image())
    records = {"article": article, "article_image": picture}
    if subtree.member_union is not None:
        services.article_publish(by=by, article=article)
        records["study_reading"] = services.reading_open(
            person=subtree.records["person"], article=article
        )
    return records


POST_DATA = {
    "portal-study:beacon": {"seconds": "10"},
}

#: The worker's own portal pages answer the worker; the console answers a worker as a
#: visitor. Reading activity is read by every role that sees articles.
ANSWERS = {
    ("portal-study:list", None, "worker1"): 200,
    ("portal-study:list", None, "worker2"): 200,
    ("portal-study:mine", None, "worker1"): 200,
    ("portal-study:list", None, "chair1"): "login",
    ("portal-study:beacon", "article", "worker1", "post"): 200,
    ("study:activity", None, "leader"): 200,
    ("study:activity", None, "chair1"): 200,
    ("study:list", None, "worker1"): "login",
    ("study:publish", "article", "leader", "post"): 403,
}
