-- cbs_pressure: grey, green and demographic pressure recomputed from the age groups CBS
-- publishes: from 70072ned's groups, and from 03759ned's single years of age (65+ is the
-- total minus ages 0-64, because 03759ned's open groups 95+ and 105+ overlap the single years).
-- grain: table_id x region_code x period_code x indicator.
with groups as (
    select
        table_id, region_code, period_code,
        sum(value) filter (where concept in ('age_0_4', 'age_5_9', 'age_10_14', 'age_15_19'))
            as young,
        sum(value) filter (where concept in ('age_20_24', 'age_25_44', 'age_45_64')) as working,
        sum(value) filter (where concept in ('age_65_79', 'age_80_plus')) as old,
        count(value) filter (where concept like 'age_%') as groups_present
    from cbs_cells
    where table_id = '70072ned'
    group by all
),

single_years as (
    select
        o.table_id, o.region_code, o.period_code,
        sum(o.value) filter (where a.age < 20) as young,
        sum(o.value) filter (where a.age between 20 and 64) as working,
        max(o.value) filter (where json_extract_string(o.dims, '$.Leeftijd') = '10000')
            - sum(o.value) filter (where a.age < 65) as old,
        count(o.value) filter (where a.age < 65) as ages_present
    from cbs_cells o
    left join cbs_ages a
        on a.table_id = o.table_id and a.code = json_extract_string(o.dims, '$.Leeftijd')
    where o.table_id = '03759ned' and o.concept = 'population_by_age'
      and json_extract_string(o.dims, '$.Geslacht') = 'T001038'
      and json_extract_string(o.dims, '$.BurgerlijkeStaat') = 'T001019'
    group by all
),

complete as (
    select table_id, region_code, period_code, young, working, old
    from groups where groups_present = 9
    union all
    select table_id, region_code, period_code, young, working, old
    from single_years where ages_present = 65
),

final as (
    unpivot (
        select
            table_id, region_code, period_code,
            100 * old / working as grey_pressure,
            100 * young / working as green_pressure,
            100 * (young + old) / working as demographic_pressure
        from complete
        where working > 0
    )
    on grey_pressure, green_pressure, demographic_pressure
    into name indicator value value
)

select table_id, region_code, period_code, indicator, value, 'per 100 aged 20-64' as unit
from final
