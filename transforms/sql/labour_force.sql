-- labour_force: EBB estimates per region. grain: region_code x indicator.
-- Totals are sums of weights; rates are ratios of weighted sums (never averages of rates).
-- Universe: residents aged 15 to 75 (15 tot 75 jaar).
with respondents as (
    select * from stg_ebb where age between 15 and 74
),

membership as (
    select * from region_membership
),

sums as (
    select
        m.region_code,
        count(*) as respondents,
        sum(r.weight) as population_15_74,
        sum(r.weight) filter (where r.labour_position = 'werkzaam') as employed,
        sum(r.weight) filter (where r.labour_position = 'werkloos') as unemployed
    from respondents r
    join membership m using (gemeente_code)
    group by m.region_code
),

rates as (
    select
        region_code,
        population_15_74,
        coalesce(employed, 0) + coalesce(unemployed, 0) as labour_force,
        coalesce(employed, 0) as employed,
        coalesce(unemployed, 0) as unemployed,
        100 * coalesce(unemployed, 0) / nullif(coalesce(employed, 0) + coalesce(unemployed, 0), 0)
            as unemployment_rate,
        100 * coalesce(employed, 0) / population_15_74 as net_participation,
        100 * (coalesce(employed, 0) + coalesce(unemployed, 0)) / population_15_74
            as gross_participation
    from sums
),

final as (
    unpivot rates
    on population_15_74, labour_force, employed, unemployed, unemployment_rate,
       net_participation, gross_participation
    into name indicator value value
)

select region_code, indicator, value::double as value from final
