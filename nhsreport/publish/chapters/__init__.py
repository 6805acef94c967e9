"""Each chapter's numbers for the prose, its figures and its tables, one module per chapter of ``book/``."""
