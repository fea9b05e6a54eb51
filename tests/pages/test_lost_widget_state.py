"""A rerun that arrives without the widgets' states (a reconnecting tab, a client that sends none) and with
the link the page was opened with: every setting falls back to the link, then its default, never to a
widget's empty value (compare once raised ``KeyError: None`` reading its subject kind)."""

from __future__ import annotations

import pytest
from page_kit import assert_clean, assert_settings_shown, open_page
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

from dashboard.views import BY_ID, VIEWS
from dashboard.views.steps import step_link_params


def _rerun_without_widget_states(at: AppTest, view_id: str, link: dict) -> AppTest:
    for name in list(at.session_state):
        if str(name).startswith(f"{view_id}."):
            del at.session_state[name]
    at.query_params.clear()
    at.query_params.update(link)
    return at._run(widget_state=WidgetStates())


@pytest.mark.parametrize("view_id", [v.id for v in VIEWS])
def test_a_default_page_rerun_without_widget_states(view_id: str, real_bundle) -> None:
    at = open_page(view_id)
    assert_clean(at)
    _rerun_without_widget_states(at, view_id, {})
    assert_clean(at)
    view = BY_ID[view_id]
    for p in view.params(real_bundle):
        if view.key(p.field) in at.session_state:
            shown = at.session_state[view.key(p.field)]
            assert shown is not None, f"{view.key(p.field)} lost its value"


def test_a_compare_step_rerun_without_widget_states_keeps_the_steps_settings(real_bundle) -> None:
    path = real_bundle.dataset.paths[0]
    for i, step in enumerate(path.steps):
        if step.page != "compare":
            continue
        link = step_link_params(path, i, real_bundle)
        at = open_page("compare", link)
        assert_clean(at)
        _rerun_without_widget_states(at, "compare", link)
        assert_clean(at)
        own = {k: v for k, v in link.items() if k not in ("path", "step")}
        assert_settings_shown(at, BY_ID["compare"], real_bundle, own)
