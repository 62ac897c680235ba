/** Work on clusters under way in this process, by key ("<tenant>/<name>" and cluster uuids): a
 * deploy or node create holds its keys from the check of its request until its record says it is
 * over, and nothing else that changes the same cluster (a second deploy, its removal from
 * management) runs meanwhile. Another process on the same data folder is kept out by the checks
 * each one makes in the transaction that writes (see claimCluster and deleteCluster). */
export class ClusterLocks {
  private readonly held = new Set<string>();

  has(key: string): boolean {
    return this.held.has(key);
  }

  /** Takes every key, or none (answering false) when one is held already. */
  take(keys: string[]): boolean {
    if (keys.some((k) => this.held.has(k))) return false;
    keys.forEach((k) => this.held.add(k));
    return true;
  }

  release(keys: string[]): void {
    keys.forEach((k) => this.held.delete(k));
  }
}
