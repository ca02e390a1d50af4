-- vacancy_counts: open vacancies at quarter end (gemeente x SBI, rolled up to every level) and
-- newly arisen online vacancies (every level when delivered per gemeente of the work location,
-- only AM and Nederland when delivered per arbeidsmarktregio: new_vacancies_by_region).
-- grain: region_code x indicator.
with open_vacancies as (
    select * from stg_open_vacancies
),

new_vacancies as (
    select * from new_vacancies_by_region
),

membership as (
    select * from region_membership
),

open_by_region as (
    select m.region_code, 'open_vacancies' as indicator, sum(v.open_vacancies) as value
    from open_vacancies v join membership m using (gemeente_code)
    group by m.region_code
),

new_by_region as (
    select region_code, 'new_vacancies' as indicator, sum(new_vacancies) as value
    from new_vacancies group by region_code
),

final as (
    select * from open_by_region
    union all
    select * from new_by_region
)

select region_code, indicator, value::double as value from final
