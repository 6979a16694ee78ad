"""Storage: everything that knows Whoosh's internals lives here and nowhere else.

``generations`` (the index directory, ``CURRENT``, the build lock), ``codec`` (our posting
format, plugged in through Whoosh's codec extension point), ``writer`` (the segment writer),
``mapped`` (reading mapped files in place) and ``readcache`` (per-searcher read caches).
"""
