"""Name search at the check-in desk: kana in either width, hiragana or katakana."""

import unicodedata


def _katakana(text):
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _hiragana(text):
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def search_variants(query):
    """The query as typed, NFKC-normalised (half-width kana → full width), and
    in katakana and hiragana; spaces removed in one variant."""
    normal = unicodedata.normalize("NFKC", query).strip()
    variants = {query.strip(), normal, _katakana(normal), _hiragana(normal)}
    variants |= {v.replace(" ", "").replace("\u3000", "") for v in list(variants)}
    return [v for v in variants if v]
