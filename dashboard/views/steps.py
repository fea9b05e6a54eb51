"""The links of a presenter step, worked out from the data alone (no Streamlit): the teacher's and the students'.

The presenter bar draws them, the Overview lists them, a room links back to them and the server warms
them before a class arrives; all read them here, so the shell and the views below it agree on one link.
"""

from __future__ import annotations

from dashboard.data.bundle import Bundle
from dashboard.data.schema import PresenterPath
from dashboard.views import BY_ID

PRESENTER_KEYS = ("path", "step")
# A student link's question: the id of the step's prompt, shown at the top of the plain view, which then opens
# on the part the question is about. Not a setting of any view: every view carries it the same way.
ASK_KEY = "ask"


def step_link_params(path: PresenterPath, index: int, bundle: Bundle | None = None) -> dict[str, str | list[str]]:
    """The teacher's link of a step: its view's settings and the presenter keys.

    With the bundle, the settings are written as the page itself writes them (a value at its default left
    out): a link the page would rewrite on arrival would leave two history entries for one step.
    """
    own = view_link_params(bundle, path, index) if bundle is not None else path.steps[index].settings
    return {**own, "path": path.id, "step": str(index + 1)}


def view_link_params(bundle: Bundle, path: PresenterPath, index: int) -> dict[str, str | list[str]]:
    """A step's view settings as its view writes them in a link."""
    step = path.steps[index]

    def make() -> dict[str, str | list[str]]:
        view = BY_ID[step.page]
        settings, _ = view.from_link(bundle, step.settings)
        return view.to_link(bundle, settings)

    return bundle.memo.get(("step-view-link", path.id, index), make)


def student_link_params(bundle: Bundle, path: PresenterPath, index: int) -> dict[str, str | list[str]]:
    """The students' link of a step: the same view with the step's settings and its question (``ask``), and
    nothing of the presenter."""
    prompt = path.steps[index].prompt
    return {**view_link_params(bundle, path, index), **({ASK_KEY: prompt} if prompt else {})}
