import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The browser tests drive Debian's chromium: on a fresh machine `pnpm test` installs it first
 * (apt, as root), so the README's test command stays the whole set-up.
 */
export default function installBrowser(): void {
  if (existsSync('/usr/bin/chromium')) return;
  const script = fileURLToPath(new URL('../../scripts/install-browser.sh', import.meta.url));
  execFileSync('bash', [script], { stdio: 'inherit' });
}
