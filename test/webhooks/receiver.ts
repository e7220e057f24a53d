// A real webhook receiver on loopback: verifies every delivery with the `standardwebhooks`
// package and answers what the test scripts (200 by default).
import Fastify, { type FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  userAgent: string | undefined;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Whether `standardwebhooks` verified it with the receiver's current secret. */
  verified: boolean;
  answered: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The secret deliveries are verified with. */
  secret: string | null;
  /** Statuses to answer per URL (the full URL a test registered), in order; when empty, `fallback`. */
  script(url: string, ...answers: Array<number | { status: number; headers?: Record<string, string> }>): void;
  /** A fresh URL of this receiver, so each test's answers are its own. */
  newUrl(): string;
  fallback: number;
  /** Deliveries in progress right now, by webhook-id (to catch a delivery in flight twice). */
  concurrent: Map<string, number>;
  maxConcurrentPerId: number;
  /** Delay before answering, in ms (e.g. to keep deliveries in flight). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const app: FastifyInstance = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const scripts = new Map<string, Array<number | { status: number; headers?: Record<string, string> }>>();
  let counter = 0;
  const receiver: Receiver = {
    url: '',
    received: [],
    secret: null,
    script: (url, ...answers) => {
      const path = new URL(url).pathname + new URL(url).search;
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers]);
    },
    newUrl: () => `${receiver.url}/${++counter}`,
    fallback: 200,
    concurrent: new Map(),
    maxConcurrentPerId: 0,
    delayMs: 0,
    close: () => app.close(),
  };
  app.post('/hook/*', async (request, reply) => {
    const body = request.body as string;
    const headers = request.headers as Record<string, string>;
    const id = headers['webhook-id']!;
    const now = (receiver.concurrent.get(id) ?? 0) + 1;
    receiver.concurrent.set(id, now);
    receiver.maxConcurrentPerId = Math.max(receiver.maxConcurrentPerId, now);
    try {
      if (receiver.delayMs) await new Promise((r) => setTimeout(r, receiver.delayMs));
      let verified = false;
      if (receiver.secret) {
        try {
          new Webhook(receiver.secret).verify(body, headers);
          verified = true;
        } catch {
          verified = false;
        }
      }
      const next = scripts.get(request.url)?.shift() ?? receiver.fallback;
      const answer = typeof next === 'number' ? { status: next } : next;
      receiver.received.push({
        id,
        timestamp: headers['webhook-timestamp']!,
        signature: headers['webhook-signature']!,
        userAgent: headers['user-agent'],
        body,
        payload: JSON.parse(body),
        verified,
        answered: answer.status,
      });
      return reply
        .code(answer.status)
        .headers(answer.headers ?? {})
        .send(verified || !receiver.secret ? 'ok' : 'bad signature');
    } finally {
      receiver.concurrent.set(id, (receiver.concurrent.get(id) ?? 1) - 1);
    }
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  receiver.url = `${address}/hook`;
  receiver.newUrl = () => `${receiver.url}/${++counter}`;
  return receiver;
}
