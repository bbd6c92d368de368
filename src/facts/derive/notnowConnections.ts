import type { Reports } from './notnowEvents.js';

/**
 * One enrollment's reports split into its connections, in the order they
 * began, and where each command (by UUID, by RequestType) turns up in them.
 * Positions are places in the enrollment's time-ordered reports; lists hold
 * numbers, never an object per report (a busy log opens a connection per NotNow).
 */
export class Connections {
  /** Connections (the reports' numbers for them) in the order they began. */
  readonly order: number[] = [];
  /** Per report of the enrollment: the place of its connection in `order` (-1: none). */
  readonly posOf: Int32Array;
  /** The reports of each connection, in time order: `members` from `start[c]` to `start[c + 1]`. */
  private readonly start: Int32Array;
  private readonly members: Int32Array;
  private readonly byUuid = new Map<string, number[]>();
  private readonly byType = new Map<string, number[]>();

  constructor(
    reports: Reports,
    /** The enrollment's reports in time order. */
    readonly evs: Int32Array,
  ) {
    const pos = new Map<number, number>();
    this.posOf = new Int32Array(evs.length).fill(-1);
    const sizes: number[] = [];
    for (let j = 0; j < evs.length; j++) {
      const c = reports.connectionOf(evs[j]);
      if (c < 0) continue;
      let at = pos.get(c);
      if (at === undefined) {
        pos.set(c, (at = this.order.length));
        this.order.push(c);
        sizes.push(0);
      }
      this.posOf[j] = at;
      sizes[at]++;
    }
    this.start = new Int32Array(this.order.length + 1);
    for (let c = 0; c < sizes.length; c++) this.start[c + 1] = this.start[c] + sizes[c];
    // Every report on a connection and each connection's reports in one run (a log read in order): the
    // members are the reports themselves, in their order.
    let runs = true;
    for (let j = 0; j < evs.length && runs; j++) {
      const step = this.posOf[j] - (j ? this.posOf[j - 1] : 0);
      runs = this.posOf[j] >= 0 && (step === 0 || step === 1);
    }
    if (runs) this.members = evs;
    else {
      this.members = new Int32Array(this.start[this.order.length]);
      const fill = this.start.slice(0, this.order.length);
      for (let j = 0; j < evs.length; j++) if (this.posOf[j] >= 0) this.members[fill[this.posOf[j]]++] = evs[j];
    }
    // One pass, not one per NotNow.
    for (let j = 0; j < evs.length; j++) {
      const r = evs[j];
      if (reports.status(r) === 'Idle' || this.posOf[j] < 0) continue;
      const uuid = reports.uuid(r);
      const rt = reports.rt(r);
      if (uuid) append(this.byUuid, uuid, j);
      if (rt) append(this.byType, rt, j);
    }
    const byPlace = (x: number, y: number) => this.posOf[x] - this.posOf[y] || x - y;
    for (const list of this.byUuid.values()) list.sort(byPlace);
    for (const list of this.byType.values()) list.sort(byPlace);
  }

  /** The reports of connection number c, in time order. */
  of(c: number): Int32Array {
    return this.members.subarray(this.start[c], this.start[c + 1]);
  }

  /** The earliest sighting of a command in a connection after connection `pos`, by UUID or by RequestType. */
  firstAfter(pos: number, uuid: string | undefined, rt: string | undefined): number | undefined {
    const x = this.first(uuid ? this.byUuid.get(uuid) : undefined, pos);
    const y = this.first(rt ? this.byType.get(rt) : undefined, pos);
    if (x === undefined) return y === undefined ? undefined : this.evs[y];
    if (y === undefined) return this.evs[x];
    const px = this.posOf[x];
    const py = this.posOf[y];
    return py < px || (py === px && y < x) ? this.evs[y] : this.evs[x];
  }

  private first(list: number[] | undefined, pos: number): number | undefined {
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.posOf[list[mid]] <= pos) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  }
}

function append(m: Map<string, number[]>, k: string, j: number): void {
  const list = m.get(k);
  if (list) list.push(j);
  else m.set(k, [j]);
}
