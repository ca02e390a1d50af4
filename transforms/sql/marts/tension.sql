-- tension: labour-market tension per region and quarter with the UWV typering.
-- grain: region_code x period.
with indicators as (
    select * from indicators where period_type = 'quarter'
),

final as (
    select
        region_code, region_name, region_level, period, period_type, classification_year, source,
        max(value) filter (where indicator = 'uwv_tension') as uwv_tension,
        max(label) filter (where indicator = 'uwv_tension') as uwv_tension_class,
        max(value) filter (where indicator = 'open_vacancies') as open_vacancies,
        max(value) filter (where indicator = 'ww_short_duration') as ww_short_duration,
        max(value) filter (where indicator = 'vacancies_per_100_unemployed')
            as vacancies_per_100_unemployed,
        max(value) filter (where indicator = 'unemployed') as unemployed
    from indicators
    group by all
)

select * from final
