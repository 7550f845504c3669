-- Every survey answer as of snapshot $version, with its count, base and share of the base.
-- access: aggregate
SELECT
    survey_id,
    survey_name,
    year,
    question_id,
    question,
    answer,
    respondents,
    base,
    respondents / nullif(base, 0) AS share,
    source_id
FROM lake.survey_results AT (VERSION => $version)
ORDER BY survey_id, question_id, respondents ASC
