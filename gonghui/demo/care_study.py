"""The demo county's study articles (电子书屋) and their reading: three dozen articles
across the six categories, published by the county, the two demo townships and the
two demo chairs' unions (most published, a few drafts, one withdrawn, one to come),
and the readings of members in each article's audience: opened, time spent, some
finished.

Written in bulk; each body is what the sanitiser keeps (``study.richtext``), and every
reader's union lies in the article's audience, as the portal would have recorded it.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from gonghui.study.models import Article, ArticleStatus, Category, Reading
from gonghui.study.richtext import clean_body

from .care import BATCH_SIZE

#: Titles per category (the article's wording; the demo is a Chinese county).
TITLES = {
    Category.THEORY: ("新时代工会工作学习要点", "学习贯彻工会十八大精神", "产业工人队伍建设改革"),
    Category.UNION: ("会员权益知多少", "如何办理会员关系接转", "工会经费使用常识"),
    Category.LAW: ("劳动合同法十问", "工资支付暂行规定解读", "劳动争议调解仲裁法要点"),
    Category.MODEL_WORKERS: ("劳模工匠故事：数控车间的二十年", "大国工匠的一天"),
    Category.SAFETY: ("夏季高温作业防护", "有限空间作业安全须知", "消防安全四个能力"),
    Category.HEALTH: ("职业病防治常识", "颈椎保健操", "心理健康自我调适"),
}
#: How many readings the demo records at most (the members of the audiences are many).
READINGS = 600


def _body(title: str) -> str:
    return clean_body(
        f"<h2>{title}</h2><p>本文供职工学习参考。</p>"
        "<ul><li>要点一：了解基本规定。</li><li>要点二：遇到问题找工会。</li></ul>"
        '<p>详见 <a href="https://www.acftu.org/">中华全国总工会</a>。</p>'
    )


def build_study(world, summary) -> None:
    rng = world.rng
    places = world.places
    publishers = [
        (places["county"].pk, world.users.get("county_staff") or world.default_user),
        (places["township1"].pk, world.level_user(places["township1"].pk)),
        (places["township2"].pk, world.level_user(places["township2"].pk)),
        (places["chair1"].pk, world.level_user(places["chair1"].pk)),
        (places["chair2"].pk, world.level_user(places["chair2"].pk)),
    ]
    today = world.today
    articles = []
    n = 0
    for category, titles in TITLES.items():
        for title in titles:
            for copy in range(2):
                organisation, author = publishers[n % len(publishers)]
                n += 1
                shape = "published"
                if n % 11 == 0:
                    shape = "draft"
                elif n % 17 == 0:
                    shape = "withdrawn"
                elif n % 13 == 0:
                    shape = "scheduled"
                publish_on = today - datetime.timedelta(days=rng.randint(3, 300))
                withdraw_on = None
                if shape == "scheduled":
                    publish_on = today + datetime.timedelta(days=rng.randint(2, 20))
                elif shape == "withdrawn":
                    withdraw_on = today - datetime.timedelta(days=1)
                    publish_on = min(publish_on, withdraw_on - datetime.timedelta(days=1))
                full_title = title if copy == 0 else _("%(title)s (continued)") % {"title": title}
                articles.append(
                    Article(
                        organisation_id=organisation,
                        category=category,
                        title=full_title,
                        summary=_("A study article for the union's members."),
                        body=_body(full_title),
                        publish_on=None if shape == "draft" else publish_on,
                        withdraw_on=withdraw_on,
                        status={
                            "draft": ArticleStatus.DRAFT,
                            "withdrawn": ArticleStatus.WITHDRAWN,
                        }.get(shape, ArticleStatus.PUBLISHED),
                        author=author,
                    )
                )
    created = Article.objects.bulk_create(articles, batch_size=BATCH_SIZE)
    summary.study_articles = len(created)
    read_once = [a for a in created if a.status != ArticleStatus.DRAFT and a.publish_on < today]
    readings = []
    seen: set[tuple[int, int]] = set()
    if world.person_ids and read_once:
        for _attempt in range(READINGS * 4):
            if len(readings) >= READINGS:
                break
            index = world.person_index()
            union = world.person_orgs[index]
            if union == world.person_townships[index]:
                continue  # not a member of a union: reads nothing
            article = rng.choice(read_once)
            if article.organisation_id not in world.chain(union):
                continue  # outside the article's audience
            key = (world.person_ids[index], article.pk)
            if key in seen:
                continue
            seen.add(key)
            last = (article.withdraw_on or today) - datetime.timedelta(days=1)
            opened = world.moment(world.day_between(article.publish_on, last))
            seconds = rng.choice((0, 20, 45, 90, 150, 240, 400))
            finished = seconds >= 90 and rng.random() < 0.7
            readings.append(
                Reading(
                    article_id=article.pk,
                    person_id=world.person_ids[index],
                    union_id=union,
                    opened_at=opened,
                    last_seen_at=opened + datetime.timedelta(seconds=seconds),
                    seconds=seconds,
                    finished_at=opened + datetime.timedelta(seconds=seconds) if finished else None,
                )
            )
    Reading.objects.bulk_create(readings, batch_size=BATCH_SIZE)
    summary.study_readings = len(readings)
