/** One thing wrong with the configuration, named by its key. */
export interface ConfigProblem {
  /** Dotted key in the file's terms: `discord.applicationId`, `servers[1].url`; '' for the file itself. */
  key: string;
  /** The environment variable the value came from, when it did. */
  env?: string;
  message: string;
}

/** "discord.applicationId (from DISCORD_APPLICATION_ID): expected … , got 'abc'". */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.env ? `${problem.key} (from ${problem.env})` : problem.key;
  return where === '' ? problem.message : `${where}: ${problem.message}`;
}

/** Every problem, one per line, under a heading that names where the configuration came from. */
export function formatProblems(problems: readonly ConfigProblem[], source: string): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [
    `${source} has ${count}:`,
    ...problems.map((problem) => `  ${formatProblem(problem)}`),
  ].join('\n');
}

/** Thrown by `loadConfig` callers that cannot go on; the message is the whole report. */
export class ConfigProblems extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly source: string,
  ) {
    super(formatProblems(problems, source));
    this.name = 'ConfigProblems';
  }
}
