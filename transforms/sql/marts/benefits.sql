-- benefits: one row per region and period, one column per benefits indicator (from the indicators mart).
-- grain: region_code x period. A column is empty where a source did not cover the region.
with indicators as (
    select * from indicators where period_type = 'quarter'
),

final as (
    pivot indicators
    on indicator in ('ww_current', 'ww_inflow', 'ww_outflow', 'ww_short_duration', 'ww_percentage', 'bijstand', 'wajong', 'wia_wao', 'job_seekers_with_job', 'job_seekers_without_job')
    using first(value)
    group by region_code, region_name, region_level, period, period_type, classification_year
)

select * from final
