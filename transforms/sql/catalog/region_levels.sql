-- region_levels: the catalog's column of that name: per indicator, every region level its
-- published figures cover in any period, from the top down (indicator_coverage has them per
-- period: a quarter delivered per arbeidsmarktregio has new_vacancies for land and
-- arbeidsmarktregio only). Not a model of a run: catalog.py joins it into the catalog view.
with coverage as (
    select distinct indicator, region_level from indicator_coverage
),

depth as (
    select * from (values
        ('land', 1), ('landsdeel', 2), ('provincie', 3), ('corop', 4),
        ('arbeidsmarktregio', 5), ('gemeente', 6)
    ) as d(region_level, depth)
),

final as (
    select c.indicator, list(c.region_level order by d.depth nulls last, c.region_level)
        as region_levels
    from coverage c
    left join depth d using (region_level)
    group by c.indicator
)

select * from final
