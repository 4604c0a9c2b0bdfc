import { median } from '../stats.js';
import type { VariantName } from './variants.js';
import type { AggregatedRun, ThroughputReport } from './worker.js';

/** One client's figures in one setting. */
export interface Row {
  variant: VariantName;
  runs: AggregatedRun[];
  rates: number[];
  rate: number | undefined;
  /** Median over every stream of (this stream ÷ the bare stream of the same round), when paired. */
  ratio: number | undefined;
  /** The same, one per run: the spread. */
  runRatios: number[];
  paired: boolean;
  problem: string | undefined;
}

export function rateOf(run: AggregatedRun): number | undefined {
  return run.ingestMs === undefined || run.ingestMs <= 0
    ? undefined
    : run.messages / (run.ingestMs / 1000);
}

/** The run whose rate is the median one (or the failed one). */
export function medianRun(runs: AggregatedRun[]): AggregatedRun | undefined {
  const rated = runs
    .filter((run) => rateOf(run) !== undefined)
    .sort((a, b) => (rateOf(a) ?? 0) - (rateOf(b) ?? 0));
  return rated[Math.floor(rated.length / 2)] ?? runs[0];
}

function pairedRatios(mine: AggregatedRun, bare: AggregatedRun | undefined): number[] {
  const ratios: number[] = [];
  mine.streamRates.forEach((rate, round) => {
    const ceiling = bare?.streamRates[round];
    if (rate !== null && rate !== undefined && ceiling) ratios.push(rate / ceiling);
  });
  return ratios;
}

function crashedRow(variant: VariantName, error: string): Row {
  return {
    variant,
    runs: [],
    rates: [],
    rate: undefined,
    ratio: undefined,
    runRatios: [],
    paired: false,
    problem: `crashed: ${error}`,
  };
}

/** Rows of one setting; a variant measured without the bare client is compared to its median. */
export function rowsOf(reports: { variants: VariantName[]; report: ThroughputReport | string }[]) {
  const rows: Row[] = [];
  let ceiling: number | undefined;
  for (const { variants, report } of reports) {
    for (const variant of variants) {
      if (typeof report === 'string') {
        rows.push(crashedRow(variant, report));
        continue;
      }
      const own = report.variants.find((entry) => entry.variant === variant);
      const bare = report.variants.find((entry) => entry.variant === 'bare');
      const runs = own?.runs ?? [];
      const rates = runs.map(rateOf).filter((rate): rate is number => rate !== undefined);
      const paired = variant !== 'bare' && bare !== undefined;
      let runRatios: number[] = [];
      let ratio: number | undefined;
      if (variant === 'bare') {
        ceiling = median(rates);
        ratio = rates.length > 0 ? 1 : undefined;
      } else if (paired) {
        const perRun = runs.map((run, index) => pairedRatios(run, bare.runs[index]));
        runRatios = perRun.map((ratios) => median(ratios)).filter((r) => r !== undefined);
        ratio = median(perRun.flat());
      } else {
        const rate = median(rates);
        ratio = rate !== undefined && ceiling ? rate / ceiling : undefined;
      }
      const error = runs.map((run) => run.error).find((text) => text !== undefined);
      rows.push({
        variant,
        runs,
        rates,
        rate: median(rates),
        ratio,
        runRatios,
        paired,
        problem: own?.stoppedEarly !== undefined ? `stopped: ${own.stoppedEarly}` : error,
      });
    }
  }
  return rows;
}
