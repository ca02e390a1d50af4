-- survey_estimates: weighted estimates with their 95% confidence interval.
-- grain: domain x indicator x breakdown x category.
-- Totals are sums of weights (Y = sum w y); rates are ratios of weighted sums (R = Y / X).
-- Variance by Taylor linearisation for a stratified cluster sample, clusters treated as drawn
-- with replacement within strata (ultimate-cluster approximation; no finite-population
-- correction, and the calibration of the weights is not credited, so intervals lean wide):
--   z_c = sum over the cluster's respondents of w (y - R x) / X   (for a total: w y)
--   V = sum_h n_h / (n_h - 1) * (sum_c z_c^2 - (sum_c z_c)^2 / n_h)
-- Clusters of a stratum outside the domain have z = 0 but count in n_h.
--
-- With a_c = sum w y and b_c = sum w x of a cluster, z_c = (a_c - R b_c) / X, so
--   sum_c z_c   = (S_a - R S_b) / X
--   sum_c z_c^2 = (S_aa - 2 R S_ab + R^2 S_bb) / X^2
-- and a domain needs only the sums S_a, S_b, S_aa, S_ab, S_bb of its clusters per stratum.
-- A household lives in one gemeente and regions are unions of gemeenten, so these sums are
-- taken per gemeente once and added up per region: the respondents are never expanded to
-- the five region levels. The sums are exact decimals, so the result does not depend on the
-- order a parallel sum meets the rows in, and re-runs give byte-identical marts.
with sample as (
    select * from survey_sample
),

design as (
    select * from survey_design
),

clusters as (
    select
        gemeente_code, indicator, breakdown, category, kind, stratum, cluster,
        sum(weight * y) as a,
        sum(weight * x) as b,
        count(*) filter (where case kind when 'ratio' then x = 1 else y = 1 end) as respondents
    from sample
    group by all
),

gemeente_sums as (
    select
        gemeente_code, indicator, breakdown, category, kind, stratum,
        sum(a) as s_a,
        sum(b) as s_b,
        sum(a * a) as s_aa,
        sum(a * b) as s_ab,
        sum(b * b) as s_bb,
        sum(respondents) as respondents
    from clusters
    group by all
),

strata as (
    select
        m.region_code as domain, g.indicator, g.breakdown, g.category, g.kind, g.stratum,
        sum(g.s_a) as s_a,
        sum(g.s_b) as s_b,
        sum(g.s_aa) as s_aa,
        sum(g.s_ab) as s_ab,
        sum(g.s_bb) as s_bb,
        sum(g.respondents) as respondents
    from gemeente_sums g
    join region_membership m using (gemeente_code)
    group by all
),

point as (
    select
        domain, indicator, breakdown, category, kind,
        sum(s_a)::double as numerator,
        sum(s_b)::double as denominator,
        sum(s_a)::double / nullif(sum(s_b)::double, 0) as ratio,
        sum(respondents) as respondents
    from strata
    group by all
),

stratum_variances as (
    select
        s.domain, s.indicator, s.breakdown, s.category,
        case s.kind
            when 'ratio' then
                ((s.s_aa::double - 2 * p.ratio * s.s_ab::double
                  + p.ratio * p.ratio * s.s_bb::double)
                 - (s.s_a::double - p.ratio * s.s_b::double) ** 2 / d.n_clusters)
                / (p.denominator * p.denominator)
            else s.s_aa::double - s.s_a::double ** 2 / d.n_clusters
        end * d.n_clusters / (d.n_clusters - 1) as variance
    from strata s
    join point p
        on p.domain = s.domain and p.indicator = s.indicator
        and p.breakdown is not distinct from s.breakdown
        and p.category is not distinct from s.category
    join design d using (stratum)
    where d.n_clusters > 1 and (s.kind = 'total' or p.denominator > 0)
),

variances as (
    -- summed as decimals, exact in any order (byte-identical re-runs)
    select domain, indicator, breakdown, category,
           sum(variance::decimal(38, 18))::double as variance
    from stratum_variances
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
