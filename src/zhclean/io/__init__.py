"""Reading inputs and writing outputs of a corpus run: `readers` (input files -> items with positions),
`writers` (chunk-by-chunk durable output), `job` (checkpoint, resume and atomic finish of one run)."""

from .job import DEFAULT_CHUNK_SIZE, Chunk, Job
from .readers import InputFile, Item, Position, discover, iter_items

__all__ = ["DEFAULT_CHUNK_SIZE", "Chunk", "InputFile", "Item", "Job", "Position", "discover", "iter_items"]
