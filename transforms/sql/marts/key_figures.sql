-- key_figures: the regional key-figure sheet per region and quarter: each headline
-- value with its changes on the previous quarter and a year earlier, their direction and
-- whether they are significant (the sheet's arrows). The figure is the one recommended for
-- the region's level: for a survey indicator of a gemeente, COROP region or arbeidsmarktregio
-- the four-quarter rolling estimate (value_period_type 'rolling_4q'), else the quarter's.
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
        i.change_prev_quarter, i.direction_prev_quarter, i.change_significant_prev_quarter,
        i.change_prev_year, i.direction_prev_year, i.change_significant_prev_year,
        i.period as value_period, i.period_type as value_period_type, i.source,
        i.classification_year
    from indicators i
    join headline h using (indicator)
    where i.recommended
)

select * from final
