-- indicator_values: every indicator value of the run, with its period and the periods its
-- changes compare with, before it meets the declaration (an audit refuses any indicator the
-- declaration lacks, so none is silently dropped by the indicators mart's join).
-- grain: region_code x period_type x indicator. Quarterly indicators carry the run's quarter
-- (survey indicators also as a rolling four-quarter estimate, period_type 'rolling_4q');
-- pressure (population on 1 January) carries the year and compares with the previous year.
with quarterly as (
    select region_code, indicator, value, ci_low, ci_high, respondents, status,
           getvariable('period_label') as period, period_type,
           getvariable('previous_quarter') as previous_period,
           getvariable('year_earlier_quarter') as year_earlier_period
    from base_indicators
    union all
    select region_code, indicator, value, null, null, respondents, status,
           getvariable('period_label'), 'quarter',
           getvariable('previous_quarter'), getvariable('year_earlier_quarter')
    from derived
),

annual as (
    select region_code, indicator, value, null as ci_low, null as ci_high,
           null as respondents, 'ok' as status,
           getvariable('year_label') as period, 'year' as period_type,
           null::varchar as previous_period, getvariable('previous_year') as year_earlier_period
    from population_pressure
),

final as (
    select * from quarterly
    union all
    select * from annual
)

select * from final
