"""Pages of the book that are not chapters: the board profiles, their index and the finder's index, the appendices."""
