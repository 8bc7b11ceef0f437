"""Structural accessibility rules (JIS X 8341-3:2016 / WCAG 2.1 AA) on every page.

Only what can be checked in the server-rendered HTML: language, headings,
landmarks, labels, alternative text, unique ids, tables, link and button
names, no inline scripts or styles (the Content-Security-Policy forbids them),
and error messages tied to their fields. The HTML is read with the standard
library's parser, so the test needs no browser.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.forms.forms import NON_FIELD_ERRORS

from areas.models import Organisation
from portal.models import AuditLogEntry, Role
from tests.factories import DistrictFactory, OrganisationFactory, local_issue, represent

VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
# <input> types that are not filled in by the user (so they need no label).
UNLABELLED_INPUT_TYPES = frozenset({"hidden", "submit", "button", "image", "reset"})
FULL_WIDTH_SPACE = "\u3000"


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict
    parent: "Element | None"
    texts: list = field(default_factory=list)
    image_alts: list = field(default_factory=list)

    @property
    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def inside(self, tag):
        return any(ancestor.tag == tag for ancestor in self.ancestors)

    def closest(self, tag):
        return next((ancestor for ancestor in self.ancestors if ancestor.tag == tag), None)

    @property
    def text(self):
        return " ".join("".join(self.texts).split())

    @property
    def name(self):
        """The text content plus the alternative text of images inside it."""
        return " ".join("".join(self.texts + self.image_alts).split())

    def describe(self):
        attrs = " ".join(
            f'{key}="{value}"' if value is not None else key for key, value in self.attrs.items()
        )
        return f"<{self.tag}{' ' if attrs else ''}{attrs}>"


class PageCollector(HTMLParser):
    """Collects every element (in document order, with its ancestors and text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.text_nodes = []
        self._open = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self._open[-1] if self._open else None)
        self.elements.append(element)
        if tag == "img":
            for ancestor in self._open:
                ancestor.image_alts.append(element.attrs.get("alt") or "")
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        self.text_nodes.append(data)
        for element in self._open:
            element.texts.append(data)

    def all(self, *tags):
        return [element for element in self.elements if element.tag in tags]

    def by_id(self, element_id):
        return next((el for el in self.elements if el.attrs.get("id") == element_id), None)


def parse(html):
    collector = PageCollector()
    collector.feed(html)
    collector.close()
    return collector


@dataclass(frozen=True)
class Page:
    path: str
    role: str | None = None
    method: str = "get"
    data: dict | None = None
    status: int = 200


def page_param(path, role=None, *, method="get", data=None, status=200, note=""):
    who = role or "anonymous"
    label = f"{who} {method.upper()} {path}{f' ({note})' if note else ''}"
    return pytest.param(Page(path, role, method, data, status), id=label)


AUDIT_LOG_WITH_INVALID_DATE = (
    "/staff/audit-log/?date_from_year=2026&date_from_month=2&date_from_day=30"
)

# Pages re-rendered with validation errors.
ERROR_PAGES = [
    page_param(
        "/areas/organisations/new/", Role.COORDINATOR, method="post", data={}, note="errors"
    ),
    page_param("/accounts/signup/", method="post", data={}, note="errors"),
    page_param(AUDIT_LOG_WITH_INVALID_DATE, Role.ADMINISTRATOR, note="errors"),
]

PAGES = [
    page_param("/"),
    page_param("/areas/"),
    page_param("/areas/A01/"),
    page_param("/areas/organisations/"),
    page_param("/areas/organisations/{organisation}/"),
    page_param("/areas/issues/"),
    page_param("/accessibility/"),
    page_param("/accounts/login/"),
    page_param("/accounts/signup/"),
    page_param("/accounts/password/reset/"),
    page_param("/areas/NOPE/", status=404),
    page_param("/", Role.RESIDENT),
    page_param("/profile/", Role.RESIDENT),
    page_param("/mypage/", Role.RESIDENT),
    page_param("/mypage/", Role.REPRESENTATIVE),
    page_param("/areas/organisations/{organisation}/edit/", Role.REPRESENTATIVE),
    page_param("/staff/", Role.RESIDENT, status=403),
    page_param("/staff/", Role.COORDINATOR),
    page_param("/areas/issues/", Role.COORDINATOR),
    page_param("/areas/issues/new/", Role.COORDINATOR),
    page_param("/areas/issues/{issue}/edit/", Role.COORDINATOR),
    page_param("/areas/organisations/{organisation}/", Role.COORDINATOR),
    page_param("/areas/organisations/new/", Role.COORDINATOR),
    page_param("/areas/organisations/{organisation}/edit/", Role.COORDINATOR),
    page_param("/staff/audit-log/", Role.ADMINISTRATOR),
    page_param("/areas/import/", Role.ADMINISTRATOR),
    *ERROR_PAGES,
]


# --- The rules: each returns a list of problems found on the page. ---


def rule_html_lang_is_ja(page):
    html = page.all("html")
    if not html:
        return ["no <html> element"]
    if html[0].attrs.get("lang") != "ja":
        return [f'the first <html> has lang={html[0].attrs.get("lang")!r}, not "ja"']
    return []


def rule_exactly_one_h1(page):
    headings = page.all("h1")
    if len(headings) != 1:
        return [f"{len(headings)} <h1> elements: {[h.text for h in headings]}"]
    return []


def rule_main_and_skip_link(page):
    problems = []
    if not [main for main in page.all("main") if main.attrs.get("id") == "main"]:
        problems.append('no <main id="main">')
    links = page.all("a")
    if not links:
        problems.append("no links, so no skip link")
    elif links[0].attrs.get("href") != "#main":
        problems.append(f'the first link is {links[0].describe()}, not the skip link to "#main"')
    return problems


def rule_landmarks(page):
    problems = []
    for tag in ("header", "footer"):
        if not page.all(tag):
            problems.append(f"no <{tag}>")
    navs = page.all("nav")
    if not navs:
        problems.append("no <nav>")
    for nav in navs:
        if not (nav.attrs.get("aria-label") or "").strip() and not nav.attrs.get("aria-labelledby"):
            problems.append(f"{nav.describe()} has no aria-label")
    return problems


def _needs_label(element):
    if element.tag == "input":
        return (element.attrs.get("type") or "text").lower() not in UNLABELLED_INPUT_TYPES
    return element.tag in ("select", "textarea")


def rule_form_controls_are_labelled(page):
    label_targets = {label.attrs.get("for") for label in page.all("label")} - {None, ""}
    problems = []
    for control in page.all("input", "select", "textarea"):
        if not _needs_label(control):
            continue
        if control.attrs.get("id") and control.attrs["id"] in label_targets:
            continue
        if control.inside("label"):
            continue
        if (control.attrs.get("aria-label") or "").strip() or (
            control.attrs.get("aria-labelledby") or ""
        ).strip():
            continue
        problems.append(f"{control.describe()} has no label")
    return problems


def rule_images_have_alt(page):
    return [f"{img.describe()} has no alt" for img in page.all("img") if "alt" not in img.attrs]


def rule_ids_are_unique(page):
    seen = {}
    for element in page.elements:
        element_id = element.attrs.get("id")
        if element_id is not None:
            seen.setdefault(element_id, []).append(element)
    return [
        f'id="{element_id}" is used {len(elements)} times: '
        + ", ".join(e.describe() for e in elements)
        for element_id, elements in seen.items()
        if len(elements) > 1
    ]


def rule_no_inline_script_or_style(page):
    problems = []
    for script in page.all("script"):
        if "src" not in script.attrs and "".join(script.texts).strip():
            problems.append(f"inline {script.describe()}: {''.join(script.texts).strip()[:80]!r}")
    for style in page.all("style"):
        problems.append(f"<style> block: {''.join(style.texts).strip()[:80]!r}")
    for element in page.elements:
        if "style" in element.attrs:
            problems.append(f"style attribute on {element.describe()}")
        handlers = sorted(name for name in element.attrs if name.startswith("on"))
        if handlers:
            problems.append(f"inline event handler {handlers} on {element.describe()}")
    return problems


def rule_tables_have_headers(page):
    problems = []
    headers = page.all("th")
    for table in page.all("table"):
        if not any(th.closest("table") is table for th in headers):
            problems.append(f"{table.describe()} has no <th> cells")
    for th in headers:
        if th.inside("thead") and th.attrs.get("scope") != "col":
            problems.append(f'{th.describe()} ({th.text!r}) in <thead> lacks scope="col"')
    return problems


def rule_references_point_to_elements(page):
    """label for=, aria-labelledby, aria-describedby and in-page links name existing ids."""
    ids = {element.attrs.get("id") for element in page.elements} - {None}
    problems = []
    for element in page.elements:
        for attribute in ("for", "aria-labelledby", "aria-describedby"):
            for reference in (element.attrs.get(attribute) or "").split():
                if reference not in ids:
                    problems.append(f"{element.describe()}: {attribute} names a missing id")
        href = element.attrs.get("href") or ""
        if element.tag == "a" and href.startswith("#") and href[1:] not in ids:
            problems.append(f"{element.describe()} points to a missing id")
    return problems


def rule_links_have_names(page):
    return [
        f"empty link {link.describe()}"
        for link in page.all("a")
        if not link.name and not (link.attrs.get("aria-label") or "").strip()
    ]


def rule_buttons_have_text(page):
    return [f"empty button {button.describe()}" for button in page.all("button") if not button.name]


def rule_no_full_width_space_layout(page):
    return [
        f"text spaced out with full-width spaces: {text.strip()!r}"
        for text in page.text_nodes
        if FULL_WIDTH_SPACE * 2 in text
    ]


RULES = (
    rule_html_lang_is_ja,
    rule_exactly_one_h1,
    rule_main_and_skip_link,
    rule_landmarks,
    rule_form_controls_are_labelled,
    rule_images_have_alt,
    rule_ids_are_unique,
    rule_no_inline_script_or_style,
    rule_tables_have_headers,
    rule_references_point_to_elements,
    rule_links_have_names,
    rule_buttons_have_text,
    rule_no_full_width_space_layout,
)


# --- Fetching the pages. ---


@pytest.fixture
def portal_data(db):
    district = DistrictFactory(area__code="A01", area__name="中央地域", name="本町一丁目")
    organisation = OrganisationFactory(areas=[district.area], name="本町一丁目自治会")
    # One row for the audit log's table (the page records its own view after reading).
    AuditLogEntry.objects.create(
        actor_email="coordinator@example.jp",
        actor_role=Role.COORDINATOR,
        action=AuditLogEntry.Action.VIEW,
        target_type="areas.organisation",
        target_id=str(organisation.pk),
        target_repr=organisation.name,
    )
    return {"organisation": organisation.pk, "issue": local_issue(1).pk}


@pytest.fixture
def fetch(client, client_as, portal_data):
    def get(page):
        browser = client_as(page.role) if page.role else client
        if page.role == Role.REPRESENTATIVE:
            represent(browser.user, Organisation.objects.get(pk=portal_data["organisation"]))
        path = page.path.format(**portal_data)
        if page.method == "post":
            response = browser.post(path, page.data or {})
        else:
            response = browser.get(path)
        assert response.status_code == page.status, (
            f"{page.method.upper()} {path} answered {response.status_code}, expected {page.status}"
        )
        return response

    return get


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_page_follows_the_structural_rules(fetch, page):
    document = parse(fetch(page).content.decode())
    problems = [
        f"{rule.__name__.removeprefix('rule_')}: {problem}"
        for rule in RULES
        for problem in rule(document)
    ]
    assert problems == [], "\n".join(problems)


def test_each_rule_finds_what_it_looks_for():
    """Every rule reports a page built to break it (so a rule cannot silently pass all)."""
    broken = {
        rule_html_lang_is_ja: '<html lang="en"><body></body></html>',
        rule_exactly_one_h1: "<h1>a</h1><h1>b</h1>",
        rule_main_and_skip_link: '<a href="/">x</a><main></main>',
        rule_landmarks: "<header></header><footer></footer><nav></nav>",
        rule_form_controls_are_labelled: '<input type="text" id="x">',
        rule_images_have_alt: '<img src="x.png">',
        rule_ids_are_unique: '<p id="a"></p><p id="a"></p>',
        rule_no_inline_script_or_style: '<p style="color:red">x</p>',
        rule_tables_have_headers: "<table><tr><td>x</td></tr></table>",
        rule_references_point_to_elements: '<label for="nowhere">x</label>',
        rule_links_have_names: '<a href="/"></a>',
        rule_buttons_have_text: "<button></button>",
        rule_no_full_width_space_layout: "<p>氏\u3000\u3000名</p>",
    }
    assert set(broken) == set(RULES)
    for rule, html in broken.items():
        assert rule(parse(html)), rule.__name__


# --- Validation errors. ---


def _squash(text):
    return " ".join(str(text).split())


def _controls_of(document, auto_id):
    """The controls of a field: id `auto_id`, or `auto_id_N` for a group of inputs."""
    controls = []
    for control in document.all("input", "select", "textarea"):
        control_id = control.attrs.get("id") or ""
        suffix = control_id.removeprefix(f"{auto_id}_")
        if _needs_label(control) and (
            control_id == auto_id or (suffix != control_id and suffix.isdigit())
        ):
            controls.append(control)
    return controls


def _error_references(control):
    """Ids named by aria-describedby on the control or on its enclosing fieldset."""
    ids = (control.attrs.get("aria-describedby") or "").split()
    fieldset = control.closest("fieldset")
    if fieldset is not None:
        ids += (fieldset.attrs.get("aria-describedby") or "").split()
    return ids


@pytest.mark.django_db
@pytest.mark.parametrize("page", ERROR_PAGES)
def test_errors_are_announced_and_tied_to_their_fields(fetch, page):
    response = fetch(page)
    form = response.context["form"]
    field_errors = {
        name: errors for name, errors in form.errors.items() if name != NON_FIELD_ERRORS
    }
    assert field_errors, "the page was expected to show validation errors"
    document = parse(response.content.decode())
    problems = []
    alerts = " ".join(el.text for el in document.elements if el.attrs.get("role") == "alert")
    if not alerts:
        problems.append('no error summary with role="alert"')
    for name, errors in field_errors.items():
        for error in errors:
            if alerts and _squash(error) not in alerts:
                problems.append(f'{name}: the role="alert" summary does not list {error!r}')
        controls = _controls_of(document, form[name].auto_id)
        if not controls:
            problems.append(f"{name}: no form control with id {form[name].auto_id!r} (or _N)")
        for control in controls:
            if control.attrs.get("aria-invalid") != "true":
                problems.append(f'{name}: {control.describe()} lacks aria-invalid="true"')
            references = _error_references(control)
            described = [document.by_id(ref) for ref in references]
            missing = [ref for ref, el in zip(references, described, strict=True) if el is None]
            if missing:
                problems.append(f"{name}: aria-describedby names missing ids {missing}")
            texts = " ".join(el.text for el in described if el is not None)
            for error in errors:
                if _squash(error) not in texts:
                    problems.append(
                        f"{name}: {control.describe()} is not described by an element "
                        f"containing the error {error!r}"
                    )
    assert problems == [], "\n".join(problems)
