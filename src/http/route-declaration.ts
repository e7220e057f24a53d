import type { FastifyContextConfig, FastifyInstance } from 'fastify';

/**
 * Fail-closed routes: every route of the scope must declare `config[key]` (as `isValid` judges
 * it, with the whole config at hand), or the start-up stops. A forgotten declaration never
 * leaves a route open by mistake.
 */
export function requireRouteDeclaration<K extends keyof FastifyContextConfig>(
  app: FastifyInstance,
  key: K,
  isValid: (value: FastifyContextConfig[K] | undefined, config: FastifyContextConfig) => boolean,
  expected: string,
): void {
  app.addHook('onRoute', function requireDeclaration(route) {
    const config: FastifyContextConfig = route.config ?? {};
    if (!isValid(config[key], config)) {
      throw new Error(`${route.method} ${route.url} must declare config.${String(key)} (${expected})`);
    }
  });
}
