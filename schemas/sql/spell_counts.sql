-- spell_counts: a register delivery as the transforms read it, counted in the pass that
-- validates it (schemas/staged.py), so a register's rows are read once and never staged.
-- grain: gemeente_code x scheme. Reference dates are those of the delivery's quarter:
-- running = started on or before the last day and not ended by it; started = in the quarter;
-- ended = in the quarter; recent = started less than six months before the last day.
with spells as (
    select gemeente_code, scheme, start_date, end_date from accepted_rows
),

flagged as (
    select
        gemeente_code,
        scheme,
        start_date <= getvariable('period_end')
            and (end_date is null or end_date > getvariable('period_end')) as running,
        start_date between getvariable('period_start') and getvariable('period_end') as started,
        coalesce(end_date between getvariable('period_start') and getvariable('period_end'), false)
            as ended,
        start_date > getvariable('period_end')::date - interval 6 month as recent
    from spells
),

final as (
    select
        gemeente_code,                                      -- on the classification year
        scheme,
        count(*) as rows,                                   -- accepted rows (spells)
        count(*) filter (where running) as running,         -- running on the last day
        count(*) filter (where started) as started,         -- started in the quarter
        count(*) filter (where ended) as ended,             -- ended in the quarter
        count(*) filter (where running and recent) as running_short  -- running, < 6 months
    from flagged
    group by gemeente_code, scheme
)

select * from final
