-- cbs_latest: each published cell once, from the newest delivery of its table.
-- grain: table_id x region_code x period_code x concept x dims. Only cells with a concept
-- the indicators use; missing cells stay, with their status and a null value.
with observations as (
    select * from cbs_observations where concept is not null
),

final as (
    select *
    from observations
    qualify row_number() over (
        partition by table_id, region_code, period_code, concept, dims
        order by vintage desc, source_file desc
    ) = 1
)

select * from final
