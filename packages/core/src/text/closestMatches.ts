/**
 * The candidates closest to a mistyped word, best first: "stepz" → ["steps"], "gen" →
 * ["generate"]. Close means a few edits away (two neighbours swapped count as one), or a
 * candidate the word begins.
 */
export function closestMatches(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = word.toLowerCase();
  const allowed = wanted.length <= 3 ? 1 : wanted.length <= 6 ? 2 : 3;
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
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

/** "did you mean steps?" / "did you mean steps or seed?"; "" when nothing is close. */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  format: (candidate: string) => string = (candidate) => candidate,
): string {
  const [best, second] = closestMatches(word, candidates, 2);
  if (best === undefined) return '';
  return second === undefined
    ? `did you mean ${format(best)}?`
    : `did you mean ${format(best)} or ${format(second)}?`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
