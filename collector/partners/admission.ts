/**
 * Bounded cardinality for the two tags a client names freely: `partner` (of
 * `partner` events) and `entity` (of `output` events). Each new value is a new
 * InfluxDB series, so values come from the partner registry, like lines and
 * stations come from the plant file; an operator may let a fixed number of
 * unregistered names in (TAKTLINE_MAX_UNREGISTERED_NAMES), and no more.
 */
import type { StationEvent } from '../../core/events';
import type { PartnerRegistry } from '../../core/cluster/registry';
import type { EventRejection } from '../../core/validate';
import { redactUserInfo } from '../http/safe-url';
import type { EventStore, InfluxSeries } from '../influx/store';

export type NameKind = 'partner' | 'entity';

/** How many registered names a rejection lists. */
const LISTED = 8;

export class NameAdmission {
  /** The registry the sets below were built from; rebuilt when the admin API replaced it. */
  private seen: PartnerRegistry | null = null;
  private partners: ReadonlySet<string> = new Set();
  private entities: ReadonlySet<string> = new Set();
  /** Unregistered names let in so far, as `kind:name`; never more than the limit. */
  private readonly unregistered = new Set<string>();

  /**
   * @param maxUnregistered names outside the registry that may be accepted (0: none)
   * @param registry the registry in force (it changes with `PUT /api/v1/partners`)
   */
  constructor(
    private readonly maxUnregistered: number,
    private readonly registry: () => PartnerRegistry,
  ) {}

  /** Counts names InfluxDB already holds (from earlier runs) against the limit, so a restart does not reset it. */
  seed(kind: NameKind, names: Iterable<string>): void {
    for (const name of names) {
      if (this.known(kind).has(name) || this.unregistered.size >= this.maxUnregistered) continue;
      this.unregistered.add(`${kind}:${name}`);
    }
  }

  /** {@link seed} from the `partner` and `output` tags InfluxDB holds; a failure is logged and counting starts from zero. */
  async seedFrom(store: Pick<EventStore, 'query'>, warn: (message: string) => void = (m) => console.error(m)): Promise<void> {
    if (this.maxUnregistered === 0) return;
    try {
      this.seed('partner', await tagValues(store, 'partner', 'partner'));
      this.seed('entity', await tagValues(store, 'output', 'entity'));
    } catch (error) {
      warn(`collector: cannot read the partner and entity names InfluxDB holds; counting unregistered names from zero: ${redactUserInfo((error as Error).message)}`);
    }
  }

  /** Unregistered names accepted so far. */
  unregisteredCount(): number {
    return this.unregistered.size;
  }

  /** Null when the event may be stored; otherwise why not. Admits a new unregistered name while the limit allows. */
  check(event: StationEvent): EventRejection | null {
    if (event.type === 'partner') return this.admit('partner', event.partner);
    if (event.type === 'output') return this.admit('entity', event.entity);
    return null;
  }

  private known(kind: NameKind): ReadonlySet<string> {
    const registry = this.registry();
    if (registry !== this.seen) {
      this.seen = registry;
      this.partners = new Set(registry.partners.map((p) => p.id));
      this.entities = new Set([registry.cluster.chainMasterEntity, ...registry.partners.map((p) => p.id)]);
    }
    return kind === 'partner' ? this.partners : this.entities;
  }

  private admit(kind: NameKind, name: string): EventRejection | null {
    if (this.known(kind).has(name)) return null;
    const key = `${kind}:${name}`;
    if (this.unregistered.has(key)) return null;
    if (this.unregistered.size < this.maxUnregistered) {
      this.unregistered.add(key);
      return null;
    }
    const known = [...this.known(kind)];
    const listed = known.length === 0 ? 'none' : `${known.slice(0, LISTED).join(', ')}${known.length > LISTED ? `, … (${known.length})` : ''}`;
    const where =
      'register it in the partner registry (TAKTLINE_PARTNERS_FILE, or PUT /api/v1/partners with the admin token; see docs/partners.md)';
    const limit =
      this.maxUnregistered === 0
        ? 'or let a few unregistered names in with TAKTLINE_MAX_UNREGISTERED_NAMES'
        : `the ${this.maxUnregistered} unregistered names TAKTLINE_MAX_UNREGISTERED_NAMES allows are taken`;
    const what = kind === 'partner' ? 'partner' : 'entity';
    const registered = kind === 'partner' ? 'registered partners' : 'registered entities (the chain master and the partners)';
    return {
      code: kind === 'partner' ? 'unknown_partner' : 'unknown_entity',
      field: kind,
      reason: `${what} '${name}' is not in the partner registry: ${where}; ${limit}. ${registered}: ${listed}`,
    };
  }
}

/** Every value InfluxDB holds for a tag of a measurement. */
async function tagValues(store: Pick<EventStore, 'query'>, measurement: 'partner' | 'output', key: NameKind): Promise<string[]> {
  const series: InfluxSeries[] = await store.query(`SHOW TAG VALUES FROM "${measurement}" WITH KEY = "${key}"`);
  const column = (s: InfluxSeries) => s.columns.indexOf('value');
  return series.flatMap((s) => s.values.map((v) => v[column(s)])).filter((v): v is string => typeof v === 'string');
}
