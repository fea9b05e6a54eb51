"""Names the room's modules share (the package, its plans and its pages), kept apart so none imports another."""

QUIZ = "quiz"  # the plan that plays the quiz (any other plan is a presenter path's id)
SPOT = "spot"  # the plan that plays "Spot the framing": a set of excerpts drawn by the seed
TEACHER = "room.teacher"  # {room code: teacher-session token} held by this browser session
FLASH = "room.flash"  # messages from a button's callback, shown on the next run of the room page
