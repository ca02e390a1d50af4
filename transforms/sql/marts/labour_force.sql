-- labour_force: one row per region and period, one column per pipeline indicator of the theme
-- 'labour_force' in transforms/indicators/, in declaration order (from the indicators mart; PIVOT
-- needs a literal list for stable columns, filled in from the declaration).
-- grain: region_code x period. A column is empty where a source did not cover the region.
with indicators as (
    select * from indicators where period_type = 'quarter'
),

final as (
    pivot indicators
    on indicator in ({{ theme_indicators('labour_force') }})
    using first(value)
    group by region_code, region_name, region_level, period, period_type, classification_year, source
)

select * from final
