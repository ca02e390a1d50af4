-- benefit_counts: stocks and flows derived from the spell dates of each register.
-- grain: region_code x indicator. Each register delivery is staged as its spell counts per
-- gemeente x scheme (schemas/sql/spell_counts.sql, counted with the run's quarter while it was
-- validated): running = started on or before the last day and not ended by it; inflow =
-- started in the quarter; outflow = ended in the quarter; short = running and started less
-- than six months before the last day of the quarter.
with spell_counts as (
    select 'ww' as register, * from stg_ww
    union all by name
    select 'bijstand' as register, * from stg_bijstand
    union all by name
    select 'wajong' as register, * from stg_wajong
    union all by name
    select 'wia_wao' as register, * from stg_wia_wao
    union all by name
    select 'job_seekers' as register, * from stg_job_seekers
),

membership as (
    select * from region_membership
),

by_gemeente as (
    select
        gemeente_code,
        coalesce(sum(running) filter (where register = 'ww'), 0) as ww_current,
        coalesce(sum(started) filter (where register = 'ww'), 0) as ww_inflow,
        coalesce(sum(ended) filter (where register = 'ww'), 0) as ww_outflow,
        coalesce(sum(running_short) filter (where register = 'ww'), 0) as ww_short_duration,
        coalesce(sum(running) filter (where register = 'bijstand'), 0) as bijstand,
        coalesce(sum(running) filter (where register = 'wajong'), 0) as wajong,
        coalesce(sum(running) filter (where register = 'wia_wao'), 0) as wia_wao,
        coalesce(sum(running) filter (where scheme = 'met_dienstverband'), 0)
            as job_seekers_with_job,
        coalesce(sum(running) filter (where scheme = 'zonder_dienstverband'), 0)
            as job_seekers_without_job
    from spell_counts
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
