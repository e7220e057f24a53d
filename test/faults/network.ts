import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * The fault tests' own network (needs root): a network namespace and a veth pair made here,
 * a /30 of 10.x addresses on it, and an nftables table inside the namespace whose rules drop
 * packets on the namespace's end of the veth. Nothing outside what it made is touched, and
 * destroy() (idempotent, also run at process exit) removes all of it.
 */
export interface TestNetwork {
  readonly ns: string;
  /** The root namespace's end: the relays and the webhook receiver listen here. */
  readonly hostAddr: string;
  /** The namespace's end: the server listens here. */
  readonly nsAddr: string;
  readonly nsIf: string;
  /** Replaces the rules: `rules` are nft rule bodies for traffic to and from `ports`. */
  drop(ports: number[], rule: 'all' | { percent: number }): void;
  /** Removes every rule: the link is whole again. */
  heal(): void;
  destroy(): void;
}

const run = (cmd: string, args: string[], input?: string) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input });

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function createTestNetwork(): TestNetwork {
  if (!isRoot()) throw new Error('npm run test:faults needs root (ip netns, veth, nft)');
  // 10.200-249.x.y/30, a block nobody on this machine uses.
  const used = run('ip', ['-4', '-o', 'addr', 'show']);
  let base: number[];
  do {
    base = [10, 200 + randomInt(50), randomInt(256), 4 * randomInt(64)];
  } while (used.includes(` ${base.slice(0, 3).join('.')}.${base[3]! + 1}/`));
  const hostAddr = `${base.slice(0, 3).join('.')}.${base[3]! + 1}`;
  const nsAddr = `${base.slice(0, 3).join('.')}.${base[3]! + 2}`;
  const id = `${process.pid.toString(36)}${randomInt(36 ** 2).toString(36)}`.slice(-7);
  const ns = `pef-${id}`;
  const hostIf = `pef${id}h`;
  const nsIf = `pef${id}n`;
  let destroyed = false;

  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    // Deleting the namespace deletes its nft table and its end of the veth, which takes the peer.
    for (const args of [
      ['netns', 'del', ns],
      ['link', 'del', hostIf],
    ]) {
      try {
        run('ip', args);
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', destroy);

  try {
    run('ip', ['netns', 'add', ns]);
    run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    run('ip', ['link', 'set', nsIf, 'netns', ns]);
    run('ip', ['addr', 'add', `${hostAddr}/30`, 'dev', hostIf]);
    run('ip', ['link', 'set', hostIf, 'up']);
    run('ip', ['-n', ns, 'addr', 'add', `${nsAddr}/30`, 'dev', nsIf]);
    run('ip', ['-n', ns, 'link', 'set', nsIf, 'up']);
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    run(
      'ip',
      ['netns', 'exec', ns, 'nft', '-f', '-'],
      `table inet faults {
  chain out { type filter hook output priority 0; policy accept; }
  chain in { type filter hook input priority 0; policy accept; }
}
`,
    );
  } catch (err) {
    destroy();
    throw err;
  }

  const heal = () => {
    run(
      'ip',
      ['netns', 'exec', ns, 'nft', '-f', '-'],
      'flush chain inet faults out\nflush chain inet faults in\n',
    );
  };

  return {
    ns,
    hostAddr,
    nsAddr,
    nsIf,
    drop(ports, rule) {
      const set = `{ ${ports.join(', ')} }`;
      const verdict = rule === 'all' ? 'drop' : `numgen random mod 100 < ${rule.percent} drop`;
      run(
        'ip',
        ['netns', 'exec', ns, 'nft', '-f', '-'],
        [
          'flush chain inet faults out',
          'flush chain inet faults in',
          `add rule inet faults out oifname "${nsIf}" tcp dport ${set} ${verdict}`,
          `add rule inet faults in iifname "${nsIf}" tcp sport ${set} ${verdict}`,
          '',
        ].join('\n'),
      );
    },
    heal,
    destroy,
  };
}

/**
 * A TCP relay in front of a database: listens on `host`, forwards to `target`. With a delay
 * set, each chunk on its way to the database is held back `ms ± jitter` (in order), so every
 * round trip is that much longer: the latency netem would add, which this kernel lacks.
 */
export class Relay {
  delay: { ms: number; jitter: number } | null = null;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  listen(host: string): Promise<number> {
    return new Promise((resolve) => {
      this.server.listen(0, host, () => {
        this.port = (this.server.address() as { port: number }).port;
        resolve(this.port);
      });
    });
  }

  private accept(client: Socket): void {
    const upstream = tcpConnect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        this.sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.on('data', (chunk) => client.write(chunk));
    // Toward the database: held back, released in arrival order.
    const queue: Array<{ at: number; chunk: Buffer }> = [];
    let timer: NodeJS.Timeout | null = null;
    let last = 0;
    const pump = () => {
      timer = null;
      const now = Date.now();
      while (queue.length > 0 && queue[0]!.at <= now) upstream.write(queue.shift()!.chunk);
      if (queue.length > 0) timer = setTimeout(pump, queue[0]!.at - now);
    };
    client.on('data', (chunk) => {
      const d = this.delay;
      if (!d && queue.length === 0) {
        upstream.write(chunk);
        return;
      }
      const hold = d ? d.ms + randomInt(-d.jitter, d.jitter + 1) : 0;
      last = Math.max(last, Date.now() + hold);
      queue.push({ at: last, chunk });
      if (!timer) timer = setTimeout(pump, last - Date.now());
    });
    client.on('close', () => {
      if (timer) clearTimeout(timer);
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
