"""What references adds to blog's pages and editor, and to assignments' (config/hooks.py)."""

from config import hooks
from config.hooks import Column, EditorSection, Part, ResponseFigure
from references import display, participation

hooks.BODY_FILTERS.register(display.add_references)
hooks.COURSE_SIDEBAR.register(Part("references/_course_sidebar.html"), order=60)
hooks.POST_BODY_END.register(Part("references/_post_links.html", display.post_reference_links))
hooks.EDITOR_SECTIONS.register(
    EditorSection(
        "references",
        form_class=display.EditorReferencesForm,
        template="references/_editor_section.html",
        save=display.save_editor_section,
    ),
    order=50,
)
hooks.PARTICIPATION_COLUMNS.register(
    Column("references", "References", participation.references), order=60
)
hooks.PARTICIPATION_COLUMNS.register(
    Column(
        "incomplete_references",
        participation.INCOMPLETE_LABEL,
        participation.incomplete_references,
    ),
    order=61,
)
# Beside each response on an assignment's page (read only when assignments is installed).
hooks.RESPONSE_FIGURES.register(ResponseFigure("References", participation.reference_figures))
