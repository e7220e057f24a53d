// CONTRACT §7 "Traces", on PostgreSQL (PGlite has no SQL instrumentation): with
// OTEL_EXPORTER_OTLP_ENDPOINT set, one trace runs from the HTTP request (continuing the caller's
// traceparent) through each SQL statement to the webhook delivery the request causes, which
// carries the trace on as `traceparent`; the spans reach a real OTLP/HTTP receiver. Without it,
// deliveries carry no traceparent and events store no trace context.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { type FakeServer, fakeServer } from '../clients/helpers.js';
import { bearer, createTestApp, type TestContext } from '../helpers/app.js';
import { assertNoViolations } from '../helpers/contract.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A real OTLP/HTTP receiver: every POST /v1/traces body, parsed (the exporter sends JSON). */
async function startOtlpReceiver() {
  const exports: OtlpExport[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        contentTypes.push(String(req.headers['content-type']));
        exports.push(JSON.parse(body) as OtlpExport);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports,
    contentTypes,
    spans: () => exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue));
};

/** A partner with a webhook endpoint on `hook`, and a user token of a new account. */
async function scenario(ctx: TestContext, hook: FakeServer) {
  const partner = await ctx.fixtures.partner();
  await ctx.fixtures.webhookEndpoint(partner.id, {
    url: `${hook.url}/hook`,
    event_types: ['enrollment.created'],
  });
  const promotion = await ctx.fixtures.promotion(partner.id);
  const account = await ctx.fixtures.account();
  return { promotion, token: await ctx.fixtures.userToken(partner.id, account.id) };
}

describe('tracing off (the default)', () => {
  let ctx: TestContext;
  let hook: FakeServer;
  beforeAll(async () => {
    hook = await fakeServer([{ status: 204 }]);
    ctx = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } });
  });
  afterAll(async () => {
    await ctx.app.close();
    await ctx.db.drop();
    await hook.close();
  });

  it('stores no trace context and sends no traceparent, even when the caller sent one', async () => {
    const { promotion, token } = await scenario(ctx, hook);
    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...bearer(token), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      payload: { promotion_id: promotion },
    });
    expect(enrolled.statusCode).toBe(201);
    const rows = await queryRows<{ trace_context: string | null }>(
      ctx.app.db,
      sql`select trace_context from events where type = 'enrollment.created'`,
    );
    expect(rows).toEqual([{ trace_context: null }]);
    expect((await ctx.app.webhookDispatcher.runOnce()).map((r) => r.outcome)).toEqual(['succeeded']);
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.headers.traceparent).toBeUndefined();
    assertNoViolations(ctx.violations.splice(0));
  });
});

describe('tracing on (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
  const CALLER_SPAN = '00f067aa0ba902b7';
  let ctx: TestContext;
  let hook: FakeServer;
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    hook = await fakeServer([{ status: 204 }]);
    ctx = await createTestApp({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
    });
  });
  afterAll(async () => {
    await ctx.db.drop();
    await hook.close();
    await otlp.close();
  });

  it('follows one enrollment from its request through its SQL to its webhook delivery, in one trace', async () => {
    const { promotion, token } = await scenario(ctx, hook);
    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...bearer(token), traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
      payload: { promotion_id: promotion },
    });
    expect(enrolled.statusCode).toBe(201);
    const [event] = await queryRows<{ trace_context: string }>(
      ctx.app.db,
      sql`select trace_context from events where type = 'enrollment.created'`,
    );
    expect(event!.trace_context).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));

    expect((await ctx.app.webhookDispatcher.runOnce()).map((r) => r.outcome)).toEqual(['succeeded']);
    expect(hook.requests).toHaveLength(1);
    const sent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(hook.requests[0]!.headers.traceparent));
    expect(sent?.[1]).toBe(TRACE_ID);
    assertNoViolations(ctx.violations.splice(0));

    // Closing sends what is buffered.
    await ctx.app.close();
    expect(otlp.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    const resource = otlp.exports[0]!.resourceSpans[0]!.resource.attributes;
    expect(resource.find((a) => a.key === 'service.name')?.value.stringValue).toBe(
      'promotions-enrollment-server',
    );

    const spans = otlp.spans().filter((s) => s.traceId === TRACE_ID);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    /** The chain of names from a span up to the caller's span, which is not ours. */
    const ancestry = (span: OtlpSpan): string[] => {
      const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      return parent ? [parent.name, ...ancestry(parent)] : [span.parentSpanId ?? 'root'];
    };

    // The request: one SERVER span, the child of the caller's span.
    const request = spans.find((s) => s.name === 'request' && attr(s, 'http.route') === '/v2/promotions');
    expect(request).toBeDefined();
    expect(request!.kind).toBe(2); // SPAN_KIND_SERVER
    expect(request!.parentSpanId).toBe(CALLER_SPAN);
    expect(attr(request!, 'http.response.status_code')).toBe(201);

    // Its SQL: the token's verification and the one enrollment statement, each a span under it.
    const sqlText = (s: OtlpSpan) => String(attr(s, 'db.query.text') ?? attr(s, 'db.statement') ?? '');
    const insert = spans.find((s) => sqlText(s).includes('insert into enrollments'));
    expect(insert).toBeDefined();
    expect(ancestry(insert!)).toContain('request');
    expect(ancestry(insert!).at(-1)).toBe(CALLER_SPAN);

    // The delivery: the span whose id the receiver got, continuing the request's trace, with
    // the SQL that recorded its attempt under it.
    const delivery = byId.get(sent![2]!);
    expect(delivery?.name).toBe('webhook delivery');
    expect(delivery!.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(attr(delivery!, 'webhook.event_type')).toBe('enrollment.created');
    expect(attr(delivery!, 'http.response.status_code')).toBe(204);
    expect(`00-${TRACE_ID}-${delivery!.parentSpanId}-01`).toBe(event!.trace_context);
    expect(ancestry(delivery!)).toContain('request');
    const recorded = spans.find(
      (s) => s.parentSpanId === delivery!.spanId && sqlText(s).includes('update webhook_deliveries'),
    );
    expect(recorded).toBeDefined();

    // Health checks are not traced.
    expect(otlp.spans().some((s) => attr(s, 'url.path') === '/healthz')).toBe(false);
  });
});
