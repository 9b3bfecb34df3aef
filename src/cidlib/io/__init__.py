"""Reading and writing diagrams: the JSON schema (:mod:`cidlib.io.schema`)."""

from cidlib.io.schema import SCHEMA_NAME, SCHEMA_VERSION, load_json, loads, save_json

__all__ = ["SCHEMA_NAME", "SCHEMA_VERSION", "load_json", "loads", "save_json"]
