-- survey_published: survey estimates under CBS's publication rules (DOMAIN.md §3).
-- grain: region_code x indicator x breakdown x category.
-- A percentage needs at least `survey_min_respondents` respondents behind its denominator;
-- below that it is published with no value and a status that says why (never a zero, never
-- the raw value). Totals are published rounded to `survey_total_rounding` (CBS: thousands).
with estimates as (
    select * from survey_estimates
),

final as (
    select
        domain as region_code,
        indicator,
        breakdown,
        category,
        respondents,
        case
            when kind = 'ratio' and respondents < getvariable('survey_min_respondents')
                then 'suppressed: fewer than ' || getvariable('survey_min_respondents')
                     || ' respondents'
            when kind = 'ratio' and estimate is null then 'suppressed: no respondents'
            else 'ok'
        end as status,
        kind,
        estimate,
        ci_low,
        ci_high
    from estimates
)

select
    region_code, indicator, breakdown, category, respondents, status,
    case when status <> 'ok' then null
         when kind = 'total' then round(estimate / getvariable('survey_total_rounding'))
                                  * getvariable('survey_total_rounding')
         else estimate end::double as value,
    case when status <> 'ok' then null
         when kind = 'total' then round(greatest(ci_low, 0) / getvariable('survey_total_rounding'))
                                  * getvariable('survey_total_rounding')
         else greatest(ci_low, 0) end::double as ci_low,
    case when status <> 'ok' then null
         when kind = 'total' then round(ci_high / getvariable('survey_total_rounding'))
                                  * getvariable('survey_total_rounding')
         else least(ci_high, 100) end::double as ci_high
from final
