"""The store of record: the catalogue record model, its tables and its queries."""
