"""Bulk import of orders, parcels and cases from JSONL or CSV files.

Files name things by external reference (``merchant_ref``, ``buyer_ref``, ``sku``,
``order_ref``, carrier and tracking number); each row is applied through the owning module's
service in its own savepoint, so one bad row is reported and rolled back alone. What the
columns are lives in :mod:`tradeshield.imports.csv_layout` and :mod:`tradeshield.imports.rows`.
"""
