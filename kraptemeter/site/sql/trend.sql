-- The last eight quarters of the trend indicators: the same figure the headline shows (the
-- dashboards' view, recommended for the region's level), so the line ends in the sheet's
-- number.
select region_code, indicator, period, value, source
from indicators
where recommended and period_type in ('quarter', 'rolling_4q')
  and list_contains($indicators, indicator) and list_contains($quarters, period)
  and ($region is null or region_code = $region)
qualify row_number() over (
    partition by region_code, indicator, period order by period_type = 'rolling_4q' desc
) = 1
order by region_code, indicator, period
