"""The io layer: diagram files in every supported format (:mod:`cidlib.io.files`).

The cidlib text format (:mod:`~cidlib.io.text`), JSON, and pyAgrum's BIFXML and fastID and
DAGitty (:mod:`~cidlib.io.foreign`). It imports only :mod:`cidlib.core`.
"""

from cidlib.io.files import load_json, read_diagram, save_json, write_diagram

__all__ = ["load_json", "read_diagram", "save_json", "write_diagram"]
