"""Each chapter's numbers for the prose, its tables and its figures (one module per chapter)."""
