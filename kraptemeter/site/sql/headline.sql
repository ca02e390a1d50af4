-- The headline rows of the key-figure sheets of one quarter (every region, or one), each
-- beside Nederland's figure for the same indicator.
select k.region_code, k.indicator, k.value, k.unit, k.label, k.status,
       k.change_prev_quarter, k.change_significant_prev_quarter, k.direction_prev_quarter,
       k.change_prev_year, k.change_significant_prev_year, k.direction_prev_year,
       k.value_period, k.value_period_type, k.source, n.value as national
from key_figures k
left join key_figures n
    on n.region_code = 'NL01' and n.period = k.period and n.indicator = k.indicator
where k.period = $quarter and ($region is null or k.region_code = $region)
order by k.region_code, k.position
