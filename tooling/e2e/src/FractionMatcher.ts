/**
 * A route matcher for the simulator's fault API (`sim.faults.failHttp(matcher, …)`,
 * `delayHttp`) that matches only a fraction of the requests its pattern matches.
 *
 * The simulator takes a `string | RegExp` and calls `matcher.test(route)` once per request and
 * rule, so a RegExp whose `test` also draws from a seeded source is all "fail 5 % of /prompt"
 * needs: no change to the simulator, no HTTP layer of our own. `hits` counts the requests it
 * picked (the faults actually injected).
 */
export class FractionMatcher extends RegExp {
  /** Requests whose route matched the pattern. */
  seen = 0;
  /** Of those, the ones picked: the faults injected. */
  hits = 0;
  #fraction: number;
  readonly #random: () => number;
  readonly #onHit: ((route: string) => void) | undefined;

  /** `onHit` hears each picked request as it arrives (before the fault applies to it). */
  constructor(
    pattern: RegExp,
    fraction: number,
    random: () => number,
    onHit?: (route: string) => void,
  ) {
    super(pattern.source, pattern.flags.replace('g', ''));
    if (!(fraction >= 0 && fraction <= 1))
      throw new RangeError(`fraction ${fraction} not in [0, 1]`);
    this.#fraction = fraction;
    this.#random = random;
    this.#onHit = onHit;
  }

  get fraction(): number {
    return this.#fraction;
  }

  /** 0 turns the fault off without removing the rule. */
  set fraction(value: number) {
    this.#fraction = value;
  }

  override test(route: string): boolean {
    if (!super.test(route)) return false;
    this.seen += 1;
    if (this.#fraction <= 0 || this.#random() >= this.#fraction) return false;
    this.hits += 1;
    this.#onHit?.(route);
    return true;
  }
}
