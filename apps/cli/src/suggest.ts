/**
 * The candidates closest to a mistyped word, best first: "stepz" → ["steps"], "gen" →
 * ["generate"]. Close means a few edits away (letters swapped count as one) or a prefix.
 */
export function closestMatches(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = word.toLowerCase();
  const allowed = wanted.length <= 3 ? 1 : wanted.length <= 6 ? 2 : 3;
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    if (lower === wanted) {
      scored.push({ candidate, score: 0 });
      continue;
    }
    const distance = editDistance(wanted, lower);
    if (distance <= allowed) scored.push({ candidate, score: distance });
    else if (wanted.length >= 2 && lower.startsWith(wanted))
      scored.push({ candidate, score: allowed + 1 });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/** " (did you mean steps?)" style: "" when nothing is close. */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  format = (s: string) => s,
): string {
  const [best, second] = closestMatches(word, candidates, 2);
  if (best === undefined) return '';
  return second === undefined
    ? `did you mean ${format(best)}?`
    : `did you mean ${format(best)} or ${format(second)}?`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const above = d[i - 1]!;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
