/**
 * Who is connected on this replica: user id → that user's open connections. Generic over the
 * connection type so the routing is tested without sockets. A frame for a user goes to exactly the
 * connections registered under that user's id, never to anyone else's.
 */
export class ConnectionRegistry<C> {
  private readonly byUser = new Map<string, Set<C>>();
  private count = 0;

  add(userId: string, connection: C): void {
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    if (!set.has(connection)) {
      set.add(connection);
      this.count++;
    }
  }

  /** Returns whether the connection was registered (so a close after a drop is not counted twice). */
  remove(userId: string, connection: C): boolean {
    const set = this.byUser.get(userId);
    if (!set?.delete(connection)) return false;
    this.count--;
    if (set.size === 0) this.byUser.delete(userId);
    return true;
  }

  /** How many connections the user has open here. */
  countOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** A snapshot: sending may close (and remove) connections while the caller iterates. */
  connectionsOf(userId: string): C[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  all(): Array<{ userId: string; connection: C }> {
    return [...this.byUser].flatMap(([userId, set]) => [...set].map((connection) => ({ userId, connection })));
  }

  get size(): number {
    return this.count;
  }
}
