"""The SQL of the canned queries Datasette offers signed-in reviewers.

Each writes one verdict as an ``INSERT ... ON CONFLICT DO UPDATE`` rather than an
``UPDATE``: an UPDATE of a row that does not exist silently changes nothing, while
this insert fails on a NOT NULL column copied from the row, so a wrong id is refused.
``:_actor_id`` and ``:_now_datetime_utc`` are Datasette's magic parameters (the
signed-in actor, the time), which a request cannot forge. Their titles, descriptions
and permissions are the web configuration's (:mod:`tracker.web`).
"""

CANNED_QUERIES = {
    "set_claim_status": """
insert into claims (id, text, status, review_note, reviewed_by, reviewed_at, updated_at)
values (:claim_id, (select text from claims where id = :claim_id), :status,
        nullif(:note, ''), :_actor_id, :_now_datetime_utc, :_now_datetime_utc)
on conflict (id) do update set
  status = excluded.status, review_note = excluded.review_note,
  reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at,
  updated_at = excluded.updated_at
""",
    "set_evidence_stance": """
insert into evidence (id, claim_id, work_id, stance, review_note, reviewed_by, reviewed_at, updated_at)
values (:evidence_id,
        (select claim_id from evidence where id = :evidence_id),
        (select work_id from evidence where id = :evidence_id),
        :stance, nullif(:note, ''), :_actor_id, :_now_datetime_utc, :_now_datetime_utc)
on conflict (id) do update set
  stance = excluded.stance, review_note = excluded.review_note,
  reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at,
  updated_at = excluded.updated_at
""",
    "acknowledge_flag": """
insert into acknowledgements (claim_id, work_id, kind, note, acknowledged_by, acknowledged_at)
values (:claim_id, :work_id, (select integrity from works where id = :work_id),
        nullif(:note, ''), :_actor_id, :_now_datetime_utc)
on conflict (claim_id, work_id, kind) do update set note = excluded.note
""",
    "set_evidence_level": """
insert into works (id, fetch_status, evidence_level, study_design,
                   evidence_level_source, evidence_level_reason, reviewed_by, reviewed_at)
values (:work_id, (select fetch_status from works where id = :work_id),
        nullif(nullif(:level, ''), 'none'),
        coalesce(nullif(:design, ''), (select study_design from works where id = :work_id)),
        'reviewer', nullif(trim(:reason), ''), :_actor_id, :_now_datetime_utc)
on conflict (id) do update set
  evidence_level = excluded.evidence_level, study_design = excluded.study_design,
  evidence_level_reason = excluded.evidence_level_reason,
  evidence_level_source = excluded.evidence_level_source,
  reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at
""",
}
