"""The search engine: query language → match sets → ranking → highlighting → results.

``parse`` (the query language), ``compile`` (query tree → index queries, synonyms),
``match`` (match sets), ``phrase``, ``rank`` (BM25F), ``partial`` (partial matches),
``facets`` (filters, facets, suggestions), ``highlight`` (snippets) and ``search`` (the one
``search()`` function behind the page, the API, the feed and the CLI). No Flask here.
"""
