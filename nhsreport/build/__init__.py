"""The build layer: official files in, processed datasets out.

``sources`` registers every official file (publisher, URL, licence, sha256); ``fetch`` copies or
downloads them into ``data/raw/``; ``rawio`` reads raw CSV and Excel with line-numbered errors;
``datasets/`` holds one builder per dataset with its declared schema; ``pipeline`` runs the
builders, validates every result and writes ``data/processed/`` and ``data/datapackage.json``
atomically; ``topology`` checks and normalises boundary files.

Imports only the core modules (``nhsreport.errors``, ``paths``, ``schema``, ``atomic``, ``dates``).
"""
