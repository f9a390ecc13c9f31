"""zhclean: repair and clean noisy Chinese web text."""

from .api import Result, clean, default_pipeline
from .document import Document, Edit, Removal, Replacement
from .pipeline import ConfigError, Pipeline, build_pipeline, load_config

__all__ = [
    "ConfigError",
    "Document",
    "Edit",
    "Pipeline",
    "Removal",
    "Replacement",
    "Result",
    "build_pipeline",
    "clean",
    "default_pipeline",
    "load_config",
]
__version__ = "0.1.0"
