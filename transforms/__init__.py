"""Transforms: the indicator declaration (indicators/) and the DuckDB SQL models (sql/<layer>/,
ordered by models.py) from validated staging to the marts."""
