// Types for the parts of `talisman` (string metrics, CommonJS, ships no declarations) that matching uses.
// Deep imports need the `.js` extension because the package has no `exports` map.

declare module 'talisman/metrics/damerau-levenshtein.js' {
  interface DamerauLevenshtein {
    /** Optimal-string-alignment edit distance (insertions, deletions, substitutions, adjacent swaps). */
    (a: string, b: string): number;
    /** The same, but gives up and returns Infinity once the distance exceeds `max`. */
    limited(max: number, a: string, b: string): number;
  }
  const damerauLevenshtein: DamerauLevenshtein;
  export default damerauLevenshtein;
}
