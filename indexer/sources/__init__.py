"""Reading article files: one file in, a list of clean ``Article`` records out.

``scan`` finds the files, ``files`` reads bytes and dispatches on the format
(``markdown``: front matter posts and regulations, ``html_pages``, ``rows``: CSV/JSON),
``article`` holds the record and the clean-up every format shares; ``dates`` and
``docnum`` read dates and document numbers (发文字号), also for queries.
"""
