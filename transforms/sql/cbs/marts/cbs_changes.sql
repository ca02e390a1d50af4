-- cbs_changes: the CBS indicators with their change on the previous quarter (or month) and
-- on a year earlier, from the same series. grain: region_code x period x indicator.
-- The columns are those of the indicators mart, NULL where they do not apply to a published
-- CBS figure (no survey interval, respondents or recommended variant; CBS's own regions).
with current_values as (
    select * from cbs_indicators
),

with_previous as (
    select
        *,
        case period_type
            when 'quarter' then
                case when right(period, 1) = '1'
                     then (left(period, 4)::integer - 1)::varchar || 'Q4'
                     else left(period, 5) || (right(period, 1)::integer - 1)::varchar end
            when 'month' then strftime(strptime(period || '-01', '%Y-%m-%d') - interval 1 month, '%Y-%m')
        end as previous_period,
        case period_type
            when 'year' then (period::integer - 1)::varchar
            else (left(period, 4)::integer - 1)::varchar || substr(period, 5)
        end as year_earlier_period
    from current_values
),

final as (
    select
        c.region_code, c.region_name, c.region_level, c.period, c.period_type, c.indicator,
        c.value, c.unit,
        null::double as ci_low,
        null::double as ci_high,
        null::bigint as respondents,
        'ok' as status,  -- suppressed and empty cells are not published as figures
        null::varchar as label,
        c.value - p.value as change_prev_quarter,
        case sign(c.value - p.value) when 1 then 'up' when -1 then 'down' when 0 then 'equal'
        end as direction_prev_quarter,
        null::boolean as change_significant_prev_quarter,  -- CBS publishes no interval here
        c.value - y.value as change_prev_year,
        case sign(c.value - y.value) when 1 then 'up' when -1 then 'down' when 0 then 'equal'
        end as direction_prev_year,
        null::boolean as change_significant_prev_year,
        c.classification_year,
        c.source,
        null::boolean as recommended
    from with_previous c
    left join current_values p
        on p.region_code = c.region_code and p.indicator = c.indicator
        and p.period = c.previous_period
    left join current_values y
        on y.region_code = c.region_code and y.indicator = c.indicator
        and y.period = c.year_earlier_period
)

select * from final
