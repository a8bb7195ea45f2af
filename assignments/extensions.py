"""Figures other apps show beside each response on an assignment's page (for those who
grade it). assignments names no such app: they register here from their AppConfig.ready()
when assignments is installed.

``register_response_figure(label, func)``: ``func(post_ids) -> {post_id: text}`` runs ONE
query over the responses' posts; a post missing from the dict shows a dash.
"""

_figures = []


def register_response_figure(label, func):
    _figures.append((label, func))
    return func


def response_figures(post_ids):
    """[(label, {post_id: text})] for the registered figures."""
    return [(label, func(post_ids)) for label, func in _figures]
