-- key_figures: the regional key-figure sheet per region and quarter: each headline
-- value with its change on the previous quarter and its direction (the sheet's arrows).
-- grain: region_code x period x indicator (headline indicators only).
with indicators as (
    select * from indicators
),

headline as (
    select * from (values
        (1, 'employed'), (2, 'unemployed'), (3, 'unemployment_rate'), (4, 'net_participation'),
        (5, 'open_vacancies'), (6, 'new_vacancies'), (7, 'ww_current'), (8, 'ww_inflow'),
        (9, 'ww_outflow'), (10, 'job_seekers_with_job'), (11, 'job_seekers_without_job'),
        (12, 'bijstand'), (13, 'wajong'), (14, 'wia_wao'), (15, 'uwv_tension'),
        (16, 'llo_participation_rate_employed'), (17, 'grey_pressure')
    ) as h(position, indicator)
),

final as (
    select
        i.region_code, i.region_name, i.region_level, getvariable('period_label') as period,
        h.position, i.indicator, i.value, i.unit, i.label, i.status,
        i.change_prev_quarter, i.direction_prev_quarter,
        i.change_prev_year, i.direction_prev_year, i.period as value_period,
        i.classification_year
    from indicators i
    join headline h using (indicator)
    where i.period_type <> 'rolling_4q'
)

select * from final
