-- labour_force: one row per region and period, one column per labour_force indicator (from the indicators mart).
-- grain: region_code x period. A column is empty where a source did not cover the region.
with indicators as (
    select * from indicators where period_type = 'quarter'
),

final as (
    pivot indicators
    on indicator in ('population_15_74', 'labour_force', 'employed', 'unemployed', 'unemployment_rate', 'net_participation', 'gross_participation')
    using first(value)
    group by region_code, region_name, region_level, period, period_type, classification_year
)

select * from final
