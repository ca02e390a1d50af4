-- vacancy_counts: open vacancies at quarter end (gemeente x SBI, rolled up to every level) and
-- newly arisen online vacancies (delivered per arbeidsmarktregio, so only AM and Nederland).
-- grain: region_code x indicator.
with open_vacancies as (
    select * from stg_open_vacancies
),

online_vacancies as (
    select * from stg_online_vacancies
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
    select arbeidsmarktregio_code as region_code, 'new_vacancies' as indicator,
           sum(new_vacancies) as value
    from online_vacancies group by arbeidsmarktregio_code
    union all
    select 'NL01', 'new_vacancies', sum(new_vacancies)
    from online_vacancies having count(*) > 0
),

final as (
    select * from open_by_region
    union all
    select * from new_by_region
)

select region_code, indicator, value::double as value from final
