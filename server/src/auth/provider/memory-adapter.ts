// The embedded provider's storage: in memory, as befits a development-only issuer (a restart signs
// everyone out). The provider's own quick-start adapter is not exported, so this is its small twin.
type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string };
type Entry = { payload: Payload; expiresAt: number };

/** An adapter class with storage of its own: two providers in one process share nothing. */
export function createMemoryAdapter() {
  const stores = new Map<string, Map<string, Entry>>();
  const grants = new Map<string, Set<string>>();

  return class MemoryAdapter {
    private readonly store: Map<string, Entry>;

    constructor(readonly name: string) {
      const store = stores.get(name) ?? new Map<string, Entry>();
      stores.set(name, store);
      this.store = store;
    }

    private live(id: string): Entry | undefined {
      const entry = this.store.get(id);
      if (entry && entry.expiresAt <= Date.now()) {
        this.store.delete(id);
        return undefined;
      }
      return entry;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
      this.store.set(id, { payload, expiresAt });
      if (payload.grantId) {
        const members = grants.get(payload.grantId) ?? new Set<string>();
        grants.set(payload.grantId, members);
        members.add(`${this.name}:${id}`);
      }
    }

    async find(id: string): Promise<Payload | undefined> {
      return this.live(id)?.payload;
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      for (const [id, entry] of this.store) if (entry.payload.uid === uid) return this.find(id);
      return undefined;
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      for (const [id, entry] of this.store) if (entry.payload.userCode === userCode) return this.find(id);
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const entry = this.live(id);
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      this.store.delete(id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const member of grants.get(grantId) ?? []) {
        const at = member.indexOf(':');
        stores.get(member.slice(0, at))?.delete(member.slice(at + 1));
      }
      grants.delete(grantId);
    }
  };
}
