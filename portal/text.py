"""Normalising Japanese text the way JAPAN.md describes."""

import jaconv
from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

# PostgreSQL's ICU collation that sorts kana in 五十音 order (and ignores the
# difference between ア and ｱ, が and か where it should).
JAPANESE_COLLATION = "ja-x-icu"


def katakana(value):
    """氏名カナ as full-width katakana: half-width kana and hiragana converted."""
    return jaconv.hira2kata(jaconv.h2z(value.strip()))


def kana_order(field_name):
    """An ORDER BY expression that sorts a kana column the Japanese way."""
    if connection.vendor == "postgresql":
        return Collate(F(field_name), JAPANESE_COLLATION)
    return F(field_name)
