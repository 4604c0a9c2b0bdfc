import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LocalAddress {
  /** An IPv4 address of this machine that is not loopback: connections from it are remote. */
  address: string;
  /** How it was found. */
  source: 'interface' | 'veth';
  release(): Promise<void>;
}

/**
 * An address of this machine outside 127.0.0.0/8 to connect from, so the console sees a
 * non-loopback peer. The machine's own (eth0 …) when it has one; otherwise one end of a veth
 * pair whose other end lives in a network namespace made for the test (root and iproute2).
 * `CONSOLE_TEST_NETNS=1` forces the namespace.
 */
export async function nonLoopbackAddress(): Promise<LocalAddress> {
  const own = process.env['CONSOLE_TEST_NETNS'] === '1' ? undefined : ownAddress();
  if (own !== undefined) return { address: own, source: 'interface', release: async () => {} };
  return vethAddress();
}

function ownAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces()))
    for (const info of addresses ?? [])
      if (info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.'))
        return info.address;
  return undefined;
}

async function vethAddress(): Promise<LocalAddress> {
  let lastError: unknown;
  // Test files run in parallel workers: a name or subnet another one took is skipped.
  for (let attempt = 0; attempt < 8; attempt += 1) {
    try {
      return await tryVeth((process.pid + attempt * 31) % 250);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(
    `This machine has no non-loopback address, and a network namespace could not be made (needs root and iproute2): ${String(lastError)}`,
  );
}

async function tryVeth(suffix: number): Promise<LocalAddress> {
  const namespace = `crconsole${suffix}`;
  const outside = `crc${suffix}a`;
  const inside = `crc${suffix}b`;
  const address = `10.213.${suffix}.1`;
  const ip = (...args: string[]) => run('ip', args);
  const release = async () => {
    await ip('link', 'del', outside).catch(() => undefined);
    await ip('netns', 'del', namespace).catch(() => undefined);
  };
  await ip('netns', 'add', namespace); // fails when taken: nothing of ours to undo
  try {
    await ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside, 'netns', namespace);
    await ip('addr', 'add', `${address}/30`, 'dev', outside);
    await ip('link', 'set', outside, 'up');
    await ip('-n', namespace, 'addr', 'add', `10.213.${suffix}.2/30`, 'dev', inside);
    await ip('-n', namespace, 'link', 'set', inside, 'up');
  } catch (error) {
    await release();
    throw error;
  }
  return { address, source: 'veth', release };
}
