-- llo: lifelong-learning participation (last four weeks), persons aged 25-64, per region.
-- grain: region_code x indicator. Shares are ratios of weighted sums.
with respondents as (
    select * from stg_ebb where age between 25 and 64
),

membership as (
    select * from region_membership
),

sums as (
    select
        m.region_code,
        sum(r.weight) as persons,
        sum(r.weight) filter (where r.llo_type <> 'geen') as learners,
        sum(r.weight) filter (where r.llo_type = 'formeel') as formal_learners,
        sum(r.weight) filter (where r.llo_type = 'niet_formeel') as non_formal_learners,
        sum(r.weight) filter (where r.labour_position = 'werkzaam') as employed,
        sum(r.weight) filter (where r.labour_position = 'werkzaam' and r.llo_type <> 'geen')
            as employed_learners
    from respondents r
    join membership m using (gemeente_code)
    group by m.region_code
),

rates as (
    select
        region_code,
        100 * coalesce(learners, 0) / persons as llo_participation_rate,
        100 * coalesce(employed_learners, 0) / nullif(employed, 0)
            as llo_participation_rate_employed,
        100 * coalesce(formal_learners, 0) / persons as llo_formal_rate,
        100 * coalesce(non_formal_learners, 0) / persons as llo_non_formal_rate
    from sums
),

final as (
    unpivot rates
    on llo_participation_rate, llo_participation_rate_employed, llo_formal_rate,
       llo_non_formal_rate
    into name indicator value value
)

select region_code, indicator, value::double as value from final
