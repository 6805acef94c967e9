"""The chapters' numbers for the prose, figures and tables: one module per chapter of ``book/``."""
