-- Labour-market tension of every arbeidsmarktregio in the quarter, with its class.
select region_code, value, label, source
from indicators
where indicator = 'uwv_tension' and region_level = 'arbeidsmarktregio'
  and period = $quarter and period_type = 'quarter'
order by value desc nulls last, region_code
