-- The regions with key figures in each quarter: the sheets there are to write.
select distinct period, region_code from key_figures order by period, region_code
