-- new_vacancies_by_region: newly arisen online vacancies per region, occupation class and
-- education level, from whichever grain the quarter was delivered at (never both: the run
-- refuses a quarter with both, schemas/sources.py).
-- grain: region_code x occupation_class x education_level.
-- Per gemeente of the work location, the rows roll up through region_membership to every
-- level (gemeente, COROP, provincie, arbeidsmarktregio, Nederland); per arbeidsmarktregio
-- they give only the arbeidsmarktregio and Nederland, because arbeidsmarktregio's cross
-- province borders and contain no COROP region or gemeente of their own.
with per_gemeente as (
    select * from stg_online_vacancies_gemeente
),

per_arbeidsmarktregio as (
    select * from stg_online_vacancies
),

membership as (
    select * from region_membership
),

from_gemeenten as (
    select m.region_code, v.occupation_class, v.education_level, v.new_vacancies
    from per_gemeente v join membership m using (gemeente_code)
),

from_arbeidsmarktregios as (
    select v.arbeidsmarktregio_code as region_code, v.occupation_class, v.education_level,
           v.new_vacancies
    from per_arbeidsmarktregio v
    union all
    select 'NL01', v.occupation_class, v.education_level, v.new_vacancies
    from per_arbeidsmarktregio v
),

by_region as (
    select * from from_gemeenten
    union all
    select * from from_arbeidsmarktregios
),

final as (
    select region_code, occupation_class, education_level,
           sum(new_vacancies)::bigint as new_vacancies
    from by_region
    group by region_code, occupation_class, education_level
)

select * from final
