-- survey_estimates: weighted estimates with their 95% confidence interval.
-- grain: domain x indicator x breakdown x category.
-- Totals are sums of weights (Y = sum w y); rates are ratios of weighted sums (R = Y / X).
-- Variance by Taylor linearisation for a stratified cluster sample, clusters treated as drawn
-- with replacement within strata (ultimate-cluster approximation; no finite-population
-- correction, and the calibration of the weights is not credited, so intervals lean wide):
--   z_c = sum over the cluster's respondents of w (y - R x) / X   (for a total: w y)
--   V = sum_h n_h / (n_h - 1) * (sum_c z_c^2 - (sum_c z_c)^2 / n_h)
-- Clusters of a stratum outside the domain have z = 0 but count in n_h.
with sample as (
    select * from survey_sample
),

design as (
    select * from survey_design
),

point as (
    select
        domain, indicator, breakdown, category, kind,
        sum(weight * y) as numerator,
        sum(weight * x) as denominator,
        count(*) filter (where case kind when 'ratio' then x = 1 else y = 1 end) as respondents
    from sample
    group by all
),

cluster_scores as (
    select
        s.domain, s.indicator, s.breakdown, s.category, s.stratum, s.cluster,
        -- Scores are summed as decimals: exact, so the result does not depend on the order a
        -- parallel sum meets the rows in, and re-runs give byte-identical marts.
        sum(
            (case s.kind
                when 'ratio' then s.weight * (s.y - p.numerator / p.denominator * s.x)
                                  / p.denominator
                else s.weight * s.y
            end)::decimal(38, 18)
        ) as z
    from sample s
    join point p
        on p.domain = s.domain and p.indicator = s.indicator
        and p.breakdown is not distinct from s.breakdown
        and p.category is not distinct from s.category
    where s.kind = 'total' or p.denominator > 0
    group by all
),

strata as (
    select
        c.domain, c.indicator, c.breakdown, c.category, c.stratum,
        d.n_clusters / (d.n_clusters - 1)
            * (sum((c.z::double * c.z::double)::decimal(38, 18))::double
               - sum(c.z)::double * sum(c.z)::double / d.n_clusters)
            as variance
    from cluster_scores c
    join design d using (stratum)
    where d.n_clusters > 1
    group by c.domain, c.indicator, c.breakdown, c.category, c.stratum, d.n_clusters
),

variances as (
    select domain, indicator, breakdown, category,
           sum(variance::decimal(38, 18))::double as variance
    from strata
    group by all
),

final as (
    select
        p.domain, p.indicator, p.breakdown, p.category, p.kind, p.respondents,
        case p.kind when 'ratio' then 100 * p.numerator / nullif(p.denominator, 0)
                    else p.numerator end as estimate,
        case p.kind when 'ratio' then 100 else 1 end
            * sqrt(greatest(coalesce(v.variance, 0), 0)) as standard_error
    from point p
    left join variances v
        on v.domain = p.domain and v.indicator = p.indicator
        and v.breakdown is not distinct from p.breakdown
        and v.category is not distinct from p.category
)

select
    *,
    estimate - 1.959964 * standard_error as ci_low,
    estimate + 1.959964 * standard_error as ci_high
from final
