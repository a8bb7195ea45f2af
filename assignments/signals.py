"""Events other apps may react to, sent inside the transaction that made the change."""

from django.dispatch import Signal

# Someone wrote in a post's private feedback thread. Argument: feedback (a Feedback).
feedback_added = Signal()

# A student is reminded that an assignment is due within 24 hours and they haven't
# submitted. Argument: reminder (a DueReminder, with assignment, student and due_at).
due_soon = Signal()

# A submission was graded, or its grade changed. Arguments: grade (a Grade, its
# submission, post and grader loaded) and regraded (True when it replaced an earlier,
# different grade). Grading again with the same points and levels sends nothing.
graded = Signal()

# A submission's grade was taken away ("Clear grade"). Arguments: submission (its post
# loaded) and cleared_by.
grade_cleared = Signal()
