from django.apps import AppConfig, apps


class ReferencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "references"
    verbose_name = "References"

    def ready(self):
        from blog.extensions import (
            COURSE_SIDEBAR,
            POST_BODY_END,
            register_body_filter,
            register_editor_section,
            register_part,
        )
        from references import display, participation, signals  # noqa: F401

        register_body_filter(display.add_references)
        register_part(COURSE_SIDEBAR, "references/_course_sidebar.html", order=60)
        register_part(POST_BODY_END, "references/_post_links.html", display.post_reference_links)
        register_editor_section(
            "references",
            form_class=display.EditorReferencesForm,
            template="references/_editor_section.html",
            save=display.save_editor_section,
            order=50,
        )
        participation.register_columns()
        if apps.is_installed("assignments"):  # beside each response on an assignment page
            from assignments.extensions import register_response_figure

            register_response_figure("References", participation.reference_figures)
