"""Every main form can be filled and sent with the keyboard alone.

From the top of the page the test presses Tab only: each field of the form
and its submit button must get focus in turn, each with a visible focus
indicator (an outline or a ring); values are typed (or chosen with the arrow
keys and Space) while a field has focus, and the form is sent with Enter or
Space on its button. A file field is reached by Tab; the file itself is
handed over as the operating system's file dialog would.
"""

import pytest
from playwright.sync_api import expect

from areas.models import District
from meetings.models import Registration
from portal.models import Job, Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.factories import (
    PASSWORD,
    AreaFactory,
    DistrictFactory,
    OrganisationFactory,
    UserFactory,
    represent,
)
from tests.grants.factories import proposal_programme
from tests.meetings.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTROLS = (
    "input:not([type=hidden]):not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), button:not([disabled])"
)
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const form = el.closest('form[data-keyboard-test]');
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
  const box = el.getBoundingClientRect();
  return {
    inForm: form !== null,
    key: el.name || el.id || el.textContent.trim(),
    tag: el.tagName.toLowerCase(),
    type: (el.type || '').toLowerCase(),
    submit: el.type === 'submit',
    visibleFocus: ring && box.width > 0 && box.height > 0,
    detail: [style.outlineStyle, style.outlineWidth, style.boxShadow, box.width, box.height],
  };
}"""


def _expected(form):
    """The keys of the form's controls that Tab must reach (one per radio group)."""
    keys = []
    for control in form.locator(CONTROLS).all():
        if not control.is_visible():
            continue
        key = control.evaluate("el => el.name || el.id || el.textContent.trim()")
        if key not in keys:
            keys.append(key)
    return keys


def tab_through(page, form_selector, values, *, submit_key="Enter", submit=None, files=None):
    """Reach every control of the form with Tab, typing `values` (by field
    name: a string replaces what the field holds, a list is pressed key by
    key), and send the form
    with `submit_key` on the submit button named `submit` (the first one when
    None). Returns the keys reached, in order."""
    form = page.locator(form_selector)
    expect(form).to_have_count(1)
    form.evaluate("f => { f.dataset.keyboardTest = '1'; }")
    expected = _expected(form)
    reached, unseen_focus = [], []
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused or not focused["inForm"]:
            if reached:
                break
            continue
        key = focused["key"]
        if not focused["visibleFocus"]:
            unseen_focus.append((key, focused["detail"]))
        if key not in reached:
            reached.append(key)
        if focused["submit"] and (submit is None or key == submit or submit in key):
            missing = [k for k in expected if k not in reached and not _is_submit(form, k)]
            assert not missing, f"Tab never reached {missing} before the button"
            assert not unseen_focus, f"focus not visible on {unseen_focus}"
            with page.expect_navigation():
                page.keyboard.press(submit_key)
            page.wait_for_load_state()
            return reached
        if files and key in files:
            page.locator(":focus").set_input_files(files[key])
        value = values.get(key)
        if isinstance(value, str):
            page.keyboard.press("ControlOrMeta+A")  # over what the form offers
            page.keyboard.type(value)
        elif value:
            for press in value:
                page.keyboard.press(press)
    raise AssertionError(f"Tab never reached the submit button; reached {reached}")


def _is_submit(form, key):
    return form.locator(
        f'button[type=submit]:text-is("{key}"), [type=submit][name="{key}"]'
    ).count()


def test_sign_in_by_keyboard(page, live_server):
    UserFactory(email="hanako@example.jp")
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    tab_through(
        page,
        'form:has(input[name="login"])',
        {"login": "hanako@example.jp", "password": PASSWORD},
    )
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".site-header")).to_contain_text("ログアウト")
    assert_accessible(page)


def test_meeting_registration_by_keyboard(page, live_server):
    area = AreaFactory(code="K1", name="桜ヶ丘地域")
    DistrictFactory(area=area, code="K101")
    meeting = MeetingFactory(area=area, title="キーボードの会", capacity=10)
    sign_in(page, live_server, [], "hanako@example.jp")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/register/")
    assert_accessible(page)
    tab_through(
        page,
        'main form:has([name="party_size"])',
        {"name": "多摩 花子", "name_kana": "たま はなこ", "email": "hanako@example.jp"},
        submit="申し込む",
    )
    assert_accessible(page)
    registration = Registration.objects.get(meeting=meeting)
    assert registration.name == "多摩 花子"


def test_support_request_by_keyboard(page, live_server):
    area = AreaFactory(code="K2", name="関戸地域")
    organisation = OrganisationFactory(name="関戸自治会", areas=[area])
    representative = UserFactory(email="rep@example.jp")
    represent(representative, organisation)
    sign_in_existing(page, live_server, "rep@example.jp")
    page.goto(live_server.url + "/liaisons/requests/new/")
    assert_accessible(page)
    tab_through(
        page,
        'main form:has([name="description"])',
        {
            "area": ["ArrowDown"],
            "tier": ["ArrowDown", "ArrowDown", "ArrowDown", "Space"],
            "title": "総会の進行支援",
            "description": "5月の総会で議事の進行を支えてほしい。",
        },
        submit="依頼する",
        submit_key="Space",
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("総会の進行支援")
    assert_accessible(page)


def test_grant_application_by_keyboard(page, live_server):
    area = AreaFactory(code="K3", name="永山地域")
    organisation = OrganisationFactory(name="永山自治会", areas=[area])
    representative = UserFactory(email="rep@example.jp")
    represent(representative, organisation)
    programme = proposal_programme(budget=500_000)
    sign_in_existing(page, live_server, "rep@example.jp")
    page.goto(f"{live_server.url}/grants/programmes/{programme.pk}/apply/")
    assert_accessible(page)
    tab_through(
        page,
        'main form:has([name="purpose"])',
        {
            "organisation": ["ArrowDown"],
            "area": ["ArrowDown"],
            "title": "防災マップづくり",
            "purpose": "危険箇所を歩いて確かめ、地図にする。",
        },
        submit="下書きを作る",
    )
    expect(page.locator("main")).to_contain_text("防災マップづくり")
    assert_accessible(page)


def test_questionnaire_access_code_by_keyboard(page, live_server):
    from tests.surveys.answer_factories import survey_with_codes
    from tests.surveys.factories import sample_districts

    sample_districts()
    _survey, codes = survey_with_codes(code="K8")
    page.goto(live_server.url + "/surveys/answer/")
    assert_accessible(page)
    tab_through(page, 'main form:has([name="code"])', {"code": codes[0]})
    expect(page).not_to_have_url(live_server.url + "/surveys/answer/")
    assert_accessible(page)


def test_district_import_upload_by_keyboard(page, live_server, settings, tmp_path):
    from pathlib import Path

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    UserFactory(email="admin@example.jp", role=Role.ADMINISTRATOR)
    sign_in_existing(page, live_server, "admin@example.jp")
    page.goto(live_server.url + "/areas/import/")
    assert_accessible(page)
    csv = Path(__file__).resolve().parents[2] / "areas" / "demo_data" / "districts.csv"
    tab_through(page, 'main form:has([type="file"])', {}, files={"file": str(csv)})
    assert Job.objects.filter(kind="areas.import_districts").exists()
    expect(page.locator("main")).to_contain_text("完了")
    assert District.objects.exists()
    assert_accessible(page)


def sign_in_existing(page, live_server, email):
    """Sign in an existing user through the login form (by keyboard too)."""
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    tab_through(page, 'form:has(input[name="login"])', {"login": email, "password": PASSWORD})
    expect(page.locator(".site-header")).to_contain_text("ログアウト")
    assert_accessible(page)
