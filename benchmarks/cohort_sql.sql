-- The proven reoffending cohort in SQL (DuckDB): the same definition as yosmodel.build_cohort,
-- written independently, for the benchmark in peers_cohort.py and the cross-check in
-- tests/python/test_cohort.py. Tables: disposals(person_id, date, kind, ...),
-- offences(person_id, offence_date, proven_date, counts). Parameters: $period_start,
-- $period_end (dates), $follow_up_months, $waiting_months.
WITH qualifying AS (
    SELECT person_id, CAST(date AS DATE) AS date
    FROM disposals
    WHERE person_id IS NOT NULL AND date IS NOT NULL
      AND kind IN ('custody_release', 'court_conviction', 'caution')
      AND CAST(date AS DATE) BETWEEN $period_start AND $period_end
),
cohort AS (
    SELECT person_id, min(date) AS index_date FROM qualifying GROUP BY person_id
),
ends AS (
    SELECT person_id, index_date,
           CAST(index_date + to_months($follow_up_months) AS DATE) AS follow_up_end,
           CAST(CAST(index_date + to_months($follow_up_months) AS DATE)
                + to_months($waiting_months) AS DATE) AS waiting_end
    FROM cohort
),
valid_offences AS (
    -- exact duplicate rows count once
    SELECT DISTINCT person_id, CAST(offence_date AS DATE) AS offence_date,
           CAST(proven_date AS DATE) AS proven_date, counts
    FROM offences
    WHERE person_id IS NOT NULL AND offence_date IS NOT NULL AND proven_date IS NOT NULL
      AND CAST(offence_date AS DATE) BETWEEN DATE '1900-01-01' AND DATE '2099-12-31'
      AND CAST(proven_date AS DATE) BETWEEN DATE '1900-01-01' AND DATE '2099-12-31'
      AND proven_date >= offence_date
),
counted AS (
    SELECT e.person_id,
           count(*) FILTER (WHERE o.counts AND o.offence_date > e.index_date
                            AND o.offence_date <= e.follow_up_end
                            AND o.proven_date <= e.waiting_end) AS reoffences,
           min(o.offence_date - e.index_date) FILTER (WHERE o.counts
                            AND o.offence_date > e.index_date
                            AND o.offence_date <= e.follow_up_end
                            AND o.proven_date <= e.waiting_end) AS days_to_first_reoffence,
           count(*) FILTER (WHERE o.counts AND o.proven_date < e.index_date) AS previous_offences
    FROM ends e JOIN valid_offences o ON o.person_id = e.person_id
    GROUP BY e.person_id
)
SELECT e.person_id, e.index_date, e.follow_up_end, e.waiting_end,
       coalesce(c.reoffences, 0) AS reoffences,
       c.days_to_first_reoffence,
       coalesce(c.previous_offences, 0) AS previous_offences
FROM ends e LEFT JOIN counted c ON c.person_id = e.person_id
ORDER BY e.person_id
