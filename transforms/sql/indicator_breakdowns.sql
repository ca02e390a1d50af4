-- indicator_breakdowns: indicators split by a category (education level, labour position,
-- LLO type and reason, sector, occupation). grain: region_code x period x indicator x
-- breakdown x category. Top-five lists carry their rank.
with breakdowns as (
    select * from llo_breakdowns
    union all
    select * from vacancy_breakdowns
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
        'quarter' as period_type,
        b.indicator,
        b.breakdown,
        b.category,
        b.rank,
        b.value,
        b.unit,
        getvariable('classification_year')::integer as classification_year
    from breakdowns b
    join regions r using (region_code)
)

select * from final
