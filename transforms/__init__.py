"""Transforms: DuckDB SQL models (sql/*.sql) from validated staging to the marts."""
