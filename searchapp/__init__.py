"""policy-search: the search engine (``searchapp.engine``), the web app (``searchapp.web``)
and the ``policy-search`` command line (``searchapp.cli``)."""


def create_app(test_config: dict | None = None):
    """The Flask app factory (``searchapp.web.app.create_app``), importable from here."""
    from searchapp.web.app import create_app as factory

    return factory(test_config)
