"""The portal's navigation: a registry that each app fills from its own `navigation.py`.

Residents see a short top navigation; staff pages carry a second navigation
grouped by app. An app declares its entries in `<app>/navigation.py`
(imported by `PortalConfig.ready` through `autodiscover_modules`), so this
module never needs to know which apps exist. An entry whose URL name does not
resolve (an app not built yet) is left out, and an entry the user may not
open (`permissions.may`) is not shown.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import pgettext_lazy

from .permissions import PUBLIC, may

DASHBOARD = "portal:dashboard"


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    permission: str
    order: int
    section: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int


# Keyed by URL name (items) and key (sections): declaring twice replaces.
_resident_items: dict[str, Item] = {}
_sections: dict[str, Section] = {}
_staff_items: dict[str, Item] = {}


def resident_item(label, url_name, permission=PUBLIC, order=100):
    """An entry of the top navigation that everyone (or the signed-in) sees."""
    _resident_items[url_name] = Item(label, url_name, permission, order)
    _resolved.cache_clear()


def staff_section(key, title, order=100):
    """A group of the staff navigation, usually one per app."""
    _sections[key] = Section(key, title, order)
    _resolved.cache_clear()


def staff_item(section_key, label, url_name, permission, order=100):
    """An entry of the staff navigation, shown to users who may open it."""
    _staff_items[url_name] = Item(label, url_name, permission, order, section_key)
    _resolved.cache_clear()


@dataclass(frozen=True)
class _Resolved:
    """The registry in order with each entry's URL, for one URLconf and
    script prefix: what every page's navigation starts from."""

    resident: tuple  # ((item, url), ...)
    sections: tuple  # ((section, ((item, url), ...)), ...)
    staff_urls: frozenset
    dashboard: str | None


def _entries(items, urlconf):
    found = []
    for item in sorted(items, key=lambda i: (i.order, i.url_name)):
        try:
            found.append((item, reverse(item.url_name, urlconf=urlconf)))
        except NoReverseMatch:
            continue  # an app not built yet
    return tuple(found)


@functools.lru_cache(maxsize=16)
def _resolved(script_prefix, urlconf):
    sections = tuple(
        (section, _entries([i for i in _staff_items.values() if i.section == section.key], urlconf))
        for section in sorted(_sections.values(), key=lambda s: (s.order, s.key))
    )
    staff = _entries(_staff_items.values(), urlconf)
    dashboard = next((url for item, url in staff if item.url_name == DASHBOARD), None)
    return _Resolved(
        resident=_entries(_resident_items.values(), urlconf),
        sections=sections,
        staff_urls=frozenset(url for _item, url in staff),
        dashboard=dashboard,
    )


def _registry():
    # Resolved once per URLconf and script prefix rather than on every page.
    return _resolved(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def _links(entries, user, path):
    return [
        {"label": item.label, "url": url, "current": url == path}
        for item, url in entries
        if may(user, item.permission)
    ]


def staff_navigation(user, path):
    """Sections with the staff pages the user may open; empty sections are left out."""
    sections = []
    for section, entries in _registry().sections:
        links = _links(entries, user, path)
        if links:
            sections.append({"key": section.key, "title": section.title, "items": links})
    return sections


def _in_staff_area(path):
    registry = _registry()
    dashboard = registry.dashboard
    return path in registry.staff_urls or bool(dashboard and path.startswith(dashboard))


def resident_navigation(user, path, *, staff_sections=()):
    """The top navigation, ending with one link into the staff area when there is one."""
    links = _links(_registry().resident, user, path)
    if staff_sections:
        first = staff_sections[0]["items"][0]
        # The dashboard when the user may open it, else their first staff page.
        dashboard = _registry().dashboard
        entry = next(
            (link for s in staff_sections for link in s["items"] if link["url"] == dashboard),
            first,
        )
        links.append(
            {
                "label": pgettext_lazy("navigation", "職員ページ"),
                "url": entry["url"],
                "current": entry["url"] == path,
                "in_section": entry["url"] != path and _in_staff_area(path),
            }
        )
    return links


# --- The portal's own entries. ---

resident_item(pgettext_lazy("navigation", "ホーム"), "portal:home", PUBLIC, order=0)
resident_item(
    pgettext_lazy("navigation", "マイページ"), "portal:mypage", "portal.edit_own_profile", order=900
)

staff_section("portal", pgettext_lazy("navigation", "ポータル"), order=0)
staff_item(
    "portal",
    pgettext_lazy("navigation", "ダッシュボード"),
    DASHBOARD,
    "portal.view_staff_dashboard",
    order=0,
)
staff_item(
    "portal",
    pgettext_lazy("navigation", "施策の論理構造"),
    "portal:logic_model",
    "portal.view_logic_model",
    order=10,
)
staff_item(
    "portal",
    pgettext_lazy("navigation", "利用者と役割"),
    "portal:user_roles",
    "portal.manage_roles",
    order=80,
)
staff_item(
    "portal",
    pgettext_lazy("navigation", "監査ログ"),
    "portal:audit_log",
    "portal.view_audit_log",
    order=90,
)
