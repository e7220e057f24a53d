import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Connection draining on close. Fastify's `forceCloseConnections: 'idle'` closes the
 * keep-alive sockets that are idle when closing starts; a socket busy with a request at that
 * moment would go back to idle and keep the server (and the shutdown) waiting. So once
 * closing has begun, every response says `Connection: close`, and its socket ends with it.
 */
export const drainPlugin = fp(
  async (app) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (closing) reply.header('connection', 'close');
      return payload;
    });
  },
  { name: 'drain' },
) satisfies FastifyPluginAsync;
