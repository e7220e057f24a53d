import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { ERRORS } from '../errors.js';

/**
 * Connection draining on close. Fastify's `forceCloseConnections: 'idle'` closes the
 * keep-alive sockets that are idle when closing starts; a socket busy with a request at that
 * moment would go back to idle and keep the server (and the shutdown) waiting. So once
 * closing has begun, every response says `Connection: close`, and its socket ends with it.
 * A request that still arrives on such a socket is answered 503 in the envelope, with
 * Retry-After (Fastify's own `return503OnClosing` answer is not the envelope, so it is off).
 */
export const drainPlugin = fp(
  async (app) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onRequest', async () => {
      if (closing) throw ERRORS.shuttingDown();
    });
    app.addHook('onSend', async function closeWhileDraining(_request, reply, payload) {
      if (closing) reply.header('connection', 'close');
      return payload;
    });
  },
  { name: 'drain' },
) satisfies FastifyPluginAsync;
