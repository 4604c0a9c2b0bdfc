export type RouteMatcher = string | RegExp;

interface DelayRule {
  route: RouteMatcher;
  ms: number;
}

interface FailRule {
  route: RouteMatcher;
  status: number;
  body: string | undefined;
}

/**
 * Failure injection. Routes are matched against the path without the /api prefix: a string must
 * equal it ('/prompt'), a RegExp is tested against it (/^\/history/). WebSocket upgrades use '/ws'.
 */
export class FaultController {
  private refusing = false;
  private upgradeStatus: number | null = null;
  private delays: DelayRule[] = [];
  private failures: FailRule[] = [];

  constructor(private readonly terminateSockets: () => void) {}

  /** While on, every new TCP connection, HTTP request and upgrade is answered by resetting the connection. */
  refuseConnections(on: boolean): void {
    this.refusing = on;
  }

  /** Answers WebSocket upgrades with this HTTP status (e.g. 403) instead of accepting them; null accepts again. */
  rejectUpgrades(status: number | null): void {
    this.upgradeStatus = status;
  }

  /** Terminates every open WebSocket at once, without a close frame (clients see code 1006). */
  dropSockets(): void {
    this.terminateSockets();
  }

  delayHttp(route: RouteMatcher, ms: number): void {
    this.delays.push({ route, ms });
  }

  failHttp(route: RouteMatcher, status: number, body?: string): void {
    this.failures.push({ route, status, body });
  }

  clear(): void {
    this.refusing = false;
    this.upgradeStatus = null;
    this.delays = [];
    this.failures = [];
  }

  get isRefusing(): boolean {
    return this.refusing;
  }

  get upgradeRejection(): number | null {
    return this.upgradeStatus;
  }

  /** Total delay of every matching rule. */
  delayFor(route: string): number {
    return this.delays
      .filter((rule) => matches(rule.route, route))
      .reduce((sum, rule) => sum + rule.ms, 0);
  }

  /** The most recently added matching failure. */
  failureFor(route: string): { status: number; body: string | undefined } | undefined {
    return this.failures.findLast((rule) => matches(rule.route, route));
  }
}

function matches(matcher: RouteMatcher, route: string): boolean {
  if (typeof matcher === 'string') return matcher === route;
  matcher.lastIndex = 0;
  return matcher.test(route);
}
