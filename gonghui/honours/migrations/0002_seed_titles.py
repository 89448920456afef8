"""The titles in common use, as data a county administrator edits afterwards."""

from django.db import migrations

#: (name, level, held by): the national union's and governments' titles and the
#: county's own commendations.
TITLES = [
    ("全国劳动模范", "national", "person"),
    ("全国先进工作者", "national", "person"),
    ("全国五一劳动奖章", "national", "person"),
    ("大国工匠", "national", "person"),
    ("全国工人先锋号", "national", "team"),
    ("省劳动模范", "provincial", "person"),
    ("省级工匠", "provincial", "person"),
    ("省工人先锋号", "provincial", "team"),
    ("市劳动模范", "municipal", "person"),
    ("市级工匠", "municipal", "person"),
    ("县劳动模范", "county", "person"),
    ("县级工匠", "county", "person"),
    ("县工人先锋号", "county", "team"),
    ("先进集体", "county", "organisation"),
    ("先进个人", "county", "person"),
]


def seed(apps, schema_editor):
    Title = apps.get_model("honours", "Title")
    for name, level, holder_kind in TITLES:
        Title.objects.get_or_create(
            name=name, defaults={"level": level, "holder_kind": holder_kind}
        )


def unseed(apps, schema_editor):
    Title = apps.get_model("honours", "Title")
    Title.objects.filter(
        name__in=[name for name, _level, _kind in TITLES],
        holdings__isnull=True,
        nominations__isnull=True,
        care_rules__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("honours", "0001_titles_nominations_care")]

    operations = [migrations.RunPython(seed, unseed)]
