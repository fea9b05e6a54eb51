"""After warming, a class opening any default view or any presenter step finds its view built: the page
itself builds at most its small pieces (excerpts' HTML, a chart at the projector's height)."""

from __future__ import annotations

from pathlib import Path

from page_kit import DATA, assert_clean, open_page

from dashboard.shell.loading import _load
from dashboard.views import VIEWS, warm
from dashboard.views.base import Settings
from dashboard.views.steps import step_link_params

HEAVY = ("step-settings", "step-view-link", "compare-outlets", "view-params", "quiz-pool")


def _heavy(key: object) -> bool:
    """A view's build (keyed by its settings), or a piece a presenter step or a view's build asks for."""
    return isinstance(key, tuple) and (isinstance(key[-1], Settings) or key[0] in HEAVY)


def test_pages_find_what_warming_built() -> None:
    stat = Path(DATA).stat()
    bundle, _ = _load(str(DATA), (stat.st_mtime_ns, stat.st_size))  # the object the pages are handed
    assert bundle is not None
    warm.warm(bundle)
    links = [(v.id, {}) for v in VIEWS]
    links += [(s.page, step_link_params(p, i, bundle)) for p in bundle.dataset.paths for i, s in enumerate(p.steps)]
    for view_id, params in links:
        before = set(bundle.memo.kept())
        at = open_page(view_id, params)
        assert_clean(at)
        built = [k for k in bundle.memo.kept() if k not in before and _heavy(k)]
        assert not built, (view_id, params, built)
