-- The regions with a headline figure in each quarter: the sheets there are to write (with
-- CBS tables landed, Nederland's sheets reach back as far as CBS's series).
select distinct period, region_code
from indicators
where period_type in ('quarter', 'rolling_4q') and list_contains($indicators, indicator)
order by period, region_code
