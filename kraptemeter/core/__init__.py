"""The ground floor: periods, errors, DuckDB connections, reference data and settings."""
