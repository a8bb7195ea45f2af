from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assignments"
    verbose_name = "Assignments and grades"

    def ready(self):
        from assignments import (
            editor,
            participation,
            parts,
            receivers,  # noqa: F401  (snapshots of published posts)
        )
        from blog.extensions import (
            COURSE_INSTRUCTOR_LINKS,
            COURSE_SIDEBAR,
            HOME,
            MANAGE_TABS,
            POST_AFTER_BODY,
            register_editor_section,
            register_part,
            register_post_page_loader,
        )

        register_part(HOME, "assignments/_whats_due.html", parts.whats_due, per_viewer=True)
        # Private to the post's author and the instructors: a hole in cached pages.
        register_part(
            POST_AFTER_BODY,
            "assignments/_post_feedback.html",
            parts.post_feedback_part,
            order=10,
            per_viewer=True,
        )
        register_post_page_loader(parts.with_submission)
        register_part(COURSE_SIDEBAR, "assignments/_course_link.html", parts.course_links, order=10)
        register_part(
            COURSE_INSTRUCTOR_LINKS, "assignments/_instructor_links.html", parts.if_grading
        )
        register_part(MANAGE_TABS, "assignments/_manage_tab.html", parts.if_grading)
        register_editor_section(
            "assignment",
            form_class=editor.AssignmentChoiceForm,
            template="assignments/_editor_section.html",
            save=editor.save,
            refuse=editor.refusal,
            note=editor.note,
            order=10,
        )
        participation.register_columns()
