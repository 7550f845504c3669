-- Rows that make a funnel inconsistent as of snapshot $version (members of the selected clusters, every survey answer and sponsorship): funnel, problem, group, row id, stage, offending value and counts, the member's cluster.
-- access: member
WITH m AS (
    -- Only members with a comptoir or a stage can break the comptoir funnel (every check below
    -- needs one): the CTE, read five times, holds those rows only, not every member.
    SELECT member_id, cluster_id, size_class, comptoir_id, comptoir_stage
    FROM lake.members AT (VERSION => $version)
    WHERE list_contains($clusters, cluster_id)
      AND (comptoir_id IS NOT NULL OR comptoir_stage IS NOT NULL)
),
k AS (
    SELECT comptoir_id, cluster_id
    FROM lake.comptoirs AT (VERSION => $version)
),
r AS (
    SELECT
        survey_id || ' / ' || question_id AS question_key,
        survey_id || ' / ' || question_id || ' / ' || answer AS answer_key,
        respondents,
        base,
        sum(respondents) OVER q AS answered,
        max(base) OVER q AS max_base,
        min(base) OVER q AS min_base
    FROM lake.survey_results AT (VERSION => $version)
    WINDOW q AS (PARTITION BY survey_id, question_id)
),
p AS (
    SELECT sponsorship_id, year, stage, review_days
    FROM lake.sponsorships AT (VERSION => $version)
),
problems AS (
    -- A firm in the programme that is not an SME: it counts in the stages, not in the SME base.
    SELECT 'comptoir' AS funnel, 'stage_not_sme' AS problem, cluster_id AS group_id,
           member_id AS row_id, comptoir_stage AS stage, size_class AS value,
           NULL::BIGINT AS n, NULL::BIGINT AS base
    FROM m
    WHERE comptoir_stage IS NOT NULL AND size_class NOT IN ('micro', 'sme')
    UNION ALL
    SELECT 'comptoir', 'stage_without_comptoir', cluster_id, member_id, comptoir_stage, NULL,
           NULL, NULL
    FROM m
    WHERE comptoir_stage IS NOT NULL AND comptoir_id IS NULL
    UNION ALL
    SELECT 'comptoir', 'comptoir_without_stage', cluster_id, member_id, NULL, comptoir_id,
           NULL, NULL
    FROM m
    WHERE comptoir_id IS NOT NULL AND comptoir_stage IS NULL
    UNION ALL
    SELECT 'comptoir', 'unknown_comptoir', m.cluster_id, m.member_id, m.comptoir_stage,
           m.comptoir_id, NULL, NULL
    FROM m
    LEFT JOIN k ON k.comptoir_id = m.comptoir_id
    WHERE m.comptoir_id IS NOT NULL AND k.comptoir_id IS NULL
    UNION ALL
    SELECT 'comptoir', 'comptoir_of_other_cluster', m.cluster_id, m.member_id, m.comptoir_stage,
           m.comptoir_id, NULL, NULL
    FROM m
    JOIN k ON k.comptoir_id = m.comptoir_id
    WHERE k.cluster_id <> m.cluster_id
    UNION ALL
    -- A survey answer given by more firms than were asked.
    SELECT 'survey', 'respondents_over_base', question_key, answer_key, NULL, NULL,
           respondents, base
    FROM r
    WHERE respondents > base
    UNION ALL
    -- The answers of one question add up to more than its base.
    SELECT 'survey', 'answers_over_base', question_key, answer_key, NULL, NULL, answered,
           max_base
    FROM r
    WHERE answered > max_base
    UNION ALL
    -- The answers of one question do not share one base: the denominator is ambiguous.
    SELECT 'survey', 'base_differs', question_key, answer_key, NULL, NULL, respondents, base
    FROM r
    WHERE min_base <> max_base
    UNION ALL
    -- A review time on a request that was never reviewed.
    SELECT 'portage', 'review_before_reviewed', CAST(year AS VARCHAR), sponsorship_id, stage,
           NULL, review_days, NULL
    FROM p
    WHERE review_days IS NOT NULL AND stage IN ('requested', 'endorsed')
)
-- cluster_id: the member's cluster on a comptoir row (a member-level row), NULL otherwise.
SELECT *, CASE WHEN funnel = 'comptoir' THEN group_id END AS cluster_id
FROM problems
ORDER BY funnel, problem, group_id, row_id
