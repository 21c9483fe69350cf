// Counts every request the emulator receives, per endpoint label (`query`, `queryMore`,
// `collections.upsert`, `bulk2.ingest.create` …), so tests and the benchmark can assert API economy.

export class Ledger {
  private readonly byLabel = new Map<string, number>();
  private count = 0;

  record(label: string): void {
    this.byLabel.set(label, (this.byLabel.get(label) ?? 0) + 1);
    this.count++;
  }

  /** Counts per label, sorted by label. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.byLabel].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Requests for one label (0 when none). */
  of(label: string): number {
    return this.byLabel.get(label) ?? 0;
  }

  total(): number {
    return this.count;
  }

  reset(): void {
    this.byLabel.clear();
    this.count = 0;
  }
}

/** The daily API request allocation, as `Sforce-Limit-Info` and `/limits` report it. */
export class ApiUsage {
  used = 0;

  constructor(public max: number) {}

  /** Counts one call; false when the allocation is already spent (the call is refused, not counted). */
  consume(): boolean {
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  get header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }
}
