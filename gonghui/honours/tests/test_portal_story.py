"""A model worker's story on a page of its own in the portal (``portal-honours:story-detail``):
the text and the photo, reached from the list of stories and from study's model-workers
list; a story not published, withdrawn or missing answers 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gonghui.honours import services
from gonghui.portal.tests.test_card import bound_client, worker


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), (30, 90, 200)).save(out, format="PNG")
    return SimpleUploadedFile("车间.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def reader(county, portal_sign_in):
    """A worker of the county signed into the portal (not the model worker)."""
    return bound_client(portal_sign_in, worker(county, 41, union=county.g2))


@pytest.fixture
def story(county, world):
    services.holding_record(
        by=county.superuser,
        title=world.county_title,
        year=2025,
        conferred_on=dt.date(2025, 4, 30),
        person=world.w1,
    )
    story = services.story_save(
        by=county.admin,
        person=world.w1,
        headline="扎根一线二十年",
        text="第一段。\n第二段讲革新。",
        photo=_photo(),
    )
    return services.story_publish(by=county.admin, story=story, publish=True)


def detail(story) -> str:
    return reverse("portal-honours:story-detail", args=[story.pk])


def test_a_published_story_shows_its_text_and_photo(reader, story):
    page = reader.get(detail(story))
    assert page.status_code == 200
    html = page.content.decode()
    assert "扎根一线二十年" in html and "劳模甲" in html
    assert "第一段。<br>第二段讲革新。" in html
    photo = reverse("portal-honours:story-photo", args=[story.pk])
    assert f'src="{photo}"' in html
    assert reader.get(photo).status_code == 200


def test_the_story_is_reached_from_the_list_and_from_studys_model_workers(reader, story):
    stories = reader.get(reverse("portal-honours:stories")).content.decode()
    assert f'href="{detail(story)}"' in stories
    study = reader.get(reverse("portal-study:list"), {"category": "model_workers"})
    assert f'href="{detail(story)}"' in study.content.decode()


def test_a_draft_a_withdrawn_or_a_missing_story_answers_404(county, world, reader, story):
    draft = services.story_save(by=county.admin, person=world.w1, headline="草稿", text="未完")
    assert reader.get(detail(draft)).status_code == 404
    services.story_publish(by=county.admin, story=story, publish=False)
    assert reader.get(detail(story)).status_code == 404
    missing = reverse("portal-honours:story-detail", args=[story.pk + 1000])
    assert reader.get(missing).status_code == 404


def test_a_visitor_not_signed_in_is_sent_to_sign_in(client, story):
    response = client.get(detail(story))
    assert response.status_code == 302
    assert reverse("portal:sign-in") in response["Location"]
