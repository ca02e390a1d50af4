"""Real CBS (and Eurostat) tables: readers for every format, landing, indicators and fidelity."""
