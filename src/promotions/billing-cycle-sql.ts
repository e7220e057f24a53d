import { type SQL, sql } from 'drizzle-orm';

/**
 * SPEC §3 rule 2 in SQL, for a statement that must report an enrollment as GET shows it in
 * the same round trip: a subquery giving `cycle_start` and `cycle_end` of the cycle that
 * contains `at` (cycle 0 before the anchor). PostgreSQL's month arithmetic on a timestamp
 * clamps the day to the month's length and keeps the time of day, and each cycle is counted
 * from the anchor, never from the previous cycle — exactly `cycleAt` in billing-cycle.ts, the
 * reference model; a property test holds the two together.
 */
export function billingCycleSql(anchor: SQL, at: SQL): SQL {
  const a = sql`(${anchor} at time zone 'UTC')`;
  const t = sql`(${at} at time zone 'UTC')`;
  const startOf = (k: SQL) => sql`((${a} + make_interval(months => ${k})) at time zone 'UTC')`;
  return sql`(
    select ${startOf(sql`k.k`)} as cycle_start, ${startOf(sql`k.k + 1`)} as cycle_end
    from (
      select greatest(0, m.k0 - case when ${startOf(sql`m.k0`)} > ${at} then 1 else 0 end) as k
      from (
        select ((extract(year from ${t}) - extract(year from ${a})) * 12
                + extract(month from ${t}) - extract(month from ${a}))::int as k0
      ) m
    ) k
  )`;
}
