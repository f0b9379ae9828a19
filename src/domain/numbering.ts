// Receipt numbers (C2026-00042) are read to complainants over the phone and written on letters:
// issue 9 §8, a number once given must never name another complaint. A restored copy's counters
// stop where the copy was taken; numbers given after that are known only to witnesses (the file
// it replaces, the anchor lines written by later backups), and the counters move past all of them.

/** The last number given in each year ("2026" → 42), as one file or one anchor line knows it. */
export type LastNumbers = Readonly<Record<string, number>>;

/** Numbers `from`..`to` of `year` that will never be given: someone may already hold one of them. */
export interface SkippedRange {
  year: number;
  from: number;
  to: number;
}

/** The ranges between what the copy knows and the highest number any witness knew, year by year. */
export function numbersToSkip(copy: LastNumbers, witnesses: readonly LastNumbers[]): SkippedRange[] {
  const highest = new Map<number, number>();
  for (const known of witnesses) {
    for (const [year, last] of Object.entries(known)) {
      const y = Number(year);
      highest.set(y, Math.max(highest.get(y) ?? 0, last));
    }
  }
  const skipped: SkippedRange[] = [];
  for (const [year, last] of [...highest].sort(([a], [b]) => a - b)) {
    const from = (copy[String(year)] ?? 0) + 1;
    if (last >= from) skipped.push({ year, from, to: last });
  }
  return skipped;
}

/** The higher of two views of the same file's numbering (its counters, its ticket rows). */
export function mergeLastNumbers(...views: LastNumbers[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const view of views) {
    for (const [year, last] of Object.entries(view)) merged[year] = Math.max(merged[year] ?? 0, last);
  }
  return merged;
}
