-- llo_breakdowns: LLO participation of persons 25-64 by education level and by labour
-- position (employed only for education, as in the field's headline), and the distribution
-- of the main reason among learners. grain: region_code x indicator x breakdown x category.
with respondents as (
    select * from stg_ebb where age between 25 and 64
),

membership as (
    select * from region_membership
),

by_education as (
    select m.region_code, 'llo_participation_rate_employed' as indicator,
           'education_level' as breakdown, r.education_level as category,
           100 * coalesce(sum(r.weight) filter (where r.llo_type <> 'geen'), 0) / sum(r.weight)
               as value
    from respondents r join membership m using (gemeente_code)
    where r.labour_position = 'werkzaam'
    group by m.region_code, r.education_level
),

by_position as (
    select m.region_code, 'llo_participation_rate' as indicator,
           'labour_position' as breakdown, r.labour_position as category,
           100 * coalesce(sum(r.weight) filter (where r.llo_type <> 'geen'), 0) / sum(r.weight)
               as value
    from respondents r join membership m using (gemeente_code)
    group by m.region_code, r.labour_position
),

by_type as (
    select m.region_code, 'llo_participation_rate' as indicator,
           'llo_type' as breakdown, r.llo_type as category,
           100 * sum(r.weight) / sum(sum(r.weight)) over (partition by m.region_code) as value
    from respondents r join membership m using (gemeente_code)
    group by m.region_code, r.llo_type
),

by_reason as (
    select m.region_code, 'llo_reason_share' as indicator,
           'llo_reason' as breakdown, coalesce(r.llo_reason, 'onbekend') as category,
           100 * sum(r.weight) / sum(sum(r.weight)) over (partition by m.region_code) as value
    from respondents r join membership m using (gemeente_code)
    where r.llo_type <> 'geen'
    group by m.region_code, coalesce(r.llo_reason, 'onbekend')
),

final as (
    select * from by_education
    union all
    select * from by_position
    union all
    select * from by_type
    union all
    select * from by_reason
)

select region_code, indicator, breakdown, category, null::integer as rank,
       value::double as value, '%' as unit
from final
