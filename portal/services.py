from django.db import transaction


def update_profile(*, user, full_name, full_name_kana, district):
    """A signed-in person's own name, kana and home district."""
    with transaction.atomic():
        user.full_name = full_name
        user.full_name_kana = full_name_kana
        user.district = district
        user.full_clean(exclude=["password"])
        user.save(update_fields=["full_name", "full_name_kana", "district"])
    return user
