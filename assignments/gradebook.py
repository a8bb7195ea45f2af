"""Students against assignments: what each has submitted, when, and the grade.

Loaded in a fixed number of queries whatever the numbers of students and assignments
(students, assignments with their rubrics, submissions with grades, extensions).
"""

import difflib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils import timezone

from assignments.models import Assignment, Extension, RubricLevel, Submission, format_points
from config.csv import csv_writer

ON_TIME, LATE, MISSING, DRAFT, NOT_YET = "on_time", "late", "missing", "draft", "not_yet"
STATUS_LABELS = {
    ON_TIME: "Submitted",
    LATE: "Late",
    MISSING: "Missing",
    DRAFT: "Draft",
    NOT_YET: "Not submitted",
}


@dataclass
class Cell:
    assignment: Assignment
    submission: Submission | None
    extension: Extension | None
    status: str
    marks: list = field(default_factory=list)  # (template, value): other apps' marks

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def grade(self):
        submission = self.submission
        return getattr(submission, "grade", None) if submission else None

    @property
    def points(self):
        grade = self.grade
        return grade.points if grade else None

    @property
    def due_at(self):
        return self.assignment.due_for(self.extension)


@dataclass
class Row:
    user: object
    cells: list = field(default_factory=list)

    @property
    def graded_cells(self):
        return [c for c in self.cells if c.grade and c.assignment.max_points is not None]

    @property
    def total_points(self):
        """Points of every graded response, or None before the first grade."""
        graded = self.graded_cells
        return sum((c.grade.points for c in graded), Decimal(0)) if graded else None

    @property
    def total_possible(self):
        """What the graded responses could have scored (ungraded work doesn't count yet)."""
        return sum((c.assignment.max_points for c in self.graded_cells), Decimal(0))

    @property
    def total_percent(self):
        possible = self.total_possible
        if self.total_points is None or not possible:
            return None
        return (self.total_points * 100 / possible).quantize(Decimal("1"), ROUND_HALF_UP)

    @property
    def total_display(self):
        return format_points(self.total_points)


def status_of(assignment, submission, extension, now):
    if submission is not None and submission.is_submitted:
        return LATE if submission.is_late else ON_TIME
    if now > assignment.due_for(extension):
        return MISSING
    return DRAFT if submission is not None else NOT_YET


# --- A student's own view: "My grades" and the assignment list ---

GRADED = "graded"
OWN_STATUS_LABELS = {
    NOT_YET: "Not started",
    DRAFT: "Draft",
    ON_TIME: "Submitted",
    LATE: "Late",
    MISSING: "Missing",
    GRADED: "Graded",
}


def own_status(assignment, submission, extension, now):
    """What a student's own answer is: not started, draft, submitted, late (submitted
    after the due time), graded, or missing (past the due time with nothing begun)."""
    if submission is not None and submission.is_submitted:
        if getattr(submission, "grade", None) is not None:
            return GRADED
        return LATE if submission.is_late else ON_TIME
    if submission is not None:
        return DRAFT
    return MISSING if now > assignment.due_for(extension) else NOT_YET


@dataclass
class OwnCell(Cell):
    """One assignment as its student sees it (``status`` from own_status)."""

    @property
    def label(self):
        return OWN_STATUS_LABELS[self.status]

    @property
    def badge_class(self):
        """Green when handed in, yellow when late or missing, grey before that."""
        if self.status in (LATE, MISSING):
            return "status-badge"
        return "own-status" if self.status in (ON_TIME, GRADED) else "badge text-bg-light"

    @property
    def levels(self):
        grade = self.grade
        return list(grade.levels.all()) if grade else []


def own_cells(course, user, assignments, *, now=None):
    """One OwnCell per assignment for `user`: two queries (their submissions with grades
    and chosen levels, their extensions), whatever the number of assignments."""
    now = now or timezone.now()
    submissions = {
        s.assignment_id: s
        for s in Submission.objects.filter(assignment__in=assignments, student=user)
        .select_related("post", "grade")
        .prefetch_related(
            Prefetch("grade__levels", queryset=RubricLevel.objects.select_related("criterion"))
        )
    }
    mine = Extension.objects.filter(assignment__in=assignments, student=user)
    extensions = {e.assignment_id: e for e in mine}
    cells = []
    for assignment in assignments:
        assignment.course = course
        submission, extension = submissions.get(assignment.pk), extensions.get(assignment.pk)
        if submission is not None:
            submission.assignment = assignment
            submission.post.course = course
        status = own_status(assignment, submission, extension, now)
        cells.append(OwnCell(assignment, submission, extension, status))
    return cells


def load_submissions(assignments):
    submissions = (
        Submission.objects.filter(assignment__in=assignments)
        .select_related("post", "grade")
        .prefetch_related("grade__levels")
    )
    return {(s.assignment_id, s.student_id): s for s in submissions}


def load_extensions(assignments):
    extensions = Extension.objects.filter(assignment__in=assignments)
    return {(e.assignment_id, e.student_id): e for e in extensions}


def gradebook(course, *, assignments=None, now=None):
    """(assignments, rows): one row per student, one cell per assignment."""
    now = now or timezone.now()
    if assignments is None:
        assignments = list(Assignment.objects.for_course(course).with_criteria().in_order())
    for assignment in assignments:
        assignment.course = course
    students = [m.user for m in course.memberships.students().with_user().by_name()]
    submissions = load_submissions(assignments)
    by_id = {a.pk: a for a in assignments}
    for submission in submissions.values():
        submission.assignment = by_id[submission.assignment_id]
    extensions = load_extensions(assignments)
    rows = []
    for student in students:
        row = Row(user=student)
        for assignment in assignments:
            key = (assignment.pk, student.pk)
            submission, extension = submissions.get(key), extensions.get(key)
            status = status_of(assignment, submission, extension, now)
            row.cells.append(Cell(assignment, submission, extension, status))
        rows.append(row)
    return assignments, rows


@dataclass
class ResponseSummary:
    """An assignment's responses at a glance, for its instructors: from the gradebook's
    rows of that one assignment (no query)."""

    students: int
    submitted: int
    late: int
    graded: int
    to_grade: Submission | None  # the first submitted, ungraded response, by name

    @property
    def ungraded(self):
        return self.submitted - self.graded

    @classmethod
    def of(cls, rows):
        cells = [row.cells[0] for row in rows]
        submitted = [c for c in cells if c.submission and c.submission.is_submitted]
        ungraded = [c.submission for c in submitted if c.grade is None]
        return cls(
            students=len(cells),
            submitted=len(submitted),
            late=sum(c.status == LATE for c in submitted),
            graded=len(submitted) - len(ungraded),
            to_grade=ungraded[0] if ungraded else None,
        )


def grading_line(submission):
    """Where a response stands among the assignment's submitted ones, in the
    gradebook's order (students by name), for "Previous" and "Next": one query.

    A dict of ``previous`` and ``next`` (None at either end), ``position`` (from 1;
    0 for a response not submitted) and ``count``.
    """
    line = sorted(
        submission.assignment.submissions.submitted().select_related("student", "post"),
        key=lambda s: (s.student.name.lower(), s.student.username),
    )
    for other in line:
        other.assignment = submission.assignment
    ids = [s.pk for s in line]
    here = ids.index(submission.pk) if submission.pk in ids else None
    if here is None:
        return {"previous": None, "next": None, "position": 0, "count": len(line)}
    return {
        "previous": line[here - 1] if here > 0 else None,
        "next": line[here + 1] if here + 1 < len(line) else None,
        "position": here + 1,
        "count": len(line),
    }


# --- CSV for LMS gradebooks (docs/assignments.md documents the columns) ---


def _name_last_first(user):
    if user.last_name or user.first_name:
        return f"{user.last_name}, {user.first_name}".strip(", ")
    return user.name


def write_canvas_csv(course, assignments, rows, file):
    """Canvas's gradebook import layout: Student, ID, SIS User ID, SIS Login ID, Section,
    one column per assignment; the second row gives each assignment's points possible."""
    writer = csv_writer(file)
    writer.writerow(
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [a.title for a in assignments]
    )
    writer.writerow(
        ["Points Possible", "", "", "", ""] + [format_points(a.max_points) for a in assignments]
    )
    for row in rows:
        user = row.user
        writer.writerow(
            [_name_last_first(user), "", "", user.email or user.username, course.title]
            + [format_points(cell.points) for cell in row.cells]
        )


def write_moodle_csv(course, assignments, rows, file):
    """Moodle's grade import layout: First name, Last name, Username, Email address, one
    "Assignment: <title>" column per assignment (matched to grade items at import)."""
    writer = csv_writer(file)
    writer.writerow(
        ["First name", "Last name", "Username", "Email address"]
        + [f"Assignment: {a.title}" for a in assignments]
    )
    for row in rows:
        user = row.user
        writer.writerow(
            [user.first_name, user.last_name, user.username, user.email]
            + [format_points(cell.points) for cell in row.cells]
        )


CSV_LAYOUTS = {"canvas": write_canvas_csv, "moodle": write_moodle_csv}


# --- The diff between the submitted version and the current one ---


def body_diff(old, new):
    """[(kind, line)] with kind "same", "added" or "removed": a line-by-line diff of two
    Markdown texts (escaped by the template)."""
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        code, text = line[:2], line[2:]
        if code == "  ":
            lines.append(("same", text))
        elif code == "+ ":
            lines.append(("added", text))
        elif code == "- ":
            lines.append(("removed", text))
    return lines
