"""Pipeline logging: one line per file read, dataset built and file written."""

import logging
import sys


def configure(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s", datefmt="%H:%M:%S")
