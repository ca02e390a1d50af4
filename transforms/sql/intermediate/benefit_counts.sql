-- benefit_counts: stocks and flows derived from the spell dates of each register.
-- grain: region_code x indicator. Reference dates come from the run's quarter:
-- running = started on or before the last day and not ended by it; inflow = started in the
-- quarter; outflow = ended in the quarter; short = running and started less than six months
-- before the last day of the quarter.
with spells as (
    select 'ww' as register, scheme, gemeente_code, start_date, end_date from stg_ww
    union all
    select 'bijstand', scheme, gemeente_code, start_date, end_date from stg_bijstand
    union all
    select 'wajong', scheme, gemeente_code, start_date, end_date from stg_wajong
    union all
    select 'wia_wao', scheme, gemeente_code, start_date, end_date from stg_wia_wao
    union all
    select 'job_seekers', scheme, gemeente_code, start_date, end_date from stg_job_seekers
),

membership as (
    select * from region_membership
),

flagged as (
    select
        register,
        scheme,
        gemeente_code,
        start_date <= getvariable('period_end')
            and (end_date is null or end_date > getvariable('period_end')) as running,
        start_date between getvariable('period_start') and getvariable('period_end') as started,
        coalesce(end_date between getvariable('period_start') and getvariable('period_end'), false)
            as ended,
        start_date > getvariable('period_end') - interval 6 month as recent
    from spells
),

by_gemeente as (
    select
        gemeente_code,
        count(*) filter (where register = 'ww' and running) as ww_current,
        count(*) filter (where register = 'ww' and started) as ww_inflow,
        count(*) filter (where register = 'ww' and ended) as ww_outflow,
        count(*) filter (where register = 'ww' and running and recent) as ww_short_duration,
        count(*) filter (where register = 'bijstand' and running) as bijstand,
        count(*) filter (where register = 'wajong' and running) as wajong,
        count(*) filter (where register = 'wia_wao' and running) as wia_wao,
        count(*) filter (where scheme = 'met_dienstverband' and running) as job_seekers_with_job,
        count(*) filter (where scheme = 'zonder_dienstverband' and running)
            as job_seekers_without_job
    from flagged
    group by gemeente_code
),

by_region as (
    select
        m.region_code,
        sum(ww_current) as ww_current,
        sum(ww_inflow) as ww_inflow,
        sum(ww_outflow) as ww_outflow,
        sum(ww_short_duration) as ww_short_duration,
        sum(bijstand) as bijstand,
        sum(wajong) as wajong,
        sum(wia_wao) as wia_wao,
        sum(job_seekers_with_job) as job_seekers_with_job,
        sum(job_seekers_without_job) as job_seekers_without_job
    from by_gemeente g join membership m using (gemeente_code)
    group by m.region_code
),

final as (
    unpivot by_region
    on ww_current, ww_inflow, ww_outflow, ww_short_duration, bijstand, wajong, wia_wao,
       job_seekers_with_job, job_seekers_without_job
    into name indicator value value
)

select region_code, indicator, value::double as value from final
