"""What each open check's screening waits for (`screening.Waiting`), computed by the database.

The task list needs three numbers per check, not the records: loading every decision and
screening it in Python (literature.screening) costs tens of milliseconds per page for an adviser
with many open checks. This query applies the same rules (see literature.screening) in SQL, on
both engines, and returns one row per check; tests compare it with the Python rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from literature import screening
from literature.tables import ScreeningDecision

# {chk}: (id, effective blindness, number of assigned screeners) per check; {assigned}: the
# (check, screener) pairs; {actor}: the caller: bound parameters, CAST because PostgreSQL cannot
# type a bare parameter inside VALUES. {ids}: the check ids as integer literals, which let the
# planner use the indexes on the decisions' and imports' check.
_QUERY = """
WITH chk(id, blind, n) AS (VALUES {chk}),
assigned(chk, screener) AS (VALUES {assigned}),
ranked AS (
  SELECT d."check" AS chk, d.reference AS ref, d.stage AS stage, d.screener AS screener,
    d.reconciled AS reconciled, d.decision AS decision,
    ROW_NUMBER() OVER (PARTITION BY d."check", d.reference, d.stage, d.screener, d.reconciled
                       ORDER BY d.created_at DESC, d.id DESC) AS per_screener,
    ROW_NUMBER() OVER (PARTITION BY d."check", d.reference, d.stage, d.reconciled
                       ORDER BY d.created_at DESC, d.id DESC) AS newest
  FROM literature_screening d WHERE d."check" IN ({ids})
),
item AS (
  SELECT r.chk, r.ref, r.stage,
    MAX(CASE WHEN r.reconciled AND r.newest = 1 THEN r.decision END) AS rec,
    MAX(CASE WHEN NOT r.reconciled AND r.newest = 1 THEN r.decision END) AS latest,
    SUM(CASE WHEN a.chk IS NOT NULL THEN 1 ELSE 0 END) AS decided,
    MAX(CASE WHEN a.chk IS NOT NULL AND r.decision = 'include' THEN 1 ELSE 0 END) AS inc,
    MAX(CASE WHEN a.chk IS NOT NULL AND r.decision = 'exclude' THEN 1 ELSE 0 END) AS exc,
    MAX(CASE WHEN a.chk IS NOT NULL AND r.decision = 'uncertain' THEN 1 ELSE 0 END) AS unc,
    MAX(CASE WHEN a.chk IS NOT NULL AND r.screener = {actor} THEN 1 ELSE 0 END) AS by_actor
  FROM ranked r
  LEFT JOIN assigned a
    ON a.chk = r.chk AND a.screener = r.screener AND NOT r.reconciled AND r.per_screener = 1
  GROUP BY r.chk, r.ref, r.stage
),
state AS (
  SELECT i.chk, i.ref, i.stage,
    CASE
      WHEN i.rec IS NOT NULL THEN
        CASE WHEN i.stage <> 'title' AND i.rec = 'uncertain' THEN 'pending_u' ELSE i.rec END
      WHEN c.blind = 1 THEN
        CASE
          WHEN i.decided = 0 THEN 'pending'
          WHEN i.decided < c.n THEN CASE WHEN i.by_actor = 1 THEN 'pending_d' ELSE 'pending' END
          WHEN i.stage = 'title' THEN
            CASE WHEN i.exc = 0 THEN CASE WHEN i.unc = 1 THEN 'uncertain' ELSE 'include' END
                 WHEN i.inc = 0 AND i.unc = 0 THEN 'exclude' ELSE 'conflict' END
          WHEN i.inc + i.exc + i.unc > 1 THEN 'conflict'
          WHEN i.unc = 1 THEN 'pending_u'
          WHEN i.inc = 1 THEN 'include' ELSE 'exclude'
        END
      WHEN i.stage <> 'title' AND i.latest = 'uncertain' THEN 'pending_u'
      ELSE i.latest
    END AS state
  FROM item i JOIN chk c ON c.id = i.chk
),
check_record AS (
  SELECT i."check" AS chk, s.reference AS ref
  FROM literature_reference_source s
  JOIN literature_import i ON i.id = s.literature_import
  WHERE i."check" IN ({ids}) AND i.status = 'done'
),
per_ref AS (
  SELECT chk, ref, MAX(title) AS title, MAX(fulltext) AS fulltext, MAX(is_record) AS is_record
  FROM (
    SELECT chk, ref, CASE WHEN stage = 'title' THEN state END AS title,
      CASE WHEN stage = 'title' THEN NULL ELSE state END AS fulltext, 0 AS is_record FROM state
    UNION ALL
    SELECT chk, ref, NULL, NULL, 1 FROM check_record
  ) x
  GROUP BY chk, ref
),
effective AS (
  -- A record nobody has screened waits at the title stage; one sent on waits at full text.
  SELECT chk, is_record,
    COALESCE(title, CASE WHEN is_record = 1 THEN 'pending' END) AS t,
    COALESCE(fulltext, CASE WHEN is_record = 1 AND title IN ('include', 'uncertain')
                       THEN 'pending' END) AS f
  FROM per_ref
)
SELECT c.id AS chk, SUM(e.is_record) AS records,
  SUM({open_t} + {open_f}) AS open,
  SUM({conflict_t} + {conflict_f}) AS conflicts,
  SUM({mine_t} + {mine_f}) AS mine
FROM chk c LEFT JOIN effective e ON e.chk = c.id
GROUP BY c.id
"""


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


_SUMS = {
    f"{what}_{col}": _flag(condition.format(s=f"e.{col}"))
    for col in ("t", "f")
    for what, condition in (
        ("open", "{s} IN ('pending', 'pending_d', 'pending_u')"),
        ("conflict", "{s} = 'conflict'"),
        # Blind: a record waits for a screener until they have decided it (pending_d) and
        # while it is not left uncertain (pending_u); otherwise any pending record waits.
        ("mine", "{s} = 'pending' OR (c.blind = 0 AND {s} IN ('pending_d', 'pending_u'))"),
    )
}


def _values(rows: Sequence[Sequence[int]], args: list[int]) -> str:
    args.extend(v for row in rows for v in row)
    one = "(" + ", ".join(["CAST({} AS INTEGER)"] * len(rows[0])) + ")"
    return ", ".join([one] * len(rows))


async def waiting_of(
    checks: Mapping[int, tuple[bool, Sequence[int]]], actor: int
) -> dict[int, tuple[screening.Waiting, int]]:
    """{check id: (what waits for `actor`, the number of unique records)} for checks given as
    {id: (blind as set on the check, assigned screener ids)}; one statement."""
    if not checks:
        return {}
    ids = [int(cid) for cid in checks]  # inlined: a literal list lets the planner use the index
    args: list[int] = []
    rows = [
        (cid, int(bool(blind) and len(screeners) >= 2), len(screeners))
        for cid, (blind, screeners) in checks.items()
    ]
    chk = _values(rows, args)
    # A pair that matches no check keeps VALUES non-empty when no check has screeners.
    pairs = [(cid, s) for cid, (_, screeners) in checks.items() for s in screeners] or [(-1, -1)]
    assigned = _values(pairs, args)
    args.append(actor)
    sql = _QUERY.format(
        chk=chk,
        assigned=assigned,
        actor="CAST({} AS INTEGER)",
        ids=", ".join(map(str, ids)),
        **_SUMS,
    )
    found = await ScreeningDecision.raw(sql, *args)
    return {
        int(r["chk"]): (
            screening.Waiting(
                mine=int(r["mine"] or 0),
                open=int(r["open"] or 0),
                conflicts=int(r["conflicts"] or 0),
            ),
            int(r["records"] or 0),
        )
        for r in found
    }


__all__ = ["waiting_of"]
