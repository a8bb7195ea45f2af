"""lti answers assignments' events: a grade given or changed goes to the LMS."""

from assignments.signals import graded
from lti import grades


def send_grade(sender, grade, **kwargs):
    submission = grade.submission
    grades.queue_score(assignment=submission.assignment, user=submission.post.author)


graded.connect(send_grade, dispatch_uid="lti.send_grade")
