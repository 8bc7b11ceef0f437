"""Registrations keep a keyed hash of their letter's code instead of the code.

The code in plain text answered the survey in the resident's name for anyone
who could read the registration (the admin, the applicants page, a database
reader). Each stored code becomes `invitation_reference(canonical code)`,
computed here as the service computes it, so a letter registered before the
change and after it is the same letter; then the column is dropped.
"""

import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.db import migrations, models

# As surveys.services.codes.normalise: what people type for the characters
# the codes leave out.
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def _canonical(code):
    text = unicodedata.normalize("NFKC", code or "").upper()
    return "".join(ch for ch in text if ch.isalnum()).translate(_TYPED)


def _reference(canonical):
    key = hashlib.sha256(("meetings.invitation-ref:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def hash_codes(apps, schema_editor):
    Registration = apps.get_model("meetings", "Registration")
    rows = (
        Registration.objects.exclude(invitation_code="")
        .only("pk", "meeting_id", "status", "invitation_code")
        .order_by("pk")
    )
    changed, active = [], set()
    for registration in rows.iterator(chunk_size=1000):
        canonical = _canonical(registration.invitation_code)
        if registration.status in ("confirmed", "waiting"):
            # One letter typed two ways ("ABCD-EFGH-…" and "abcdefgh…") made two
            # active registrations; the later one keeps a value of its own.
            if (registration.meeting_id, canonical) in active:
                canonical = f"{canonical}:{registration.pk}"
            active.add((registration.meeting_id, canonical))
        registration.invitation_ref = _reference(canonical)
        registration.invitation_code = ""
        changed.append(registration)
    Registration.objects.bulk_update(changed, ["invitation_ref", "invitation_code"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_registration_phone"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="invitation_ref",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                verbose_name="案内状の照合値",
            ),
        ),
        migrations.RunPython(hash_codes, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="registration",
            name="registration_one_active_per_invitation",
        ),
        migrations.RemoveField(
            model_name="registration",
            name="invitation_code",
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("status__in", ["confirmed", "waiting"]),
                    models.Q(("invitation_ref", ""), _negated=True),
                ),
                fields=("meeting", "invitation_ref"),
                name="registration_one_active_per_invitation",
            ),
        ),
    ]
