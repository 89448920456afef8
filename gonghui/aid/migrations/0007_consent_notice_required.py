import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0006_privacy_notices"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="consent",
            name="notice_version",
        ),
        migrations.AlterField(
            model_name="consent",
            name="notice",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents",
                to="aid.privacynotice",
                verbose_name="notice",
            ),
        ),
    ]
