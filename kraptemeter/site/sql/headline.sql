-- The headline figures of the key-figure sheets of one quarter (every region, or one), each
-- beside Nederland's figure over the same period.
-- The figure is the dashboards' one per cell (the catalog view `indicators`: where a landed
-- CBS table publishes the cell, Nederland's and the provinces' figure is CBS's), the one
-- recommended for the region's level (a small region's survey figure: the estimate over the
-- four quarters ending with the sheet's quarter). Read from the view, not the key_figures
-- mart, so a warehouse of CBS tables alone has sheets too. A figure of the population on
-- 1 January (`$yearly`, period_type 'year') is that of the quarter's year.
-- Nederland's figure covers the same period as the region's: beside a gemeente's estimate
-- over four quarters, Nederland's over the same four quarters, not its single quarter.
with shown as (
    select *
    from indicators
    where recommended and list_contains($indicators, indicator)
      and ($region is null or region_code = $region)
      and ((period = $quarter and period_type in ('quarter', 'rolling_4q'))
           or (list_contains($yearly, indicator) and period_type = 'year' and period = $year))
    -- where a CBS quarter and the pipeline's rolling estimate are both recommended (a small
    -- region CBS publishes too), the level's rule: the rolling estimate
    qualify row_number() over (
        partition by region_code, indicator order by period_type = 'rolling_4q' desc
    ) = 1
)

select s.region_code, s.indicator, s.value, s.unit, s.label, s.status,
       s.change_prev_quarter, s.change_significant_prev_quarter, s.direction_prev_quarter,
       s.change_prev_year, s.change_significant_prev_year, s.direction_prev_year,
       s.period as value_period, s.period_type as value_period_type, s.source,
       n.value as national
from shown s
left join indicators n
    on n.region_code = 'NL01' and n.period = s.period
   and n.period_type = s.period_type and n.indicator = s.indicator
order by s.region_code, s.indicator
