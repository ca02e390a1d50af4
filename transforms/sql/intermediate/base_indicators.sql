-- base_indicators: the per-source indicators of the quarter in one long relation, survey
-- estimates with their interval, respondents and publication status.
-- grain: region_code x indicator x period_type ('quarter', or 'rolling_4q' for the survey
-- estimate over the four quarters ending with this one).
with survey as (
    select *, 'quarter' as period_type from survey_published_quarter
    union all
    select *, 'rolling_4q' from survey_published_rolling
),

registers as (
    select * from vacancy_counts
    union all
    select * from benefit_counts
),

final as (
    select region_code, indicator, period_type, value, ci_low, ci_high, respondents, status
    from survey
    where breakdown is null
    union all
    select region_code, indicator, 'quarter', value, null, null, null, 'ok'
    from registers
)

select * from final
