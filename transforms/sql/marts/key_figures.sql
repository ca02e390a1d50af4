-- key_figures: the regional key-figure sheet per region and quarter: each headline
-- value with its change on the previous quarter and its direction (the sheet's arrows).
-- grain: region_code x period x indicator (headline indicators only).
with indicators as (
    select * from indicators
),

headline as (
    -- the sheet's order is declared with each indicator (headline_position)
    select headline_position::integer as position, id as indicator
    from indicator_catalog
    where headline_position is not null
),

final as (
    select
        i.region_code, i.region_name, i.region_level, getvariable('period_label') as period,
        h.position, i.indicator, i.value, i.unit, i.label, i.status,
        i.change_prev_quarter, i.direction_prev_quarter,
        i.change_prev_year, i.direction_prev_year, i.period as value_period,
        i.classification_year, i.source
    from indicators i
    join headline h using (indicator)
    where i.period_type <> 'rolling_4q'
)

select * from final
