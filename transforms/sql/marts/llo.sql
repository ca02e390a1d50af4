-- llo: one row per region and period, one column per llo indicator (from the indicators mart).
-- grain: region_code x period. A column is empty where a source did not cover the region.
with indicators as (
    select * from indicators where period_type = 'quarter'
),

final as (
    pivot indicators
    on indicator in ('llo_participation_rate', 'llo_participation_rate_employed', 'llo_formal_rate', 'llo_non_formal_rate')
    using first(value)
    group by region_code, region_name, region_level, period, period_type, classification_year
)

select * from final
