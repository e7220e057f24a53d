import { randomId } from '../../src/auth/secrets.js';
import type { KeyRole, Role } from '../../src/rules/roles.js';
import type { TestContext } from '../helpers/app.js';

export const OPERATOR_PASSWORD = 'operator passphrase 42';

/** An operator of `role` with an API key (of `keyRole`, default the same), straight through the service. */
export async function operatorWithKey(ctx: TestContext, role: Role, options: { keyRole?: KeyRole } = {}) {
  const operator = await ctx.app.operatorService.createOperator({
    email: `op-${randomId(6).replace(/[^A-Za-z0-9]/g, 'x')}@example.com`,
    password: OPERATOR_PASSWORD,
    role,
  });
  const created = await ctx.app.operatorService.createApiKey(operator.id, {
    name: 'test key',
    role: options.keyRole,
  });
  return { operator, key: created.key, keyId: created.id };
}
