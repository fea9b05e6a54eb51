"""Build a story: a teacher turns three to six texts into a story every view opens.

In the menu, but not a view a prompt or a presenter step may name (it shows no story: it makes one).
The draft lives in this tab's session; saved, it is kept in the store under a secret edit link
(``/build?draft=ID&key=KEY``). The page takes the key off the address bar as soon as it has opened the
draft, so a projector showing the page never shows it.
"""

from __future__ import annotations

from dashboard.data.bundle import Bundle
from dashboard.views.base import Param, Settings, View, settings_class


@settings_class
class BuildSettings(Settings):
    draft: str = ""  # a saved draft's id, from its edit link
    key: str = ""  # the draft's edit key: only in the edit link, taken off the address at once

    @classmethod
    def params(cls, bundle: Bundle) -> list[Param]:
        return [Param("draft", "text", ""), Param("key", "text", "")]


VIEW = View("build", "Build a story", ":material/construction:", BuildSettings, __name__, builds=False)
