"""Building an index generation: documents from files, worker processes, the pipeline that commits.

``build_index`` (``pipeline.py``) is what ``policy-search reindex`` runs; ``workers.py``
parses and writes files in worker processes; ``documents.py`` turns an article into the
values the index stores.
"""

from indexer.build.pipeline import BuildReport, build_index
from indexer.build.workers import WorkerFailed

__all__ = ["BuildReport", "WorkerFailed", "build_index"]
