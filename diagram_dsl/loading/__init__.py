"""Loading flow modules: run each one's bytes once, isolated in a worker process, and get its model back."""

from diagram_dsl.loading.execute import Failure, Loaded
from diagram_dsl.loading.workers import LoadBatch, load_isolated

__all__ = ["Failure", "LoadBatch", "Loaded", "load_isolated"]
