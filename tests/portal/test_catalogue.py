"""The English catalogue is complete, and pages switched to English read in English."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from portal.models import Role

ROOT = Path(__file__).resolve().parents[2]
UNTRANSLATED = ROOT / "bin" / "untranslated"
# Kana, CJK ideographs and full-width forms: what an untranslated Japanese string shows.
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
# The names makemessages extracts (xgettext's Python defaults and Django's additions);
# a call through any other alias (`gettext_lazy as _lazy`) never reaches the catalogue.
EXTRACTED_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
TRANSLATION_IMPORT = re.compile(r"from django\.utils\.translation import \(?([^)\n]+)")
SOURCE_DIRS = ("portal", "areas", "liaisons", "meetings", "surveys", "grants")


def run_untranslated(*paths):
    return subprocess.run(
        [sys.executable, str(UNTRANSLATED), *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_english_catalogue_has_no_empty_or_fuzzy_entries():
    result = run_untranslated()
    assert result.returncode == 0 and result.stdout == "", (
        "Translate these entries in locale/en/LC_MESSAGES/django.po "
        "(then make messages):\n" + result.stdout
    )


def test_untranslated_lists_empty_plural_and_fuzzy_entries_only(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        """msgid ""
msgstr ""
"Language: en\\n"

#: a.py:1
msgid "訳あり"
msgstr "Translated"

#: a.py:2
msgid "長い"
"見出し"
msgstr ""

#, fuzzy, python-format
#| msgid "古い%s"
msgid "新しい%s"
msgstr "Old %s"

msgctxt "navigation"
msgid "ホーム"
msgstr ""
"Home"

#, python-format
msgid "%(counter)s件"
msgid_plural "%(counter)s件"
msgstr[0] "%(counter)s entry"
msgstr[1] ""

#, fuzzy
#~ msgid "廃止"
#~ msgstr ""

msgid "最後"
msgstr "Last"
""",
        encoding="utf-8",
    )
    result = run_untranslated(po)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{po}:10: empty: 長い見出し",
        f"{po}:16: fuzzy: 新しい%s",
        f"{po}:25: empty: %(counter)s件",
    ]

    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "はい"\nmsgstr "Yes"\n', encoding="utf-8")
    assert run_untranslated(po).returncode == 0


def test_translation_functions_are_imported_under_names_makemessages_extracts():
    wrong = []
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            for names in TRANSLATION_IMPORT.findall(path.read_text(encoding="utf-8")):
                for name in names.split(","):
                    original, _, alias = name.strip().partition(" as ")
                    used = alias.strip() or original.strip()
                    if "gettext" in original and used not in EXTRACTED_NAMES:
                        wrong.append(f"{path.relative_to(ROOT)}: {name.strip()}")
    assert wrong == []


def english_h1(client, url):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="en">' in page
    headings = H1.findall(page)
    assert len(headings) == 1, url
    return re.sub(r"<[^>]+>", "", headings[0]).strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/", "Community Partnership Portal"),
        ("/areas/", "Areas"),
        ("/areas/organisations/", "Organisations"),
        ("/accessibility/", "Web accessibility policy"),
        ("/accounts/login/", None),
    ],
)
def test_public_pages_switched_to_english_have_english_headings(client, url, heading):
    text = english_h1(client, url)
    assert text and not JAPANESE.search(text), f"{url}: <h1>{text}</h1>"
    if heading:
        assert heading in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.RESIDENT, "/mypage/"),
        (Role.RESIDENT, "/areas/organisations/register/"),
        (Role.COORDINATOR, "/staff/"),
        (Role.COORDINATOR, "/areas/representations/"),
        (Role.ADMINISTRATOR, "/staff/users/"),
        (Role.ADMINISTRATOR, "/staff/audit-log/"),
    ],
)
def test_signed_in_pages_switched_to_english_have_english_headings(client_as, role, url):
    text = english_h1(client_as(role), url)
    assert text and not JAPANESE.search(text), f"{url}: <h1>{text}</h1>"
