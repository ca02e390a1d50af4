-- derived: indicators that combine sources, computed from the regional totals (ratios of
-- sums, never averages). Survey totals enter unrounded. grain: region_code x indicator.
-- The population register counts residents on 1 January of the quarter's year.
with registers as (
    select
        region_code,
        max(value) filter (where indicator = 'open_vacancies') as open_vacancies,
        max(value) filter (where indicator = 'ww_short_duration') as ww_short_duration,
        max(value) filter (where indicator = 'ww_current') as ww_current,
        max(value) filter (where indicator = 'bijstand') as bijstand
    from base_indicators
    where period_type = 'quarter'
    group by region_code
),

survey as (
    select
        domain as region_code,
        max(estimate) filter (where indicator = 'labour_force') as labour_force,
        max(estimate) filter (where indicator = 'unemployed') as unemployed
    from survey_estimates_quarter
    where breakdown is null
    group by domain
),

population as (
    select m.region_code, sum(p.population) filter (where p.age between 15 and 74) as aged_15_74
    from stg_population p
    join region_membership m using (gemeente_code)
    group by m.region_code
),

wide as (
    select *
    from registers
    full join survey using (region_code)
    full join population using (region_code)
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
    union all
    select region_code, 'bijstand_per_1000_inhabitants_15_74',
           1000 * bijstand / nullif(aged_15_74, 0)
    from wide
),

final as (
    select * from ratios where value is not null
)

select region_code, indicator, value::double as value from final
