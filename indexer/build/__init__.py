"""Building an index generation: documents from files, worker processes, the pipeline that commits.

``build_index`` (``pipeline.py``) is what ``policy-search reindex`` runs; ``workers.py``
parses and writes files in worker processes; ``documents.py`` turns an article into the
values the index stores.
"""

from indexer.build.documents import doc_id
from indexer.build.pipeline import BuildReport, build_index
from indexer.build.workers import WorkerFailed
from indexer.sources.documents import ConvertOptions
from indexer.sources.documents.ocr import available as ocr_available

__all__ = ["BuildReport", "ConvertOptions", "WorkerFailed", "build_index", "doc_id", "ocr_available"]
