"""Removing a photo of a studio's achievement from the console (``studios:photo-remove``):
a POST from a button that asks to confirm, the row and then (once committed) the file
removed from storage, the removal in the audit trail; out of scope 404, read-only 403."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse

from gonghui.studios import services
from gonghui.studios.models import AchievementPhoto
from gonghui.studios.tests.sweep import photo

from .test_studios import studio_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def achievement(county):
    """An achievement of a studio at E1 (T1, G1) with two photos."""
    return services.achievement_create(
        by=county.admin,
        studio=studio_at(county),
        kind="technical",
        title="夹具改进",
        year=2024,
        photos=[photo("一.png"), photo("二.png")],
    )


def remove_url(photo_row) -> str:
    return reverse("studios:photo-remove", args=[photo_row.pk])


def stored(photo_row) -> bool:
    return photo_row.image.storage.exists(photo_row.image.name)


def test_the_unions_chair_removes_a_photo_and_its_file_with_an_audit_entry(
    county, achievement, client_for, django_capture_on_commit_callbacks
):
    first, second = achievement.photos.order_by("pk")
    assert stored(first)
    client = client_for(county.chair1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url(first))
    assert response.status_code == 302
    assert response["Location"] == achievement.get_absolute_url()
    assert list(achievement.photos.all()) == [second]
    assert not stored(first) and stored(second)
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(AchievementPhoto),
        object_pk=str(first.pk),
        action=LogEntry.Action.DELETE,
    )
    assert entry.actor == county.chair1


def test_the_studio_page_offers_the_button_with_a_confirmation_to_editors_only(
    county, achievement, client_for
):
    first = achievement.photos.order_by("pk").first()
    url = reverse("studios:detail", args=[achievement.studio_id])
    html = client_for(county.chair1).get(url).content.decode()
    assert f'action="{remove_url(first)}"' in html
    form = html[html.index(f'action="{remove_url(first)}"') :].split(">", 1)[0]
    assert "data-confirm=" in form
    assert remove_url(first) not in client_for(county.leader).get(url).content.decode()


def test_a_get_does_not_remove(county, achievement, client_for):
    first = achievement.photos.first()
    assert client_for(county.chair1).get(remove_url(first)).status_code == 405
    assert AchievementPhoto.objects.filter(pk=first.pk).exists()


def test_another_union_gets_404_and_a_reader_403_and_the_photo_stays(
    county, achievement, client_for, django_capture_on_commit_callbacks
):
    first = achievement.photos.first()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(county.chair2).post(remove_url(first)).status_code == 404
        assert client_for(county.t2staff).post(remove_url(first)).status_code == 404
        assert client_for(county.leader).post(remove_url(first)).status_code == 403
    assert AchievementPhoto.objects.filter(pk=first.pk).exists() and stored(first)


def test_a_removal_rolled_back_keeps_the_file(
    county, achievement, django_capture_on_commit_callbacks
):
    first = achievement.photos.first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.achievement_photo_delete(by=county.admin, photo=first)
            raise RuntimeError("a later step failed")
    assert callbacks == []
    assert AchievementPhoto.objects.filter(pk=first.pk).exists() and stored(first)
