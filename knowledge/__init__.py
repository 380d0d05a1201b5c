"""Knowledge layer: documents, parsing, the text pipeline, the index and the matcher."""
