"""Study articles in the console: writing one, the edit page showing it, publishing
and withdrawing with their dates, and the scope (another union's article is a 404)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gonghui.conftest import signed_in
from gonghui.study import services
from gonghui.study.models import Article, ArticleImage, ArticleStatus
from gonghui.study.tests.sweep import image

TODAY = date(2026, 3, 10)


def make(county, *, by=None, organisation=None, **fields) -> Article:
    values = dict(category="law", title="劳动法学习", body="<p>第一章</p>")
    values.update(fields)
    return services.article_create(
        by=by or county.t1staff, organisation=organisation or county.t1, **values
    )


def test_staff_write_a_draft_through_the_page(county, client):
    signed_in(client, county.t1staff)
    response = client.post(
        reverse("study:create"),
        {
            "organisation": county.t1.pk,
            "category": "health",
            "title": "职业健康",
            "summary": "防暑降温",
            "body": "<h2>防暑</h2><p onmouseover='x()'>多喝水</p>",
            "publish_on": "2026-03-12",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.status == ArticleStatus.DRAFT
    assert article.body == "<h2>防暑</h2><p>多喝水</p>"
    assert article.author == county.t1staff and article.publish_on == date(2026, 3, 12)


def test_the_edit_page_shows_the_article_and_saving_one_field_keeps_the_others(county, client):
    article = make(county, summary="要点", publish_on=date(2026, 3, 1))
    signed_in(client, county.t1staff)
    url = reverse("study:update", args=[article.pk])
    page = client.get(url)
    form = page.context["form"]
    assert form["title"].value() == "劳动法学习" and form["summary"].value() == "要点"
    assert 'value="2026-03-01"' in page.content.decode()
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(organisation=county.t1.pk, title="劳动法学习（修订）", publish_on="2026-03-01")
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "劳动法学习（修订）" and article.summary == "要点"
    assert article.body == "<p>第一章</p>" and article.publish_on == date(2026, 3, 1)


def test_a_chair_publishes_for_their_own_union_only(county, client):
    signed_in(client, county.chair1)
    page = client.get(reverse("study:create"))
    choices = list(page.context["form"].fields["organisation"].queryset)
    assert choices == [county.g1]
    response = client.post(
        reverse("study:create"),
        {"organisation": county.t1.pk, "category": "law", "title": "越权", "body": "<p>x</p>"},
    )
    assert response.status_code == 200 and response.context["form"].errors["organisation"]
    assert not Article.objects.exists()
    with pytest.raises(PermissionDenied):
        make(county, by=county.chair1, organisation=county.t1)


def test_staff_outside_the_articles_scope_get_404_and_the_leader_reads_only(county, client):
    article = make(county, organisation=county.g1, by=county.chair1)
    picture = services.article_image_add(by=county.chair1, article=article, upload=image())
    for user in (county.chair2, county.t2staff):
        signed_in(client, user)
        for name in ("study:detail", "study:update"):
            assert client.get(reverse(name, args=[article.pk])).status_code == 404
        assert client.post(reverse("study:publish", args=[article.pk])).status_code == 404
        assert client.get(reverse("study:image", args=[picture.pk])).status_code == 404
        assert article.title not in client.get(reverse("study:list")).content.decode()
    signed_in(client, county.leader)
    assert client.get(reverse("study:detail", args=[article.pk])).status_code == 200
    assert client.post(reverse("study:publish", args=[article.pk])).status_code == 403
    assert client.get(reverse("study:create")).status_code == 403
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


@time_machine.travel(TODAY, tick=False)
def test_publishing_takes_today_when_no_date_is_set_and_withdrawing_ends_it_today(county, client):
    article = make(county)
    signed_in(client, county.t1staff)
    client.post(reverse("study:publish", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.publish_on == TODAY
    assert article.is_readable_on(TODAY)
    again = client.post(reverse("study:publish", args=[article.pk]), follow=True)
    assert "published already" in again.content.decode()
    client.post(reverse("study:withdraw", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.WITHDRAWN
    # Published today and withdrawn today: the withdraw date follows the publish date.
    assert article.withdraw_on == date(2026, 3, 11)
    assert not article.is_readable_on(TODAY)


def test_a_withdraw_date_before_the_publish_date_is_refused(county):
    with pytest.raises(ValidationError) as refused:
        make(county, publish_on=date(2026, 3, 10), withdraw_on=date(2026, 3, 10))
    assert "withdraw_on" in refused.value.message_dict
    assert not Article.objects.exists()


def test_an_article_whose_withdraw_date_has_passed_is_not_published_again(county):
    article = make(county, publish_on=date(2026, 1, 1), withdraw_on=date(2026, 2, 1))
    with pytest.raises(ValidationError):
        services.article_publish(by=county.t1staff, article=article, today=TODAY)
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_a_file_that_is_not_an_image_is_refused_with_a_message(county, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = make(county)
    signed_in(client, county.t1staff)
    response = client.post(
        reverse("study:image-upload", args=[article.pk]),
        {"image": SimpleUploadedFile("x.png", b"<script>alert(1)</script>")},
        follow=True,
    )
    assert "not a photo" in response.content.decode()
    assert not ArticleImage.objects.exists()
    client.post(reverse("study:image-upload", args=[article.pk]), {"image": image()})
    assert ArticleImage.objects.filter(article=article).count() == 1
