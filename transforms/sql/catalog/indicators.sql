-- indicators: the dashboards' view in the catalog (warehouse.duckdb), one figure per
-- region_code x period x period_type x indicator, chosen from indicator_candidates (every
-- figure the Parquet mart `indicators` holds: the pipeline's and every CBS table's).
-- Precedence, first rule first:
--   1. real data over the sample: a `sample` figure never wins over a pipeline or CBS one;
--   2. Nederland and the provinces: CBS's own published figure (`cbs:<table>`) over the
--      pipeline's; arbeidsmarktregio's, COROP and gemeenten: the pipeline's over CBS's;
--   3. otherwise the source's name (CBS tables among themselves are already one per cell).
-- Each region code has one name and level: those of the regions table where it lists the
-- code (CBS tables spell some names their own way), else as published. A count CBS publishes
-- in thousands (`x 1 000`) is shown in the indicator's declared unit (persons, benefits,
-- vacancies), so one column of the view has one unit per indicator; the candidate keeps
-- CBS's value and unit as published. A chosen CBS figure
-- is `recommended` (the pipeline's say whether the quarter or the rolling figure is).
-- Not a model of a run (no layer folder): catalog.py creates it as a view at each publish.
with candidates as (
    select * from indicator_candidates
),

names as (
    select region_code, region_name, region_level from regions
),

declared as (
    select indicator, unit from catalog
),

in_declared_units as (
    -- thousands to the declared count unit; the changes are in the same unit as the value
    select
        c.* replace (
            c.value * scale as value,
            c.change_prev_quarter * scale as change_prev_quarter,
            c.change_prev_year * scale as change_prev_year,
            case when scale = 1000 then d.unit else c.unit end as unit
        )
    from (
        select c.*, case when c.unit in ('x 1 000', 'x 1000')
                          and d.unit in ('persons', 'benefits', 'vacancies')
                         then 1000 else 1 end as scale
        from candidates c left join declared d using (indicator)
    ) c
    left join declared d using (indicator)
),

ranked as (
    select
        c.* replace (
            coalesce(n.region_name, c.region_name) as region_name,
            coalesce(n.region_level, c.region_level) as region_level,
            -- a CBS figure has no rolling alternative: where it is chosen, it is the one to show
            coalesce(c.recommended, c.source like 'cbs:%') as recommended
        ),
        row_number() over (
            partition by c.region_code, c.period, c.period_type, c.indicator
            order by
                c.source = 'sample',
                case
                    when c.source like 'cbs:%'
                        then coalesce(n.region_level, c.region_level) not in ('land', 'provincie')
                    else coalesce(n.region_level, c.region_level) in ('land', 'provincie')
                end,
                c.source
        ) as preference
    from in_declared_units c
    left join names n using (region_code)
)

select * exclude (preference, scale) from ranked where preference = 1
