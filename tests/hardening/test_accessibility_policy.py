"""The published ウェブアクセシビリティ方針 says what JIS X 8341-3:2016 asks a
policy to say: scope, target level, the dates, the latest test results with
the tools used, exceptions and a contact."""

import re

import pytest


@pytest.mark.django_db
def test_the_policy_states_scope_target_dates_results_exceptions_and_contact(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    page = response.content.decode()
    for section in ("scope", "target", "results", "exceptions", "contact"):
        assert f'id="{section}"' in page, section
    assert "JIS X 8341-3:2016" in page and "適合レベルAA" in page
    assert "一部準拠" in page
    assert "axe-core" in page
    assert "協働推進課" in page
    # The dates are machine-readable and valid.
    dates = re.findall(r'<time datetime="([^"]+)"', page)
    assert dates and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)
    # The results are a table with headers, as a screen reader expects.
    assert "<caption>" in page and 'scope="col"' in page
