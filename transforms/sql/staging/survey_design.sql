-- survey_design: the number of sampled clusters (households) per stratum (period x COROP).
-- grain: stratum. Counted over the whole sample, not per region: a region is a domain, and a
-- stratum's clusters outside it still count (with zero contribution) in its variance.
with respondents as (
    select
        e.period || ':' || g.corop_code as stratum,
        case when getvariable('survey_cluster_by_household')
             then coalesce(e.household_id, e.respondent_id)
             else e.respondent_id end as cluster
    from survey_input e
    join region_reference g using (gemeente_code)
),

final as (
    select stratum, count(distinct cluster) as n_clusters
    from respondents
    group by stratum
)

select * from final
