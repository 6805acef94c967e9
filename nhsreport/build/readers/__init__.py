"""One reader per official file: path in, tidy validated frame out.

Every builder that needs a file calls its reader here, so each file is parsed, and its format
checked, in exactly one place. A reader keeps what the file says (codes stripped, numbers and
dates typed, names as published); what a dataset makes of it (lookups, counts, tidied names)
is the builder's. Errors name the file, the place and what was expected
(:class:`nhsreport.errors.DataError`).

``ods`` (NHS Organisation Data Service and NHS England reference files), ``ons`` (ONS geography
and population), ``workforce`` (NHS workforce statistics), ``kh03`` (bed availability),
``allocations`` (ICB allocations) and ``registrations`` (patients registered at a GP practice,
2025-26, and the ODS practice file of 2026).
"""
