"""What every column of the marts means: the source of the catalog's column comments."""

from __future__ import annotations

from kraptemeter.core.settings import MIN_RESPONDENTS
from transforms.indicators import BY_ID

COLUMNS = {
    "region_code": "CBS region code: NL01, PVnn (provincie), CRnn (COROP), AMnn "
    "(arbeidsmarktregio), GMnnnn (gemeente)",
    "region_name": "Name of the region",
    "region_level": "land / landsdeel / provincie / corop / arbeidsmarktregio / gemeente",
    "period": "2024Q2 for a quarter, 2024 for a year, 2024-06 for a month",
    "period_type": "quarter / year / month / rolling_4q (survey estimate over the four quarters "
    "ending with the period)",
    "indicator": "Indicator id; see the catalog view",
    "value": "The value in `unit`; empty when suppressed (see status)",
    "unit": "Unit of value, as published (CBS units such as 'x 1 000' are kept)",
    "label": "Typering of the UWV tension indicator (zeer ruim ... zeer krap)",
    "ci_low": "Lower bound of the 95% confidence interval (survey values)",
    "ci_high": "Upper bound of the 95% confidence interval (survey values)",
    "respondents": "Unweighted respondents behind the value (survey values)",
    "status": "ok, or why there is no value (e.g. suppressed: fewer than "
    f"{MIN_RESPONDENTS} respondents)",
    "change_prev_quarter": "value minus the previous quarter's (month's) value, in `unit`",
    "direction_prev_quarter": "up / down / equal: the arrow of the change on the previous quarter",
    "change_prev_year": "value minus the value a year earlier, in `unit`",
    "direction_prev_year": "up / down / equal: the arrow of the change on a year earlier",
    "change_significant_prev_quarter": "whether the change on the previous quarter is worth "
    "an arrow: beyond the 95% margin of the two survey estimates (their interval half-widths "
    "in quadrature, conservative for overlapping rolling windows), or for a register figure "
    "at least one shown decimal and 1%; NULL where it cannot be judged (no earlier value, a "
    "CBS figure without an interval)",
    "change_significant_prev_year": "as change_significant_prev_quarter, for the change on "
    "a year earlier",
    "classification_year": "Year of the region classification the figure is on",
    "source": "Where the row comes from: pipeline (computed from the raw deliveries), sample "
    "(computed from the shipped sample data, not real figures) or cbs:<table> (CBS's own table)",
    "recommended": "The figure a dashboard should show for this region and indicator",
    "breakdown": "What the category splits by (education_level, labour_position, ...)",
    "category": "The category of the breakdown",
    "rank": "Rank within a top-five list (sectors, occupations)",
    "position": "Order of the headline figure on the key-figure sheet",
    "value_period": "Period of the value (annual figures on a quarterly sheet)",
    "value_period_type": "quarter, rolling_4q (the four quarters ending with value_period: "
    "the recommended survey figure of a gemeente, COROP region or arbeidsmarktregio) or year",
    "uwv_tension_class": "Typering of uwv_tension",
    # the catalog view
    "theme": "Theme (wide mart) the indicator belongs to",
    "label_nl": "Dutch label",
    "label_en": "English label",
    "definition": "What the indicator counts or measures",
    "numerator": "Numerator of a ratio (summed over the region first)",
    "denominator": "Denominator of a ratio (summed over the region first)",
    "grain": "One value per ...",
    "regions": "Region levels the indicator can be computed for, as declared (for some, "
    "depending on the grain of the delivery); region_levels says which were published",
    "region_levels": "Region levels the indicator has published figures for, in any period, "
    "from the top down (per period: the view indicator_coverage)",
    # the coverage view
    "figures": "Regions of the level with a figure for the indicator in the period "
    "(suppressed figures included: they are published with their status)",
    "periods": "Period types the indicator is computed for",
    "kind": "survey (EBB estimate with interval) or register/table (a count)",
    "good_direction": "Which direction is good news for the region: up, down, or neither",
    # quarantine
    "_file": "The raw file the rejected row came from",
    "delivery": "sha256 of the delivered file the rows came from (refused deliveries too)",
    "_line": "Line number in that file (the header is line 1)",
    "_rules": "Every rule the row broke (column: check, or a row rule)",
    "_raw_line": "The line as delivered, where the CSV reader could not split it",
    # regions
    "arbeidsmarktregio_code": "Arbeidsmarktregio the region lies in",
    "corop_code": "COROP region the region lies in",
    "provincie_code": "Provincie the region lies in (empty for an arbeidsmarktregio that "
    "crosses a province border)",
    "provincie_codes": "Every provincie the region touches",
    "land_code": "NL01",
    "gemeenten": "Number of gemeenten in the region",
    # runs and lineage
    "run_id": "Run identifier (UTC start time and a random suffix)",
    "code_version": "kraptemeter version",
    "code_fingerprint": "Hash of the SQL models, schemas and reference data the run used",
    "quarters": "Quarters the run was asked to do",
    "started": "Start of the run (UTC)",
    "ended": "End of the run (UTC)",
    "run_ended": "End of the run that last wrote or confirmed the partition",
    "outcome": "succeeded or failed",
    "message": "Why a run failed",
    "skipped_quarters": "Quarters skipped because inputs and code were unchanged",
    "sources": "Per input file: source, period, file, sha256, size, rows read / accepted / "
    "quarantined and the rules broken",
    "partitions": "Partition files the run wrote or confirmed",
    "cbs_tables": "CBS files landed in raw/cbs that the run used, with sha256 and export date",
    "window_inputs": "Per published quarter (used_by): the EBB deliveries of the three "
    "quarters before it that its rolling figures rest on, as those quarters were published",
    "mart": "Mart name",
    "partition": "Partition file, relative to marts/",
    "file": "Input file",
    "sha256": "sha256 of the input file",
    "size_bytes": "Size of the input file",
    "rows_read": "Rows in the input file",
    "rows_accepted": "Rows that passed validation",
    "rows_quarantined": "Rows kept in quarantine with their reasons",
    # CBS observations and code lists
    "table_id": "CBS table id",
    "source_file": "The landed file the cell was read from",
    "format": "Format of that file (odata_v3_csv, odata_v4, statline_csv, ...)",
    "period_code": "CBS period code (2024JJ00, 2024KW02, 2024MM06)",
    "measure": "The table's own measure key or column title",
    "dims": "Other dimensions of the cell, as JSON",
    "decimals": "Decimals CBS publishes the measure with",
    "concept": "What the pipeline uses the measure as",
    "vintage": "Export date of the file (the newest delivery wins)",
    "code": "Dimension code",
    "title": "Title of the dimension code",
}


# The unit of a column that is not an indicator's own (those carry the indicator's unit);
# columns absent here are text, codes or flags, with no unit.
UNITS = {
    "value": "the row's `unit`",
    "ci_low": "the row's `unit`",
    "ci_high": "the row's `unit`",
    "change_prev_quarter": "the row's `unit` (percentage points for a %)",
    "change_prev_year": "the row's `unit` (percentage points for a %)",
    "respondents": "respondents (unweighted)",
    "classification_year": "year",
    "rank": "rank (1 = largest)",
    "position": "row number on the sheet",
}


def unit_of(column: str) -> str:
    """The unit of a mart column, for the Parquet field metadata ('' for text columns)."""
    indicator = BY_ID.get(column)
    if indicator is not None:
        return indicator.unit
    return UNITS.get(column, "")


def describe(column: str) -> str:
    if column in COLUMNS:
        return COLUMNS[column]
    indicator = BY_ID.get(column)
    if indicator is not None:
        return f"{indicator.label_en} ({indicator.unit}): {indicator.definition}"
    return ""
