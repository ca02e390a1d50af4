-- The last eight quarters of the trend indicators: the pipeline's recommended figure (the
-- rolling estimate for a small region's survey figure), never a CBS table's, so the line is
-- one series.
select region_code, indicator, period, value, source
from indicator_candidates
where source not like 'cbs:%' and recommended and period_type <> 'year'
  and list_contains($indicators, indicator) and list_contains($quarters, period)
  and ($region is null or region_code = $region)
order by region_code, indicator, period
