-- The headline rows of the key-figure sheets of one quarter (every region, or one), each
-- beside Nederland's figure for the same indicator.
-- Which rows and in which order come from key_figures (the figure recommended for the
-- region's level); the figure itself is the dashboards' one per cell, the catalog view
-- `indicators`: where a landed CBS table publishes the cell (Nederland, the provinces) that
-- view shows CBS's figure and so must the sheet, not the sample's or the pipeline's beside it
-- (key_figures is built per quarter from the deliveries alone and never holds a CBS figure).
-- Nederland's figure covers the same period as the region's: beside a gemeente's estimate
-- over four quarters, Nederland's over the same four quarters, not its single quarter.
select k.region_code, k.indicator, v.value, v.unit, v.label, v.status,
       v.change_prev_quarter, v.change_significant_prev_quarter, v.direction_prev_quarter,
       v.change_prev_year, v.change_significant_prev_year, v.direction_prev_year,
       k.value_period, k.value_period_type, v.source, n.value as national
from key_figures k
join indicators v
    on v.region_code = k.region_code and v.period = k.value_period
   and v.period_type = k.value_period_type and v.indicator = k.indicator
left join indicators n
    on n.region_code = 'NL01' and n.period = k.value_period
   and n.period_type = k.value_period_type and n.indicator = k.indicator
where k.period = $quarter and ($region is null or k.region_code = $region)
order by k.region_code, k.position
