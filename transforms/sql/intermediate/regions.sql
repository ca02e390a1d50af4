-- regions: one row per region code with its name and level (the mart's region dimension).
with membership as (
    select * from region_membership
),

final as (
    select distinct region_code, region_name, region_level
    from membership
)

select * from final
