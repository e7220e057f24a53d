// CONTRACT §11.4: the console's enrollment page pages its events 25 at a time, as it pages its
// usage ledger: the "next" link of the events carries an event-log cursor (evt_ ids).
import { beforeAll, describe, expect, it } from 'vitest';
import type { PartnerFixture } from '../helpers/app.js';
import { useTestApp } from '../helpers/app.js';
import { meteringFor } from '../metering/helpers.js';
import { signedIn } from './console-helpers.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
let partner: PartnerFixture;
beforeAll(async () => {
  partner = await ctx.fixtures.partner();
});
const m = meteringFor(ctx, () => partner);

/** The cells of the first column (the instant) of each body row of the events table. */
const eventRows = (body: string) =>
  [
    ...(/<section id="enrollment-events"[^>]*>([\s\S]*?)<\/section>/.exec(body)?.[1] ?? '').matchAll(
      /<tr><td[\s\S]*?<\/tr>/g,
    ),
  ].map((row) => row[0]);

describe('console: an enrollment page', () => {
  it('pages its events 25 at a time through the next link, then shows the rest', async () => {
    const promotion = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: null });
    const a = await m.account([promotion]);
    const enrollmentId = a.enrollments[0]!;
    // enrollment.created, then 27 usage.recorded: 28 events.
    for (let i = 0; i < 27; i++) {
      const res = await m.usage(enrollmentId, { tasks: 1 });
      expect(res.statusCode).toBe(200);
    }
    const viewer = await signedIn(ctx, 'viewer');
    const first = await viewer.get(`/console/enrollments/${encodeURIComponent(enrollmentId)}`);
    expect(first.statusCode).toBe(200);
    expect(eventRows(first.body)).toHaveLength(25);
    const next = /<section id="enrollment-events"[^>]*>[\s\S]*?<a href="([^"]+)" rel="next"/
      .exec(first.body)![1]!
      .replaceAll('&amp;', '&');
    expect(next).toMatch(
      new RegExp(`^/console/enrollments/${encodeURIComponent(enrollmentId)}\\?events_cursor=`),
    );
    const second = await viewer.get(next);
    expect(second.statusCode).toBe(200);
    const rest = eventRows(second.body);
    expect(rest).toHaveLength(3);
    expect(second.body).toContain('← First page');
  });
});
