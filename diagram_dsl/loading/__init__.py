"""Loading flow modules: run each one's bytes once, isolated in a worker process, and get its model back."""

from diagram_dsl.loading.execute import Failure, Loaded
from diagram_dsl.loading.workers import load_isolated

__all__ = ["Failure", "Loaded", "load_isolated"]
