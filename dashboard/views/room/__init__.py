"""A live room: the teacher's projector and the students' phones on one question at a time.

Not in the menu: a room is reached by its links only. The student link carries the room's code
(``/room?room=CODE``); the teacher's link adds the teacher key (``&key=...``), which the page
exchanges at once for a teacher session (a cookie and session state) and takes off the address
bar: the projector's address is the student link, and grants no control. ``plan`` (the quiz, "Spot
the framing", or a presenter path with polls) and ``seed`` (the quiz or set number) say what the
teacher plays; students follow what the room has on screen. ``back`` names the presenter step the room was opened from.
"""

from __future__ import annotations

from dashboard.data.bundle import Bundle
from dashboard.views.base import Param, Settings, View, settings_class
from dashboard.views.room.names import QUIZ, SPOT


@settings_class
class RoomSettings(Settings):
    room: str = ""  # the room's code as the link or the student typed it
    key: str = ""  # the teacher key: only in the teacher's link
    plan: str = QUIZ  # what the class does: the quiz, "Spot the framing", or a presenter path's polls (its id)
    seed: int = 1  # the quiz number, or the set number of "Spot the framing"
    back: str = ""  # the presenter step the room was opened from, "path-id/3": the page links back to it

    @classmethod
    def params(cls, bundle: Bundle) -> list[Param]:
        from dashboard.views.room.plans import poll_paths  # no data work until a room page asks

        return [
            Param("room", "text", ""),
            Param("key", "text", ""),
            Param("plan", "one", QUIZ, choices=[QUIZ, SPOT, *(p.id for p in poll_paths(bundle.dataset))]),
            Param("seed", "int", 1, lo=0, hi=10**9),
            Param("back", "text", ""),
        ]


VIEW = View(
    "room", "Live room", ":material/groups:", RoomSettings, __name__, builds=False, step_tool="opening:step_room_button"
)
