/**
 * Users whose account was deleted, as this replica heard (`account.deleted`). Their tokens stay valid
 * until they expire (24 h), so without this a page's reconnect loop would open a new socket for an
 * account that no longer exists. Bounded: the oldest erasures are forgotten first (erasures are rare;
 * a forgotten one can only reopen a socket that receives nothing, the account's data being gone).
 */
export class ErasedAccounts {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer");
  }

  add(userId: string): void {
    this.ids.delete(userId);
    this.ids.add(userId);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }

  has(userId: string): boolean {
    return this.ids.has(userId);
  }
}
