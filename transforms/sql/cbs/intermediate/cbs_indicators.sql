-- cbs_indicators: the indicators real CBS and Eurostat tables allow, in the shape of the
-- indicators mart. grain: region_code x period x indicator (one table per cell: where two
-- tables publish the same figure, the table with the lower priority number wins).
-- Values keep the unit CBS published them in; monthly periods are kept as months here and
-- split off by the runner (only stocks at a quarter's last month also become a quarter).
with latest as (
    select * from cbs_cells
),

published as (
    -- labour force (85224NED, 80590ned): seasonally adjusted series get the suffix _sa
    select table_id, region_code, period_code,
           concept || case when json_extract_string(dims, '$.SeizoenEnWerkdagcorrectie')
                            = 'A050903' then '_sa' else '' end as indicator,
           value, unit
    from latest
    where table_id in ('85224NED', '80590ned') and concept not like 'not_in_labour_force%'
    union all
    -- open vacancies at quarter end, all sectors (83599NED, x 1 000)
    select table_id, region_code, period_code, concept, value, unit
    from latest
    where table_id = '83599NED'
      and json_extract_string(dims, '$.BedrijfstakkenBranchesSBI2008') = 'T001081'
    union all
    -- benefits (37789ksz, x 1 000 uitkeringen), WIA and WAO together as wia_wao
    select table_id, region_code, period_code,
           case when concept in ('wia', 'wao') then 'wia_wao' else concept end, sum(value),
           any_value(unit)
    from latest
    where table_id = '37789ksz'
    group by all
    union all
    -- a month's stock of benefits at its last day is also the stock at the end of its quarter
    select table_id, region_code,
           left(period_code, 4) || 'KW0' || (right(period_code, 2)::integer // 3)::varchar,
           case when concept in ('wia', 'wao') then 'wia_wao' else concept end, sum(value),
           any_value(unit)
    from latest
    where table_id = '37789ksz' and period_code similar to '[0-9]{4}MM(03|06|09|12)'
    group by all
    union all
    -- benefit recipients (70072ned, persons); WAO and WIA-WGA together
    select table_id, region_code, period_code,
           case when concept in ('wao_recipients', 'wga_recipients') then 'wia_wao_recipients'
                else concept end,
           sum(value), 'aantal'
    from latest
    where table_id = '70072ned' and concept like '%_recipients'
    group by all
    union all
    -- population on 1 January (70072ned; 03759ned total of all ages)
    select table_id, region_code, period_code, 'population', value, 'aantal'
    from latest
    where (table_id = '70072ned' and concept = 'population')
       or (table_id = '03759ned' and concept = 'population_by_age'
           and json_extract_string(dims, '$.Leeftijd') = '10000'
           and json_extract_string(dims, '$.Geslacht') = 'T001038'
           and json_extract_string(dims, '$.BurgerlijkeStaat') = 'T001019')
    union all
    -- unemployment rate per province (85268NED re-exports)
    select table_id, region_code, period_code, concept, value, unit
    from latest
    where table_id = '85268NED'
    union all
    -- lifelong learning 25-64, both sexes (Eurostat trng_lfse_04, NUTS-2 -> provinces)
    select table_id, region_code, period_code, concept, value, unit
    from latest
    where table_id = 'trng_lfse_04' and json_extract_string(dims, '$.sex') = 'T'
),

recomputed as (
    select table_id, region_code, period_code, indicator, value, unit from cbs_pressure
),

tension as (
    -- CBS spanning: open vacancies per 100 unemployed (both x 1 000, not seasonally adjusted)
    select 'cbs:83599NED+85224NED' as table_id, v.region_code, v.period_code,
           'vacancies_per_100_unemployed' as indicator, 100 * v.value / u.value as value,
           'per 100 unemployed' as unit
    from published v
    join published u
        on u.region_code = v.region_code and u.period_code = v.period_code
    where v.indicator = 'open_vacancies' and u.indicator = 'unemployed'
      and u.table_id = '85224NED' and u.value > 0
),

candidates as (
    select 'cbs:' || table_id as source, * exclude (table_id) from published
    union all
    select 'cbs:' || table_id, * exclude (table_id) from recomputed
    union all
    select table_id, * exclude (table_id) from tension
),

ranked as (
    select c.*, coalesce(p.priority, 5) as priority
    from candidates c
    left join cbs_table_priority p on 'cbs:' || p.table_id = c.source
    where c.value is not null
    qualify row_number() over (
        partition by c.region_code, c.period_code, c.indicator
        order by coalesce(p.priority, 5), c.source
    ) = 1
),

labelled as (
    select
        region_code,
        case
            when period_code like '%JJ00' then left(period_code, 4)
            when period_code like '%KW%' then left(period_code, 4) || 'Q' || right(period_code, 1)
            else left(period_code, 4) || '-' || right(period_code, 2)
        end as period,
        case
            when period_code like '%JJ00' then 'year'
            when period_code like '%KW%' then 'quarter'
            else 'month'
        end as period_type,
        indicator, value, unit, source
    from ranked
),

final as (
    select
        l.region_code,
        coalesce(n.region_name, r.region_name) as region_name,
        case left(l.region_code, 2)
            when 'NL' then 'land' when 'LD' then 'landsdeel' when 'PV' then 'provincie'
            when 'CR' then 'corop' when 'AM' then 'arbeidsmarktregio' when 'GM' then 'gemeente'
        end as region_level,
        l.period, l.period_type, l.indicator, l.value, l.unit,
        -- CBS publishes a year's figures on the regions of 1 January of that year (staging
        -- checked every cell's region against them); rolled-up totals use the same year
        left(l.period, 4)::integer as classification_year,
        case when l.region_code like 'AM%' and l.source = 'cbs:70072ned'
             then 'cbs:70072ned, rolled up from gemeenten' else l.source end as source
    from labelled l
    left join cbs_region_names n using (region_code)
    left join (select distinct region_code, region_name from regions) r using (region_code)
)

select * from final
