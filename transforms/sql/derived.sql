-- derived: indicators that combine sources, computed from the regional totals above
-- (ratios of sums, never averages). grain: region_code x indicator.
with base as (
    select * from base_indicators
),

wide as (
    select
        region_code,
        max(value) filter (where indicator = 'open_vacancies') as open_vacancies,
        max(value) filter (where indicator = 'ww_short_duration') as ww_short_duration,
        max(value) filter (where indicator = 'ww_current') as ww_current,
        max(value) filter (where indicator = 'labour_force') as labour_force,
        max(value) filter (where indicator = 'unemployed') as unemployed
    from base
    group by region_code
),

ratios as (
    select region_code, 'uwv_tension' as indicator,
           open_vacancies / nullif(ww_short_duration, 0) as value
    from wide
    union all
    select region_code, 'vacancies_per_100_unemployed',
           100 * open_vacancies / nullif(unemployed, 0)
    from wide
    union all
    select region_code, 'ww_percentage', 100 * ww_current / nullif(labour_force, 0)
    from wide
),

final as (
    select * from ratios where value is not null
)

select region_code, indicator, value::double as value from final
