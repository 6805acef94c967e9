"""The module's own error: it always names the file, the place in it, and what was expected."""

from __future__ import annotations


class DataError(Exception):
    """Bad input or output: ``file``, ``where`` (sheet, row, column), ``expected`` and ``found``."""

    def __init__(self, file, where: str, expected: str, found: object = None):
        self.file = str(file)
        self.where = where
        self.expected = expected
        self.found = found
        msg = f"{self.file}: {where}: expected {expected}"
        if found is not None:
            msg += f"; found {found}"
        super().__init__(msg)


class UndeclaredDatasetError(DataError):
    """A chapter loaded a dataset it did not declare in its notebook metadata."""
