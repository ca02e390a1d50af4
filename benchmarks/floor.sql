-- The floor: the register and vacancy indicators of one quarter computed by one hand-written
-- DuckDB query straight over the raw CSV files, no validation, written with one COPY.
-- Parameters are substituted by bench.py: {raw}, {out}, {start}, {end}, {regions}.
copy (
    with spells as (
        select 'ww' as register, scheme, gemeente_code, start_date, end_date
        from read_csv('{raw}/registers/ww_*.csv', delim = ';', header = true)
        union all
        select 'bijstand', scheme, gemeente_code, start_date, end_date
        from read_csv('{raw}/registers/bijstand_*.csv', delim = ';', header = true)
        union all
        select 'wajong', scheme, gemeente_code, start_date, end_date
        from read_csv('{raw}/registers/wajong_*.csv', delim = ';', header = true)
        union all
        select 'wia_wao', scheme, gemeente_code, start_date, end_date
        from read_csv('{raw}/registers/wia_wao_*.csv', delim = ';', header = true)
        union all
        select 'job_seekers', scheme, gemeente_code, start_date, end_date
        from read_csv('{raw}/registers/job_seekers_*.csv', delim = ';', header = true)
    ),
    by_gemeente as (
        select gemeente_code,
            count(*) filter (where register = 'ww' and start_date <= date '{end}'
                             and (end_date is null or end_date > date '{end}')) as ww_current,
            count(*) filter (where register = 'ww' and start_date >= date '{start}'
                             and start_date <= date '{end}') as ww_inflow,
            count(*) filter (where register = 'ww' and end_date >= date '{start}'
                             and end_date <= date '{end}') as ww_outflow,
            count(*) filter (where register = 'ww' and start_date <= date '{end}'
                             and (end_date is null or end_date > date '{end}')
                             and start_date > date '{end}' - interval 6 month) as ww_short,
            count(*) filter (where register = 'bijstand' and (end_date is null or end_date > date '{end}')) as bijstand,
            count(*) filter (where register = 'wajong' and (end_date is null or end_date > date '{end}')) as wajong,
            count(*) filter (where register = 'wia_wao' and (end_date is null or end_date > date '{end}')) as wia_wao,
            count(*) filter (where scheme = 'met_dienstverband' and (end_date is null or end_date > date '{end}')) as js_with,
            count(*) filter (where scheme = 'zonder_dienstverband' and (end_date is null or end_date > date '{end}')) as js_without
        from spells group by gemeente_code
    ),
    vacancies as (
        select gemeente_code, sum(open_vacancies) as open_vacancies
        from read_csv('{raw}/vacancies/open_vacancies_*.csv', delim = ';', header = true)
        group by gemeente_code
    ),
    survey as (
        select gemeente_code,
               sum(weight) filter (where labour_position = 'werkzaam' and age between 15 and 74) as employed,
               sum(weight) filter (where labour_position = 'werkloos' and age between 15 and 74) as unemployed
        from read_csv('{raw}/ebb/ebb_*.csv', delim = ';', header = true)
        group by gemeente_code
    ),
    regions as (
        select gemeente_code, unnest([gemeente_code, arbeidsmarktregio_code, corop_code,
                                      provincie_code, 'NL01']) as region_code
        from read_csv('{regions}', header = true)
    ),
    rolled as (
        select r.region_code, sum(ww_current) as ww_current, sum(ww_inflow) as ww_inflow,
               sum(ww_outflow) as ww_outflow, sum(ww_short) as ww_short, sum(bijstand) as bijstand,
               sum(wajong) as wajong, sum(wia_wao) as wia_wao, sum(js_with) as js_with,
               sum(js_without) as js_without, sum(open_vacancies) as open_vacancies,
               sum(employed) as employed, sum(unemployed) as unemployed
        from regions r
        left join by_gemeente using (gemeente_code)
        left join vacancies using (gemeente_code)
        left join survey using (gemeente_code)
        group by r.region_code
    )
    select '{period}' as period, *, open_vacancies / nullif(ww_short, 0) as uwv_tension,
           100 * unemployed / nullif(employed + unemployed, 0) as unemployment_rate
    from rolled
) to '{out}' (format parquet, partition_by (period), overwrite_or_ignore)
