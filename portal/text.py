"""Normalising Japanese text the way JAPAN.md describes."""

import jaconv


def katakana(value):
    """氏名カナ as full-width katakana: half-width kana and hiragana converted."""
    return jaconv.hira2kata(jaconv.h2z(value.strip()))
