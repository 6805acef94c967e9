"""The chapters' numbers for the prose and their figures, one module per chapter."""
