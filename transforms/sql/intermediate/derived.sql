-- derived: indicators that combine sources, computed from the regional totals (ratios of
-- sums, never averages). grain: region_code x indicator.
-- Survey totals enter as published (rounded), so no unrounded total can be recovered from a
-- ratio; a ratio rests on the respondents behind its survey total and is suppressed, with a
-- status, below the publication threshold or when that total rounds to zero.
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
        region_code,
        max(value) filter (where indicator = 'labour_force') as labour_force,
        max(respondents) filter (where indicator = 'labour_force') as labour_force_respondents,
        max(value) filter (where indicator = 'unemployed') as unemployed,
        max(respondents) filter (where indicator = 'unemployed') as unemployed_respondents
    from survey_published_quarter
    where breakdown is null
    group by region_code
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
           open_vacancies / nullif(ww_short_duration, 0) as value,
           null::double as survey_total, null::bigint as respondents
    from wide
    union all
    select region_code, 'vacancies_per_100_unemployed',
           100 * open_vacancies / nullif(unemployed, 0), unemployed, unemployed_respondents
    from wide
    where open_vacancies is not null
    union all
    select region_code, 'ww_percentage',
           100 * ww_current / nullif(labour_force, 0), labour_force, labour_force_respondents
    from wide
    where ww_current is not null
    union all
    select region_code, 'bijstand_per_1000_inhabitants_15_74',
           1000 * bijstand / nullif(aged_15_74, 0), null, null
    from wide
),

disclosed as (
    select
        region_code,
        indicator,
        value,
        respondents,
        case
            when respondents < getvariable('survey_min_respondents')
                then 'suppressed: fewer than ' || getvariable('survey_min_respondents')
                     || ' respondents'
            when survey_total = 0 then 'suppressed: its survey total rounds to zero'
            else 'ok'
        end as status
    from ratios
),

final as (
    select
        region_code,
        indicator,
        case when status = 'ok' then value end::double as value,
        respondents,
        status
    from disclosed
    where value is not null or status <> 'ok'
)

select * from final
