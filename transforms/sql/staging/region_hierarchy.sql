-- region_hierarchy: every region code with its name, level, classification year and the
-- codes of the regions above it, so an analyst can roll up in SQL. grain: region_code.
-- Arbeidsmarktregio's can cross province borders: their provincie_code is set only where all
-- their gemeenten lie in one province (provincie_codes lists them all).
with reference as (
    select * from region_reference
),

gemeenten as (
    select gemeente_code as region_code, gemeente_name as region_name, 'gemeente' as region_level,
           arbeidsmarktregio_code, corop_code, provincie_code, [provincie_code] as provincie_codes,
           1 as gemeenten
    from reference
),

arbeidsmarktregios as (
    select arbeidsmarktregio_code, any_value(arbeidsmarktregio_name), 'arbeidsmarktregio', null,
           null, case when count(distinct provincie_code) = 1 then any_value(provincie_code) end,
           list(distinct provincie_code order by provincie_code), count(*)
    from reference group by arbeidsmarktregio_code
),

corops as (
    select corop_code, any_value(corop_name), 'corop', null, null, any_value(provincie_code),
           [any_value(provincie_code)], count(*)
    from reference group by corop_code
),

provincies as (
    select provincie_code, any_value(provincie_name), 'provincie', null, null, null,
           [provincie_code], count(*)
    from reference group by provincie_code
),

final as (
    select * from gemeenten
    union all select * from arbeidsmarktregios
    union all select * from corops
    union all select * from provincies
    union all
    select 'NL01', 'Nederland', 'land', null, null, null,
           list(distinct provincie_code order by provincie_code), count(*)
    from reference
)

select
    region_code, region_name, region_level,
    getvariable('classification_year')::integer as classification_year,
    arbeidsmarktregio_code, corop_code, provincie_code, provincie_codes,
    case when region_level = 'land' then null else 'NL01' end as land_code,
    gemeenten
from final
order by region_level, region_code
