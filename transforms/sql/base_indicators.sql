-- base_indicators: the per-source indicators of the quarter in one long relation.
-- grain: region_code x indicator.
with final as (
    select * from labour_force
    union all
    select * from llo
    union all
    select * from vacancies
    union all
    select * from benefits
)

select * from final
