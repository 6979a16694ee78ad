"""Building an index generation: documents from files, worker processes, the pipeline that commits."""
