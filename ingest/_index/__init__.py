"""Vector index back ends: the Qdrant engine in-process, or a Qdrant server via qdrant-client."""
