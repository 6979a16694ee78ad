"""The search engine: parse → understand → plan → match → rank → highlight, in ``search()``.

The stages: ``parse`` (the query language), ``understand`` with ``questions``, ``everyday``,
``synonyms`` and ``spelling`` (what the query asks for), ``compile`` → ``plan`` (the readings
of the query as plans), ``match`` with ``filters`` and ``partial`` (the documents of the
reading shown, facet counts), ``rank`` (BM25F, priors, partial matches), ``highlight``
(titles and snippets). Beneath them: ``evaluate`` (a plan node's documents), ``phrase``
and ``docsets`` (positions and sets as arrays); ``context`` (one open index), ``opening``
and ``warm`` (opening it), ``relations``; and ``suggest`` and ``related`` for the pages.
``search`` is the one function behind the page, the API, the feed and the CLI. No Flask.
"""
