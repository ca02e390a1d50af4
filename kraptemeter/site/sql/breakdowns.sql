-- The breakdowns a sheet shows: learning participation (LLO) by education and labour
-- position, the education split of new vacancies and the top five sectors and occupations.
-- LLO is a survey figure and follows the headline's rule (the marts' `recommended`): a
-- gemeente, COROP region or arbeidsmarktregio gets the four-quarter estimate where there is
-- one, otherwise (and every larger region) the quarter's.
with wanted as (
    select *,
        (indicator, breakdown) in (('llo_participation_rate_employed', 'education_level'),
                                   ('llo_participation_rate', 'labour_position')) as llo
    from indicator_breakdowns
    where period = $quarter
      and ($region is null or region_code in ($region, 'NL01'))
      and (indicator, breakdown) in (('llo_participation_rate_employed', 'education_level'),
                                     ('llo_participation_rate', 'labour_position'),
                                     ('new_vacancies_share', 'education_level'),
                                     ('open_vacancies', 'sbi_section'),
                                     ('new_vacancies', 'occupation_class'))
      and period_type in ('quarter', 'rolling_4q')
)

select region_code, indicator, breakdown, category, rank, value, status, source
from wanted
where llo or period_type = 'quarter'
qualify dense_rank() over (
    partition by region_code, indicator, breakdown
    order by case
        when llo and region_level in ('gemeente', 'corop', 'arbeidsmarktregio')
            then period_type <> 'rolling_4q'
        else period_type <> 'quarter'
    end
) = 1
order by region_code, indicator, breakdown, coalesce(rank, 0), category
