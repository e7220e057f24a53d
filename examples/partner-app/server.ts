// npm run example:partner — the example partner app on http://127.0.0.1:4000.
import { buildPartnerApp, loadPartnerConfig } from './app.js';

let config: ReturnType<typeof loadPartnerConfig>;
try {
  config = loadPartnerConfig(process.env);
} catch (error) {
  console.error(`partner app: ${(error as Error).message}`);
  process.exit(1);
}
const app = await buildPartnerApp(config);
const url = await app.listen({ host: config.host, port: config.port });
console.log(
  `Partner app on ${url} (promotions server ${config.promotionsUrl}, callback ${config.callbackUrl})`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close());
