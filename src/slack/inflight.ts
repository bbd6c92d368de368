/**
 * The work this process has started and not finished (a file being read, an
 * answer being recorded), so that a stopping process can let it finish
 * within a grace period before it closes the store.
 */
export class Inflight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: () => Promise<T>): Promise<T> {
    const p = work();
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return p;
  }

  /** Resolves once everything started so far, and anything it started, has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  get size(): number {
    return this.running.size;
  }
}
