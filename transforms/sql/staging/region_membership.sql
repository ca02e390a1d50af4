-- region_membership: one row per gemeente and every region it belongs to (itself included).
-- grain: gemeente_code x region_code. Arbeidsmarktregio's cross province borders, so every
-- roll-up starts from gemeenten; a region's total is the sum over its member gemeenten.
with reference as (
    select * from region_reference
),

levels as (
    select gemeente_code, gemeente_code as region_code, gemeente_name as region_name,
           'gemeente' as region_level from reference
    union all
    select gemeente_code, arbeidsmarktregio_code, arbeidsmarktregio_name, 'arbeidsmarktregio'
    from reference
    union all
    select gemeente_code, corop_code, corop_name, 'corop' from reference
    union all
    select gemeente_code, provincie_code, provincie_name, 'provincie' from reference
    union all
    select gemeente_code, 'NL01', 'Nederland', 'land' from reference
),

final as (
    select * from levels
)

select * from final
