"""Reading and writing files safely: strict YAML and JSON, the per-user cache, atomic writes, installed distributions. Imports only ``corengine._util`` and ``corengine.errors``."""
