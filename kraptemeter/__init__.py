"""kraptemeter: Dutch regional labour-market indicators from raw CBS/UWV-style extracts."""

__version__ = "0.1.0"
