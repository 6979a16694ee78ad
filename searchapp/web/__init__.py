"""The web app: the Flask factory (``app``), views, error pages and the production server."""

from searchapp.web.app import create_app, get_holder

__all__ = ["create_app", "get_holder"]
