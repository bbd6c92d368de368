import { FactFolder } from '../../facts/fold.js';
import type { Fact } from '../../facts/schema.js';
import { showSecret } from '../../facts/secrets.js';
import { sourceOf, type Item } from '../types.js';
import { classifyOperation, classifyStatus, failureReason } from './classify.js';
import type { ParsedTime } from './time.js';

/** The token as cited beside its event: enough to tell tokens apart, not enough to use one. */
export function tokenRef(token: string): string {
  return showSecret(token, 'token', 'reference');
}

/**
 * Ways one fact of the events table may be written (operation text, status,
 * tenant, token) before further ones are no longer listed one by one. A
 * device's table repeats a handful of steps, statuses and one or two tokens;
 * a table whose every row is written differently must still come to a few
 * hundred facts, not one per row.
 */
const MAX_DISTINCT = 200;
/** Tenants a step's outcome is told apart by (see stepTenant). */
const MAX_STEP_TENANTS = 8;

/**
 * The facts of CtxLog_APNS_Events.csv, folded as the rows are read
 * (facts/fold.ts): rows that say the same thing become one fact with a count,
 * first and last time and the lines they were read from. Past MAX_DISTINCT
 * ways of writing an event, a new one is counted with the first row of its
 * kind of step and outcome (attrs.folded = "by kind"), so every row still
 * counts, and the latest outcome of each step is still known.
 */
export class EventFacts {
  private readonly folder = new FactFolder();
  /** Per fact name, the ways it has been written so far (bounded by MAX_DISTINCT). */
  private readonly seen = new Map<string, Set<string>>();
  /** Per fact name and kind, what a row past the bound is counted as. */
  private readonly byKind = new Map<string, Fact>();
  /** Rows counted by kind, and rows whose tenant/token was not listed, past the bound. */
  private foldedRows = 0;
  private readonly unlisted = new Map<string, number>();
  rows = 0;
  private readonly stepTenants = new Set<string>();

  constructor(private readonly item: Item) {}

  row(line: number, time: ParsedTime | null, ...cells: [operation: string, status: string, tenant: string, token: string, combination: string]): void {
    this.rows++;
    const [operation, status, tenant, token, combination] = cells;
    const op = classifyOperation(operation);
    const outcome = classifyStatus(status);
    const reason = outcome === 'failure' ? failureReason(status) : undefined;
    const source = sourceOf(this.item, line);
    const when = time ? { at: time.iso } : {};
    // A time without a zone (Excel drops it when the table is re-saved) is a wall clock, not UTC.
    const zone: Record<string, string> = time?.zoneLess ? { zone: 'unknown' } : {};
    const attrs: Record<string, string> = { operation: op, status, outcome, ...zone };
    if (reason) attrs.reason = reason;
    if (tenant) attrs.tenant = tenant;
    if (token) attrs.token = tokenRef(token);
    // A step's outcome is its tenant's: two accounts (or tenants) in one table succeed and fail apart.
    const tenantOf: Record<string, string> = tenant ? { tenant: this.stepTenant(tenant) } : {};
    let folded = false;
    const event = { name: 'securemail.apns_event', value: operation || '(no operation)', source, ...when, attrs };
    folded = this.add(event, `${op}\u0000${outcome}\u0000${reason ?? ''}`) || folded;
    if (reason)
      folded =
        this.add(
          { name: 'securemail.apns.failed_operation', value: op, source, ...when, attrs: { reason, status, ...tenantOf, ...zone } },
          `${op}\u0000${reason}`,
        ) || folded;
    if (outcome === 'success')
      folded = this.add({ name: 'securemail.apns.succeeded_operation', value: op, source, ...when, attrs: { status, ...tenantOf, ...zone } }, op) || folded;
    if (folded) this.foldedRows++;
    const at = time ? { ...when, ...(time.zoneLess ? { attrs: zone } : {}) } : {};
    if (tenant) this.value('securemail.apns.tenant_id', tenant, source, at);
    if (token) this.value('securemail.apns.listener_token', token, source, at);
    if (combination) this.value('securemail.apns.listener_key', combination, source, at);
  }

  facts(): Fact[] {
    return this.folder.facts();
  }

  /**
   * The tenant a step's outcome is kept under: a device holds one or two accounts, so past a few tenants a
   * table of garbage would make a fact per row; the rest share one name, which matches none of the first.
   */
  private stepTenant(tenant: string): string {
    if (this.stepTenants.has(tenant) || this.stepTenants.size < MAX_STEP_TENANTS) {
      this.stepTenants.add(tenant);
      return tenant;
    }
    return '(one of many tenants)';
  }

  /** What the problem says when rows were counted by kind or values were not listed, if any were. */
  foldedMessage(): string | undefined {
    const parts: string[] = [];
    if (this.foldedRows)
      parts.push(
        `${this.foldedRows} row(s) wrote their step or status in a way not seen in the first ${MAX_DISTINCT}; each is counted with the first such row of its kind of step and outcome`,
      );
    for (const [name, n] of this.unlisted) parts.push(`${n} row(s) gave a ${name} beyond the first ${MAX_DISTINCT} listed`);
    return parts.length ? `holds events written in many different ways: ${parts.join('; ')}` : undefined;
  }

  /** Adds `f` as written, or counted with its kind past the bound; says whether it was counted by kind. */
  private add(f: Fact & { attrs: Record<string, string> }, kind: string): boolean {
    const ways = level(this.seen, f.name);
    const way = `${String(f.value)}\u0000${attrsText(f.attrs)}`;
    if (ways.has(way)) {
      this.folder.add(f);
      return false;
    }
    if (ways.size < MAX_DISTINCT) {
      ways.add(way);
      this.folder.add(ownStrings(f));
      return false;
    }
    const key = `${f.name}\u0000${kind}`;
    let model = this.byKind.get(key);
    if (!model) this.byKind.set(key, (model = ownStrings({ ...f, attrs: { ...f.attrs, folded: 'by kind' } })));
    const { source, at } = f;
    this.folder.add({ name: model.name, value: model.value, source, ...(at ? { at } : {}), attrs: model.attrs });
    return true;
  }

  private value(name: string, value: string, source: Fact['source'], when: { at?: string; attrs?: Record<string, string> }): void {
    const ways = level(this.seen, name);
    if (ways.has(value)) {
      this.folder.add({ name, value, source, ...when });
      return;
    }
    if (ways.size < MAX_DISTINCT) {
      ways.add(value);
      this.folder.add(ownStrings({ name, value, source, ...when }));
      return;
    }
    this.unlisted.set(name, (this.unlisted.get(name) ?? 0) + 1);
  }
}

function level(m: Map<string, Set<string>>, k: string): Set<string> {
  let v = m.get(k);
  if (!v) m.set(k, (v = new Set()));
  return v;
}

/**
 * The fact with its value and attributes as strings of their own: the fact
 * that starts a group is kept to the end, and a cell is a slice of the chunk
 * of text it was read from, which it would keep alive.
 */
function ownStrings<F extends Fact>(f: F): F {
  const attrs: Record<string, string> = {};
  for (const k in f.attrs) attrs[k] = copy(f.attrs[k]);
  return { ...f, value: typeof f.value === 'string' ? copy(f.value) : f.value, ...(f.attrs ? { attrs } : {}) };
}

function copy(v: string): string {
  // Short strings are copies already; concatenating and cutting again makes one of its own.
  return v.length < 13 ? v : `${v} `.slice(0, -1);
}

function attrsText(attrs: Record<string, string>): string {
  let s = '';
  for (const k in attrs) s += `${k}=${attrs[k]}\u0000`;
  return s;
}
