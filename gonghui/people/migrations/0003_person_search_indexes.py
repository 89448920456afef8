"""Narrower search indexes on the person table, and one fewer.

Importing a roster writes each new person into every index of the table; the
indexes on random keyed hashes cost the most (docs/benchmarks.md, "Roster
import"). The suffix hashes are indexed by their first characters only
(``people.models.suffix_key``); the whole phone's hash loses its index (the
phone's suffix narrows the search); the employer's own index repeats the start
of person_employer_union.
"""

import django.db.models.deletion
from django.db import migrations, models

import gonghui.people.models

#: The name Django gave the index of the employer foreign key (0001), on every database.
EMPLOYER_INDEX = "people_person_employer_id_7a14f3a1"


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("people", "0002_coverage_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_id_suffix",
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="person_phone_suffix",
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="person_phone",
        ),
        # The state drops the index on the employer alone; the database drops it by
        # name, because an AlterField would make SQLite copy the whole person table.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="employer",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="people",
                        to="orgs.employer",
                        verbose_name="employer",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{EMPLOYER_INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{EMPLOYER_INDEX}" ON "people_person" ("employer_id")'
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                gonghui.people.models.SuffixKey("id_suffix_hash"),
                name="person_id_suffix_key",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                gonghui.people.models.SuffixKey("phone_suffix_hash"),
                name="person_phone_suffix_key",
            ),
        ),
    ]
