-- undeclared_indicators: indicators a model produced that transforms/indicators/ does not
-- declare. The indicators mart joins the declaration, so these would vanish without a word;
-- the run refuses instead. grain: indicator (no rows: the audit passes).
with produced as (
    select distinct indicator from indicator_values
),

declared as (
    select id as indicator from indicator_catalog
),

final as (
    select indicator from produced
    anti join declared using (indicator)
)

select * from final order by indicator
