-- population_pressure: grey, green and demographic pressure from the population on
-- 1 January. grain: region_code x indicator, for the year of the run's quarter
-- (period_type 'year'). Per 100 persons aged 20-64 (20 tot 65 jaar), as CBS 70072ned.
with population as (
    select * from stg_population
),

membership as (
    select * from region_membership
),

sums as (
    select
        m.region_code,
        sum(p.population) as population,
        sum(p.population) filter (where p.age < 20) as young,
        sum(p.population) filter (where p.age between 20 and 64) as working_age,
        sum(p.population) filter (where p.age >= 65) as old
    from population p join membership m using (gemeente_code)
    group by m.region_code
),

rates as (
    select
        region_code,
        population,
        100 * old / nullif(working_age, 0) as grey_pressure,
        100 * young / nullif(working_age, 0) as green_pressure,
        100 * (old + young) / nullif(working_age, 0) as demographic_pressure
    from sums
),

final as (
    unpivot rates
    on population, grey_pressure, green_pressure, demographic_pressure
    into name indicator value value
)

select region_code, indicator, value::double as value from final
