-- indicator_breakdowns: indicators split by a category (education level, labour position,
-- LLO type and reason, sector, occupation); survey values with interval and status.
-- grain: region_code x period x indicator x breakdown x category. Top-five lists carry their
-- rank. Breakdown-only indicators (llo_type_share, ...) are not in the declaration.
with breakdowns as (
    select region_code, indicator, breakdown, category, null::integer as rank, value,
           '%' as unit, ci_low, ci_high, respondents, status, 'quarter' as period_type
    from survey_published_quarter where breakdown is not null
    union all
    select region_code, indicator, breakdown, category, null::integer, value, '%', ci_low,
           ci_high, respondents, status, 'rolling_4q'
    from survey_published_rolling where breakdown is not null
    union all
    select *, null::double, null::double, null::bigint, 'ok', 'quarter' from vacancy_breakdowns
),

regions as (
    select * from regions
),

final as (
    select
        b.region_code,
        r.region_name,
        r.region_level,
        getvariable('period_label') as period,
        b.period_type,
        b.indicator,
        b.breakdown,
        b.category,
        b.rank,
        b.value,
        b.unit,
        b.ci_low,
        b.ci_high,
        b.respondents,
        b.status,
        getvariable('classification_year')::integer as classification_year,
        getvariable('figure_source') as source
    from breakdowns b
    join regions r using (region_code)
)

select * from final
