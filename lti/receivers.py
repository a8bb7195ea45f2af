"""lti answers assignments' events: a grade given, changed or cleared goes to the LMS."""

from assignments.signals import grade_cleared, graded
from lti import grades


def send_grade(sender, grade, **kwargs):
    submission = grade.submission
    grades.queue_score(assignment=submission.assignment, user=submission.post.author)


def send_cleared(sender, submission, **kwargs):
    """The LMS hears the grade is gone: a score with no scoreGiven, NotReady."""
    grades.queue_score(assignment=submission.assignment, user=submission.post.author)


graded.connect(send_grade, dispatch_uid="lti.send_grade")
grade_cleared.connect(send_cleared, dispatch_uid="lti.send_cleared")
