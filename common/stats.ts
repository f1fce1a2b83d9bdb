/**
 * gem5-style named statistics. Models keep their counters as plain number fields (an increment
 * in the hot loop is a field add, nothing more) and register a descriptor for each one where it
 * is counted; analysis collects every registered statistic without a hand-written list.
 */
export interface StatDescriptor {
  /** Dotted name, e.g. `hart.instret`, `mmu.dtlb.miss`. */
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  readonly read: () => number;
}

export class StatRegistry {
  private readonly stats = new Map<string, StatDescriptor>();

  register(name: string, unit: string, description: string, read: () => number): void {
    if (this.stats.has(name)) throw new Error(`statistic ${name} registered twice`);
    this.stats.set(name, { name, unit, description, read });
  }

  /** A view that prefixes every name registered through it, for sub-models. */
  scope(prefix: string): StatScope {
    return new StatScope(this, prefix);
  }

  descriptors(): StatDescriptor[] {
    return [...this.stats.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Current values, sorted by name so that output is deterministic. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const d of this.descriptors()) out[d.name] = d.read();
    return out;
  }
}

export class StatScope {
  constructor(
    private readonly registry: StatRegistry,
    private readonly prefix: string,
  ) {}

  register(name: string, unit: string, description: string, read: () => number): void {
    this.registry.register(`${this.prefix}.${name}`, unit, description, read);
  }

  scope(prefix: string): StatScope {
    return new StatScope(this.registry, `${this.prefix}.${prefix}`);
  }
}
