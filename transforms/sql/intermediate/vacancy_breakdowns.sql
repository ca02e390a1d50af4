-- vacancy_breakdowns: share of new online vacancies by education level, and the top five
-- sectors (open vacancies) and occupation classes (new vacancies) per region (new vacancies
-- at the levels their delivery rolls up to: new_vacancies_by_region).
-- grain: region_code x indicator x breakdown x category.
with open_vacancies as (
    select * from stg_open_vacancies
),

online_vacancies as (
    select * from new_vacancies_by_region
),

membership as (
    select * from region_membership
),

education_share as (
    select region_code, 'new_vacancies_share' as indicator, 'education_level' as breakdown,
           education_level as category, null::integer as rank,
           100 * sum(new_vacancies) / nullif(sum(sum(new_vacancies)) over (partition by region_code), 0)
               as value,
           '%' as unit
    from online_vacancies group by region_code, education_level
),

sectors as (
    select m.region_code, v.sbi_section as category, sum(v.open_vacancies) as value
    from open_vacancies v join membership m using (gemeente_code)
    group by m.region_code, v.sbi_section
),

top_sectors as (
    select region_code, 'open_vacancies' as indicator, 'sbi_section' as breakdown, category,
           row_number() over (partition by region_code order by value desc, category)::integer
               as rank,
           value, 'vacancies' as unit
    from sectors
    qualify rank <= 5
),

occupations as (
    select region_code, occupation_class as category, sum(new_vacancies) as value
    from online_vacancies group by region_code, occupation_class
),

top_occupations as (
    select region_code, 'new_vacancies' as indicator, 'occupation_class' as breakdown, category,
           row_number() over (partition by region_code order by value desc, category)::integer
               as rank,
           value, 'vacancies' as unit
    from occupations
    qualify rank <= 5
),

final as (
    select * from education_share
    union all
    select * from top_sectors
    union all
    select * from top_occupations
)

select region_code, indicator, breakdown, category, rank, value::double as value, unit
from final
