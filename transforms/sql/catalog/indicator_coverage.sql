-- indicator_coverage: the region levels each indicator has figures for, per period, as
-- published. grain: indicator x period x period_type x region_level. What a period covers
-- depends on its deliveries: new_vacancies of a quarter delivered per arbeidsmarktregio has
-- rows for land and arbeidsmarktregio only, of a quarter delivered per gemeente of the work
-- location for every level. A figure is a cell of the dashboards' view `indicators` (that
-- view keeps one candidate per cell and drops none); a suppressed figure counts, it is
-- published with its status. A level is named as that view names it: the regions table's,
-- else as published. Not a model of a run (no layer folder): catalog.py creates it as a view.
with candidates as (
    select distinct indicator, period, period_type, region_code, region_level
    from indicator_candidates
),

names as (
    select region_code, region_level from regions
),

figures as (
    select c.indicator, c.period, c.period_type, c.region_code,
           coalesce(n.region_level, c.region_level) as region_level
    from candidates c
    left join names n using (region_code)
),

final as (
    select indicator, period, period_type, region_level,
           count(distinct region_code) as figures
    from figures
    group by indicator, period, period_type, region_level
)

select * from final
order by indicator, period, period_type, region_level
