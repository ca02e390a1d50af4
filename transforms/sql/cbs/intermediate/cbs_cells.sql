-- cbs_cells: the newest published cells plus the arbeidsmarktregio totals rolled up from
-- gemeenten. grain: as cbs_latest.
select * from cbs_latest
union all by name
select * from cbs_rollup
