"""The name-part indexes of 0006 hold only the names long enough to be found through them.

A part of two or more characters found from the 2nd character needs a name of at
least three characters, one found from the 3rd a name of at least four: two-character
names (a third of a county) leave the first index and all but a few names the second,
so an import writes fewer index entries (docs/benchmarks.md, "Name parts").
"""

import gonghui.people.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
        ('people', '0007_new_forms_of_employment_labels'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='person',
            name='person_name_from_2',
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='person_name_from_3',
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(gonghui.people.models.NameFrom('name', 2), condition=models.Q(gonghui.people.models.NameLongEnough('name', 3)), name='person_name_from_2'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(gonghui.people.models.NameFrom('name', 3), condition=models.Q(gonghui.people.models.NameLongEnough('name', 4)), name='person_name_from_3'),
        ),
    ]
