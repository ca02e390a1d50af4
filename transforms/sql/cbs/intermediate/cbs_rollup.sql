-- cbs_rollup: CBS's gemeente figures summed to the regions CBS does not publish them for
-- (arbeidsmarktregio's), through the region reference of the figure's own year: only figures
-- whose year is the reference's classification year are rolled up. Additive concepts only
-- (counts); ratios such as grey pressure are recomputed from these sums downstream.
-- grain: table_id x region_code x period_code x concept.
with gemeente_cells as (
    select *
    from cbs_latest
    where table_id = '70072ned' and region_code like 'GM%'
      and left(period_code, 4)::integer = getvariable('classification_year')
      and (concept like 'age_%' or concept = 'population' or concept like '%_recipients')
),

final as (
    select
        g.table_id, 'rolled up from gemeenten' as source_file, 'rollup' as format,
        m.region_code, g.period_code, any_value(g.measure) as measure, g.dims,
        sum(g.value) as value, any_value(g.unit) as unit, any_value(g.decimals) as decimals,
        'rolled_up' as status, g.concept, max(g.vintage) as vintage
    from gemeente_cells g
    join region_membership m on m.gemeente_code = g.region_code
    where m.region_level = 'arbeidsmarktregio'
    group by g.table_id, m.region_code, g.period_code, g.concept, g.dims
    -- a region with a gemeente whose figure is missing gets no total rather than a short one
    having count(g.value) = count(*)
)

select * from final
