"""Which PDFs to make, the cache, workers, hand-off and job ticket."""
