"""What assignments adds to blog's pages and editor (config/hooks.py)."""

from assignments import copying, editor, participation, parts
from config import hooks
from config.hooks import CourseCopier, EditorSection, Part

hooks.HOME.register(Part("assignments/_whats_due.html", parts.whats_due, per_viewer=True))
# Private to the post's author and the instructors: a hole in cached pages.
hooks.POST_AFTER_BODY.register(
    Part(
        "assignments/_post_feedback.html",
        parts.post_feedback_part,
        per_viewer=True,
        kept_by=parts.post_feedback_kept_by,
    ),
    order=10,
)
hooks.POST_PAGE_LOADERS.register(parts.with_submission)
hooks.COURSE_SIDEBAR.register(Part("assignments/_course_link.html", parts.course_links), order=10)
hooks.COURSE_INSTRUCTOR_LINKS.register(Part("assignments/_instructor_links.html", parts.if_grading))
hooks.MANAGE_TABS.register(Part("assignments/_manage_tab.html", parts.if_grading))
hooks.EDITOR_SECTIONS.register(
    EditorSection(
        "assignment",
        form_class=editor.AssignmentChoiceForm,
        template="assignments/_editor_section.html",
        save=editor.save,
        refuse=editor.refusal,
        note=editor.note,
    ),
    order=10,
)
hooks.COURSE_PARTICIPATION_COLUMNS.register(participation.assignment_columns)
hooks.COURSE_COPIERS.register(
    CourseCopier(
        "assignments",
        copy=copying.copy_assignments,
        template="assignments/_copy_preview.html",
        preview=copying.preview,
        first_moment=copying.first_opening,
    ),
    order=20,
)
