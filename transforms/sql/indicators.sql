-- indicators: the long mart every dashboard reads. grain: region_code x period x indicator.
-- Quarterly indicators carry the run's quarter; pressure (population on 1 January) carries the
-- year. Changes compare with the values already published for the previous quarter and the
-- same quarter a year earlier (for annual figures: the previous year), in the indicator's unit.
with quarterly as (
    select region_code, indicator, value,
           getvariable('period_label') as period, 'quarter' as period_type,
           getvariable('previous_quarter') as previous_period,
           getvariable('year_earlier_quarter') as year_earlier_period
    from base_indicators
    union all
    select region_code, indicator, value,
           getvariable('period_label'), 'quarter',
           getvariable('previous_quarter'), getvariable('year_earlier_quarter')
    from derived
),

annual as (
    select region_code, indicator, value,
           getvariable('year_label') as period, 'year' as period_type,
           null::varchar as previous_period, getvariable('previous_year') as year_earlier_period
    from pressure
),

current_values as (
    select * from quarterly
    union all
    select * from annual
),

previous as (
    select region_code, period, indicator, value from published_indicators
),

regions as (
    select * from regions
),

catalog as (
    select * from indicator_catalog
),

with_changes as (
    select
        v.*,
        v.value - q.value as change_prev_quarter,
        v.value - y.value as change_prev_year
    from current_values v
    left join previous q
        on q.region_code = v.region_code and q.indicator = v.indicator
        and q.period = v.previous_period
    left join previous y
        on y.region_code = v.region_code and y.indicator = v.indicator
        and y.period = v.year_earlier_period
),

final as (
    select
        v.region_code,
        r.region_name,
        r.region_level,
        v.period,
        v.period_type,
        v.indicator,
        v.value,
        c.unit,
        case
            when v.indicator <> 'uwv_tension' then null
            when v.value < 0.25 then 'zeer ruim'
            when v.value < 0.67 then 'ruim'
            when v.value < 1.5 then 'gemiddeld'
            when v.value < 4.0 then 'krap'
            else 'zeer krap'
        end as label,
        v.change_prev_quarter,
        case sign(v.change_prev_quarter) when 1 then 'up' when -1 then 'down' when 0 then 'equal'
        end as direction_prev_quarter,
        v.change_prev_year,
        case sign(v.change_prev_year) when 1 then 'up' when -1 then 'down' when 0 then 'equal'
        end as direction_prev_year,
        getvariable('classification_year')::integer as classification_year,
        c.source
    from with_changes v
    join regions r using (region_code)
    join catalog c on c.id = v.indicator
)

select * from final
