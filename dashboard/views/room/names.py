"""Names the room's modules share (the package, its plans and its pages), kept apart so none imports another."""

QUIZ = "quiz"  # the plan that plays the quiz (any other plan is a presenter path's id)
TEACHER = "room.teacher"  # {room code: teacher-session token} held by this browser session
