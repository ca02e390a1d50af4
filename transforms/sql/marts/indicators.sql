-- indicators: the long mart every dashboard reads. grain: region_code x period x indicator.
-- Quarterly indicators carry the run's quarter (survey indicators also as a rolling
-- four-quarter estimate, period_type 'rolling_4q'); pressure (population on 1 January) carries
-- the year. Survey values carry their 95% interval, respondents and publication status.
-- Changes compare with the values already published for the previous quarter and the same
-- quarter a year earlier (for annual figures: the previous year), in the indicator's unit.
-- A change is significant (worth an arrow) when, for a survey figure, it exceeds its 95%
-- margin: the two intervals' half-widths added in quadrature. That ignores the covariance of
-- overlapping rolling windows, which is positive, so it overstates the variance: a
-- conservative bound (fewer arrows, never a false one from it). For a register figure, when
-- it moves the figure by at least one unit of its shown decimals and at least 1%.
with current_values as (
    select * from indicator_values
),

previous as (
    select region_code, period, period_type, indicator, value, ci_low, ci_high
    from published_indicators
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
        v.value - y.value as change_prev_year,
        sqrt(pow((v.ci_high - v.ci_low) / 2, 2) + pow((q.ci_high - q.ci_low) / 2, 2))
            as margin_prev_quarter,
        sqrt(pow((v.ci_high - v.ci_low) / 2, 2) + pow((y.ci_high - y.ci_low) / 2, 2))
            as margin_prev_year,
        q.value as prev_quarter_value,
        y.value as prev_year_value
    from current_values v
    left join previous q
        on q.region_code = v.region_code and q.indicator = v.indicator
        and q.period = v.previous_period and q.period_type = v.period_type
    left join previous y
        on y.region_code = v.region_code and y.indicator = v.indicator
        and y.period = v.year_earlier_period and y.period_type = v.period_type
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
        v.ci_low,
        v.ci_high,
        v.respondents,
        v.status,
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
        case
            when v.change_prev_quarter is null then null
            when c.survey_based then abs(v.change_prev_quarter) > v.margin_prev_quarter
            else abs(v.change_prev_quarter)
                >= greatest(pow(10, -c.decimals), 0.01 * abs(v.prev_quarter_value))
        end as change_significant_prev_quarter,
        case
            when v.change_prev_year is null then null
            when c.survey_based then abs(v.change_prev_year) > v.margin_prev_year
            else abs(v.change_prev_year)
                >= greatest(pow(10, -c.decimals), 0.01 * abs(v.prev_year_value))
        end as change_significant_prev_year,
        getvariable('classification_year')::integer as classification_year,
        -- where the row comes from: `pipeline`, or `sample` when made from the shipped
        -- sample's deliveries (CBS rows say `cbs:<table>`)
        getvariable('figure_source') as source,
        -- The figure a dashboard should show: for survey indicators of small regions the
        -- rolling four-quarter estimate where there is one (as CBS publishes multi-period
        -- figures for them), otherwise the quarter.
        row_number() over (
            partition by v.region_code, v.indicator, v.period_type = 'year'
            order by case
                when c.survey_based and r.region_level in ('gemeente', 'arbeidsmarktregio', 'corop')
                    then v.period_type <> 'rolling_4q'
                else v.period_type <> 'quarter'
            end
        ) = 1 as recommended
    from with_changes v
    join regions r using (region_code)
    join catalog c on c.id = v.indicator
)

select * from final
