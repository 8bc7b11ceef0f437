"""Finding the forms of a rendered page and filling them in.

The hostile-input test drives every form the way a browser would: it
renders each page of the permission table as each person who may open it,
reads the `<form>` elements of the HTML and submits them with their own
field names, so a form added to any page is covered without a list.
"""

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TEXTLIKE = {"text", "search", "email", "url", "tel", "password", "number", "date"}
TEXTLIKE |= {"datetime-local", "time", "month", "week", "color", "range", "hidden", ""}


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list = field(default_factory=list)
    checked: bool = False
    multiple: bool = False


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list = field(default_factory=list)
    submits: list = field(default_factory=list)

    @property
    def key(self):
        names = tuple(sorted({f.name for f in self.fields}))
        return (self.method, self.action, names)

    @property
    def has_files(self):
        return any(f.kind == "file" for f in self.fields)


class _FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None
        self.option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self.form = Form(
                action=action,
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype") or "",
            )
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                if name:
                    self.form.submits.append((name, a.get("value") or ""))
                return
            if kind in ("button", "reset") or not name:
                return
            self.form.fields.append(Field(name, kind, a.get("value") or "", checked="checked" in a))
        elif tag == "button":
            if name and (a.get("type") or "submit").lower() == "submit":
                self.form.submits.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = Field(name, "textarea")
            self.form.fields.append(self.textarea)
        elif tag == "select" and name:
            self.select = Field(name, "select", multiple="multiple" in a)
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            value = a.get("value")
            self.option = [value, "selected" in a, ""]
            self.select.options.append(self.option)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        if self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "option":
            self.option = None


def forms_of(html, page_url):
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def _option_values(select):
    return [(o[0] if o[0] is not None else o[2].strip()) for o in select.options]


PLAUSIBLE = {
    "email": "hardening@example.jp",
    "url": "https://example.jp/",
    "tel": "03-1234-5678",
    "number": "1",
    "range": "1",
    "time": "10:00",
    "color": "#000000",
    "password": "correct horse battery staple 7",
}


def plausible(field):
    """A value a careful person would type: the form's own value when it has one."""
    today = datetime.date.today()
    if field.value:
        return field.value
    if field.kind == "date":
        return today.isoformat()
    if field.kind == "datetime-local":
        return f"{today.isoformat()}T10:00"
    if field.kind == "month":
        return today.strftime("%Y-%m")
    return PLAUSIBLE.get(field.kind, "テスト")


def baseline(form):
    """(name, value) pairs a browser would send for the form as it stands,
    with empty text fields filled in plausibly."""
    pairs = []
    radios_done = set()
    for f in form.fields:
        if f.kind == "file":
            continue
        if f.kind == "checkbox":
            if f.checked:
                pairs.append((f.name, f.value or "on"))
        elif f.kind == "radio":
            if f.name in radios_done:
                continue
            group = [g for g in form.fields if g.kind == "radio" and g.name == f.name]
            chosen = next((g for g in group if g.checked), group[0])
            pairs.append((f.name, chosen.value or "on"))
            radios_done.add(f.name)
        elif f.kind == "select":
            values = _option_values(f)
            selected = [o for o in f.options if o[1]]
            if selected:
                pairs.extend(
                    (f.name, v) for v in _option_values(type(f)(f.name, "", options=selected))
                )
            else:
                non_empty = [v for v in values if v]
                if non_empty:
                    pairs.append((f.name, non_empty[0]))
        else:
            pairs.append((f.name, plausible(f)))
    if form.submits:
        pairs.append(form.submits[0])
    return pairs


# Fields a browser fills itself, or that only carry the page's own state.
UNTOUCHED = re.compile(r"^(csrfmiddlewaretoken)$")


FREE_TEXT = {"text", "textarea", "search", "email", "url", "tel", ""}


def with_hostile(form, pairs, value, *, only_text):
    """The same submission with `value` in every free-text field (only_text)
    or in every field, hidden and chosen ones included (a hand-made request
    can change those too). Submit buttons keep their value: it picks the action."""
    kinds = {f.name: f.kind for f in form.fields}
    submits = {name for name, _ in form.submits}
    out = []
    for name, old in pairs:
        keep = UNTOUCHED.match(name) or name in submits
        if not keep and only_text:
            keep = kinds.get(name) not in FREE_TEXT
        out.append((name, old if keep else value))
    return out


def same_site(url):
    return not urlsplit(url).netloc or urlsplit(url).netloc == "testserver"
