-- survey_sample: the EBB respondents as the survey estimator sees them.
-- grain: respondent x survey indicator (x breakdown category). y = counts in the numerator
-- (or in the total), x = counts in the denominator of a ratio. A breakdown by a category
-- either restricts the population (education level, labour position) or is a share of it
-- (LLO type, main reason: one row per category, the denominator spans them all). Rows where
-- both are 0 contribute nothing to estimate or variance and are left out. Regions are not
-- expanded here: the estimator sums per gemeente first and rolls those sums up.
-- Design: strata = period x COROP (the weights are calibrated to COROP totals), clusters =
-- households (addresses), or the respondent alone where no household id is delivered.
with respondents as (
    select
        e.*,
        case when getvariable('survey_cluster_by_household')
             then coalesce(e.household_id, e.respondent_id)
             else e.respondent_id end as cluster,
        e.period || ':' || g.corop_code as stratum,
        e.age between 15 and 74 as in_15_74,
        e.age between 25 and 64 as in_25_64,
        e.labour_position = 'werkzaam' as employed,
        e.labour_position = 'werkloos' as unemployed,
        e.llo_type <> 'geen' as learns
    from survey_input e
    join region_reference g using (gemeente_code)
),

variables as (
    select r.gemeente_code, r.stratum, r.cluster, r.weight, unnest(t.s)
    from respondents r
    cross join lateral (select unnest([
        {indicator: 'population_15_74', breakdown: null, category: null, kind: 'total',
         y: r.in_15_74, x: false},
        {indicator: 'employed', breakdown: null, category: null, kind: 'total',
         y: r.in_15_74 and r.employed, x: false},
        {indicator: 'unemployed', breakdown: null, category: null, kind: 'total',
         y: r.in_15_74 and r.unemployed, x: false},
        {indicator: 'labour_force', breakdown: null, category: null, kind: 'total',
         y: r.in_15_74 and (r.employed or r.unemployed), x: false},
        {indicator: 'unemployment_rate', breakdown: null, category: null, kind: 'ratio',
         y: r.in_15_74 and r.unemployed, x: r.in_15_74 and (r.employed or r.unemployed)},
        {indicator: 'net_participation', breakdown: null, category: null, kind: 'ratio',
         y: r.in_15_74 and r.employed, x: r.in_15_74},
        {indicator: 'gross_participation', breakdown: null, category: null, kind: 'ratio',
         y: r.in_15_74 and (r.employed or r.unemployed), x: r.in_15_74},
        {indicator: 'llo_participation_rate', breakdown: null, category: null, kind: 'ratio',
         y: r.in_25_64 and r.learns, x: r.in_25_64},
        {indicator: 'llo_participation_rate_employed', breakdown: null, category: null,
         kind: 'ratio', y: r.in_25_64 and r.employed and r.learns, x: r.in_25_64 and r.employed},
        {indicator: 'llo_formal_rate', breakdown: null, category: null, kind: 'ratio',
         y: r.in_25_64 and r.llo_type = 'formeel', x: r.in_25_64},
        {indicator: 'llo_non_formal_rate', breakdown: null, category: null, kind: 'ratio',
         y: r.in_25_64 and r.llo_type = 'niet_formeel', x: r.in_25_64},
        {indicator: 'llo_participation_rate_employed', breakdown: 'education_level',
         category: r.education_level, kind: 'ratio',
         y: r.in_25_64 and r.employed and r.learns, x: r.in_25_64 and r.employed},
        {indicator: 'llo_participation_rate', breakdown: 'labour_position',
         category: r.labour_position, kind: 'ratio', y: r.in_25_64 and r.learns, x: r.in_25_64},
        {indicator: 'llo_type_share', breakdown: 'llo_type', category: 'formeel', kind: 'ratio',
         y: r.in_25_64 and r.llo_type = 'formeel', x: r.in_25_64},
        {indicator: 'llo_type_share', breakdown: 'llo_type', category: 'niet_formeel', kind: 'ratio',
         y: r.in_25_64 and r.llo_type = 'niet_formeel', x: r.in_25_64},
        {indicator: 'llo_type_share', breakdown: 'llo_type', category: 'geen', kind: 'ratio',
         y: r.in_25_64 and r.llo_type = 'geen', x: r.in_25_64},
        {indicator: 'llo_reason_share', breakdown: 'llo_reason', category: 'huidig_werk',
         kind: 'ratio', y: r.in_25_64 and r.learns and coalesce(r.llo_reason, 'onbekend') = 'huidig_werk',
         x: r.in_25_64 and r.learns},
        {indicator: 'llo_reason_share', breakdown: 'llo_reason', category: 'toekomstig_werk',
         kind: 'ratio', y: r.in_25_64 and r.learns and coalesce(r.llo_reason, 'onbekend') = 'toekomstig_werk',
         x: r.in_25_64 and r.learns},
        {indicator: 'llo_reason_share', breakdown: 'llo_reason', category: 'veranderingen_werk',
         kind: 'ratio', y: r.in_25_64 and r.learns and coalesce(r.llo_reason, 'onbekend') = 'veranderingen_werk',
         x: r.in_25_64 and r.learns},
        {indicator: 'llo_reason_share', breakdown: 'llo_reason', category: 'onbekend',
         kind: 'ratio', y: r.in_25_64 and r.learns and coalesce(r.llo_reason, 'onbekend') = 'onbekend',
         x: r.in_25_64 and r.learns}
    ]) as s) t
),

final as (
    select gemeente_code, indicator, breakdown, category, kind, stratum, cluster, weight,
           y::integer as y, x::integer as x
    from variables
    where y or x
)

select * from final
