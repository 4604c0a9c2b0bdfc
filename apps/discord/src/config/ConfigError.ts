/** A setting that is missing or wrong: one line that names it, and never its value. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`${key} ${problem}`);
    this.name = 'ConfigError';
  }
}
