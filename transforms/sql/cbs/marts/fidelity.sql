-- fidelity: every figure CBS publishes that the pipeline can recompute from CBS's own inputs,
-- side by side. grain: check x table x source file x region x period (x dims).
-- outcome: 'exact' (recomputed, rounded half away from zero to CBS's decimals, equals the
-- published value), 'within_input_rounding' (the difference is no larger than the rounding of
-- the inputs can cause), or 'difference' (rounding cannot explain it).
with obs as (
    select * from cbs_observations where concept is not null
),

age_groups as (
    select
        table_id, source_file, region_code, period_code,
        sum(value) filter (where concept in ('age_0_4', 'age_5_9', 'age_10_14', 'age_15_19'))
            as young,
        sum(value) filter (where concept in ('age_20_24', 'age_25_44', 'age_45_64')) as working,
        sum(value) filter (where concept in ('age_65_79', 'age_80_plus')) as old,
        count(value) filter (where concept like 'age_%') as groups_present,
        max(value) filter (where concept = 'population') as population,
        max(value) filter (where concept = 'grey_pressure') as grey,
        max(value) filter (where concept = 'green_pressure') as green,
        max(value) filter (where concept = 'demographic_pressure') as demographic
    from obs
    where table_id = '70072ned'
    group by all
    having groups_present = 9 and working > 0
),

pressure as (
    select 'grey_pressure' as checked, table_id, source_file, region_code, period_code,
           '' as dims, 100 * old / working as recomputed, grey as published, 1 as decimals,
           0.0 as input_tolerance
    from age_groups where grey is not null
    union all
    select 'green_pressure', table_id, source_file, region_code, period_code, '',
           100 * young / working, green, 1, 0.0
    from age_groups where green is not null
    union all
    select 'demographic_pressure', table_id, source_file, region_code, period_code, '',
           100 * (young + old) / working, demographic, 1, 0.0
    from age_groups where demographic is not null
    union all
    select 'population = sum of age groups', table_id, source_file, region_code, period_code,
           '', young + working + old, population, 0, 0.0
    from age_groups where population is not null
),

published_grey as (
    select region_code, period_code, value
    from cbs_latest where table_id = '70072ned' and concept = 'grey_pressure'
),

single_year_pressure as (
    -- 03759ned's single years of age against 70072ned's published grey pressure
    select 'grey_pressure from 03759ned single years' as checked, p.table_id,
           '03759ned vs 70072ned' as source_file, p.region_code, p.period_code, '' as dims,
           p.value as recomputed, g.value as published, 1 as decimals, 0.0 as input_tolerance
    from cbs_pressure p
    join published_grey g using (region_code, period_code)
    where p.table_id = '03759ned' and p.indicator = 'grey_pressure' and g.value is not null
),

labour as (
    select
        table_id, source_file, region_code, period_code,
        json_extract_string(dims, '$.SeizoenEnWerkdagcorrectie') as adjustment,
        max(value) filter (where concept in ('labour_force', 'labour_force_sa')) as lf,
        max(value) filter (where concept in ('employed', 'employed_sa')) as employed,
        max(value) filter (where concept in ('unemployed', 'unemployed_sa')) as unemployed,
        max(value) filter (where concept like 'not_in_labour_force%') as outside,
        max(value) filter (where concept like 'unemployment_rate%') as rate,
        max(value) filter (where concept like 'net_participation%') as net,
        max(value) filter (where concept like 'gross_participation%') as gross
    from obs
    where table_id in ('85224NED', '80590ned')
    group by table_id, source_file, region_code, period_code, adjustment,
             -- 80590ned puts original and adjusted series in separate measures
             case when concept like '%_sa' then 'sa' else 'original' end
),

labour_checks as (
    -- inputs are published in thousands: each may be off by up to 0.5 (thousand)
    select 'unemployment_rate = unemployed / labour force' as checked, table_id, source_file,
           region_code, period_code, coalesce(adjustment, '') as dims,
           100 * unemployed / lf as recomputed, rate as published, 1 as decimals,
           100 * ((unemployed + 0.5) / (lf - 0.5) - unemployed / lf) as input_tolerance
    from labour where rate is not null and lf > 0
    union all
    select 'net_participation = employed / population 15-74', table_id, source_file,
           region_code, period_code, coalesce(adjustment, ''),
           100 * employed / (lf + outside), net, 1,
           100 * ((employed + 0.5) / (lf + outside - 1) - employed / (lf + outside))
    from labour where net is not null and outside is not null
    union all
    select 'gross_participation = labour force / population 15-74', table_id, source_file,
           region_code, period_code, coalesce(adjustment, ''),
           100 * lf / (lf + outside), gross, 1,
           100 * ((lf + 0.5) / (lf + outside - 1) - lf / (lf + outside))
    from labour where gross is not null and outside is not null
),

vacancies as (
    select
        table_id, source_file, period_code,
        json_extract_string(dims, '$.BedrijfstakkenBranchesSBI2008') as sector,
        max(value) filter (where region_code = 'NL01') as national,
        sum(value) filter (where region_code like 'PV%') as provinces,
        count(value) filter (where region_code like 'PV%') as provinces_present
    from obs
    -- the all-sector total, which the indicators use; CBS estimates sectors nationally and
    -- regionally apart, so sector rows need not add up (seen in 83599NED 2014-2015)
    where table_id = '83599NED'
      and json_extract_string(dims, '$.BedrijfstakkenBranchesSBI2008') = 'T001081'
    group by all
),

vacancy_checks as (
    -- each province is rounded to 0.1 thousand: twelve of them may add up to 12 x 0.05 off
    select 'open_vacancies Nederland = sum of provinces' as checked, table_id, source_file,
           'NL01' as region_code, period_code, sector as dims, provinces as recomputed,
           national as published, 1 as decimals, provinces_present * 0.05 as input_tolerance
    from vacancies where national is not null and provinces_present = 12
),

gemeente_sums as (
    -- a provincie's population against the sum of its gemeenten (CBS's own code list says
    -- which provincie each gemeente belonged to): a figure filed under the wrong region, or
    -- a gemeente missing or counted twice, shows here
    select 'population of a provincie = sum of its gemeenten' as checked, o.table_id,
           o.source_file, n.provincie_code as region_code, o.period_code, o.dims,
           sum(o.value) as recomputed, any_value(p.value) as published, 0 as decimals,
           0.0 as input_tolerance
    from obs o
    join cbs_region_names n on n.region_code = o.region_code and o.region_code like 'GM%'
    join obs p
        on p.table_id = o.table_id and p.source_file = o.source_file
        and p.region_code = n.provincie_code and p.period_code = o.period_code
        and p.concept = o.concept and p.dims = o.dims
    where o.concept in ('population', 'population_by_age') and p.value is not null
    group by o.table_id, o.source_file, n.provincie_code, o.period_code, o.concept, o.dims
    having count(o.value) = count(*)  -- every gemeente of the provincie has a figure
),

comparisons as (
    select * from pressure
    union all select * from gemeente_sums
    union all select * from single_year_pressure
    union all select * from labour_checks
    union all select * from vacancy_checks
),

final as (
    select
        *,
        case
            -- rounding half away from zero, as CBS does, on an exact decimal (each branch
            -- cast back: a CASE over decimals of different scales takes the smallest scale)
            when published::decimal(38, 10) = case decimals
                    when 0 then round(recomputed::decimal(38, 10), 0)::decimal(38, 10)
                    when 1 then round(recomputed::decimal(38, 10), 1)::decimal(38, 10)
                    when 2 then round(recomputed::decimal(38, 10), 2)::decimal(38, 10)
                end
                then 'exact'
            when abs(recomputed - published) <= input_tolerance + 0.5 * pow(10, -decimals) + 1e-9
                then 'within_input_rounding'
            else 'difference'
        end as outcome
    from comparisons
)

select * from final
