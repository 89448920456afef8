"""Indexes for searching a person by a part of the name (a given name): the name without
its first one and without its first two characters (``people.models.NameFrom``)."""

import gonghui.people.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
        ('people', '0005_reveal_bank_account'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='person',
            index=models.Index(gonghui.people.models.NameFrom('name', 2), name='person_name_from_2'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(gonghui.people.models.NameFrom('name', 3), name='person_name_from_3'),
        ),
    ]
