"""The article body's sanitiser on hostile HTML: each attack stripped, the allowed
markup kept, images only the article's own (``study.richtext``), through the service
that saves the body and the pages that show it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gonghui.conftest import signed_in
from gonghui.study import services
from gonghui.study.models import Article
from gonghui.study.richtext import clean_body, for_console
from gonghui.study.tests.sweep import image

HOSTILE = [
    # (what is written, what must not survive, what must survive)
    ("<p>前言<script>alert(1)</script></p>", ["<script", "alert"], ["<p>前言</p>"]),
    ('<img src="x" onerror="alert(1)">', ["onerror", "alert", 'src="x"'], []),
    ('<p onclick="steal()">点</p>', ["onclick", "steal"], ["<p>点</p>"]),
    ('<a href="javascript:alert(1)">链接</a>', ["javascript", "alert"], ["链接"]),
    ('<a href=" JaVaScRiPt:alert(1)">链接</a>', ["alert", "JaVaScRiPt"], ["链接"]),
    ('<a href="jav&#x61;script:alert(1)">链接</a>', ["alert", "script:"], ["链接"]),
    ('<a href="vbscript:msgbox(1)">v</a>', ["vbscript", "msgbox"], []),
    ('<a href="data:text/html,<script>alert(1)</script>">d</a>', ["data:", "alert"], []),
    ("<style>body{display:none}</style><p>正文</p>", ["<style", "display"], ["<p>正文</p>"]),
    ('<p style="position:fixed;top:0">浮</p>', ["style", "position"], ["<p>浮</p>"]),
    ('<iframe src="https://evil.example/"></iframe>框', ["iframe", "evil"], ["框"]),
    ("<svg><script>alert(1)</script><circle r=9 /></svg>后", ["svg", "alert", "circle"], ["后"]),
    ('<svg onload="alert(1)"><a xlink:href="javascript:alert(2)">x</a></svg>', ["alert"], []),
    ('<math><mi xlink:href="javascript:alert(1)">m</mi></math>', ["javascript", "alert"], []),
    ('<img src="data:image/png;base64,iVBORw0KGgo=">', ["data:", "base64"], []),
    ('<img src="https://evil.example/track.gif">', ["evil", "track"], []),
    ("<scr<script>ipt>alert(1)</scr</script>ipt>", ["<script", "<scr"], []),
    ('<object data="x.swf"></object><embed src="x.swf">', ["object", "embed", "swf"], []),
    ('<form action="https://evil.example"><input name=p></form>', ["form", "input"], []),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', ["onerror"], []),
    ("<!-- <script>alert(1)</script> -->注", ["<!--", "alert"], ["注"]),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', ["meta", "evil"], []),
    ('<base href="https://evil.example/">', ["base", "evil"], []),
    ('<p class="x" id="y">属性</p>', ["class", "id="], ["<p>属性</p>"]),
]


@pytest.mark.parametrize(("written", "gone", "kept"), HOSTILE)
def test_hostile_markup_is_stripped_and_the_text_kept(written, gone, kept):
    cleaned = clean_body(written)
    for fragment in gone:
        assert fragment.lower() not in cleaned.lower(), cleaned
    for fragment in kept:
        assert fragment in cleaned, cleaned


def test_the_allowed_markup_is_kept():
    written = (
        "<h2>标题</h2><h3>小节</h3><p>一段<strong>粗</strong><em>斜</em><br>换行</p>"
        "<ul><li>甲</li></ul><ol><li>乙</li></ol><blockquote>引用</blockquote>"
        '<table><thead><tr><th scope="col">项</th></tr></thead>'
        '<tbody><tr><td colspan="2">值</td></tr></tbody></table>'
        '<p><a href="https://www.acftu.org/" title="全总">全总</a></p>'
    )
    cleaned = clean_body(written)
    for fragment in (
        "<h2>标题</h2>",
        "<h3>小节</h3>",
        "<strong>粗</strong>",
        "<em>斜</em>",
        "<br>",
        "<ul><li>甲</li></ul>",
        "<ol><li>乙</li></ol>",
        "<blockquote>引用</blockquote>",
        '<th scope="col">项</th>',
        '<td colspan="2">值</td>',
    ):
        assert fragment in cleaned
    assert (
        '<a href="https://www.acftu.org/" title="全总" rel="noopener noreferrer">全总</a>'
        in cleaned
    )


def test_a_link_gets_noopener_and_a_relative_or_mail_link_loses_its_address():
    cleaned = clean_body('<a href="http://a.example/" rel="opener">x</a><a href="/m/">y</a>')
    assert '<a href="http://a.example/" rel="noopener noreferrer">x</a>' in cleaned
    assert '<a rel="noopener noreferrer">y</a>' in cleaned
    assert "mailto" not in clean_body('<a href="mailto:a@b.example">m</a>')


def test_only_the_articles_own_images_keep_their_address_rewritten_to_the_portals():
    own = {7: "/m/study/images/7/"}
    cleaned = clean_body(
        '<img src="/study/images/7/" alt="图一">'  # the console's address: rewritten
        '<img src="https://host.example/m/study/images/7/">'  # with a host: rewritten
        '<img src="/m/study/images/8/">'  # another article's image: dropped
        '<img src="/m/study/images/7/?x=1">',  # not exactly the address: dropped
        image_urls=own,
    )
    assert cleaned.count('src="/m/study/images/7/"') == 2
    assert "/8/" not in cleaned and "?x=1" not in cleaned
    assert 'alt="图一"' in cleaned
    assert for_console(cleaned).count('src="/study/images/7/"') == 2


@pytest.fixture
def article(county):
    return services.article_create(
        by=county.t1staff,
        organisation=county.t1,
        category="safety",
        title="安全生产",
        body="<p>初稿</p>",
        publish_on=date(2026, 3, 1),
    )


def test_the_body_is_stored_sanitised_and_an_empty_result_is_refused(county, article):
    services.article_update(
        by=county.t1staff,
        article=article,
        body='<p>安全第一</p><script>alert(1)</script><img src=x onerror="alert(2)">',
    )
    article.refresh_from_db()
    assert article.body == "<p>安全第一</p><img>"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.article_update(by=county.t1staff, article=article, body="<script>x()</script>")
    assert "body" in refused.value.message_dict
    article.refresh_from_db()
    assert article.body == "<p>安全第一</p><img>"


def test_an_uploaded_image_is_kept_in_the_body_and_shown_from_the_consoles_address(
    county, article, client
):
    picture = services.article_image_add(by=county.t1staff, article=article, upload=image())
    services.article_update(
        by=county.t1staff,
        article=article,
        body=f'<p>图</p><img src="{picture.portal_url()}" alt="图">'
        '<img src="/m/study/images/99999/">',
    )
    article.refresh_from_db()
    assert f'<img src="/m/study/images/{picture.pk}/" alt="图">' in article.body
    assert "99999" not in article.body
    page = signed_in(client, county.t1staff).get(reverse("study:detail", args=[article.pk]))
    assert f'src="/study/images/{picture.pk}/"' in page.content.decode()
    served = client.get(reverse("study:image", args=[picture.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_the_editor_previews_the_sanitised_body_without_saving(county, article, client):
    signed_in(client, county.t1staff)
    url = reverse("study:update", args=[article.pk])
    response = client.post(
        url,
        {
            "organisation": county.t1.pk,
            "category": "safety",
            "title": "安全生产",
            "body": '<p>预览</p><script>alert("x")</script><a href="javascript:x()">j</a>',
            "preview": "1",
        },
    )
    assert response.status_code == 200
    preview = str(response.context["preview"])
    assert "<p>预览</p>" in preview and "script" not in preview and "javascript" not in preview
    article.refresh_from_db()
    assert article.body == "<p>初稿</p>"
    assert Article.objects.count() == 1
