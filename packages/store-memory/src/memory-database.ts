import { assertNamespace, type StoredJob } from '@jobstore/core';
import { MemoryTable } from './memory-table.js';

/**
 * A process-local stand-in for a database server. Every MemoryJobStore opened on the same
 * MemoryDatabase and namespace sees the same jobs, leases and events, the way scheduler
 * instances share a real server; jobs live as long as the database object does.
 */
export class MemoryDatabase {
  readonly #tables = new Map<string, MemoryTable>();

  /** The namespace's table, created on first use. */
  table(namespace: string): MemoryTable {
    assertNamespace(namespace, 'MemoryDatabase');
    let table = this.#tables.get(namespace);
    if (table === undefined) {
      table = new MemoryTable();
      this.#tables.set(namespace, table);
    }
    return table;
  }

  /** The namespaces holding at least one job. */
  namespaces(): string[] {
    return [...this.#tables].filter(([, table]) => table.size > 0).map(([name]) => name);
  }

  /** Reads a row as stored, past any store (for tests that check what is really kept). */
  readRow(namespace: string, id: string): StoredJob | null {
    return this.table(namespace).get(id) ?? null;
  }

  /** Writes a row as is, past any store and without notifying (for tests that plant bad records). */
  writeRow(namespace: string, row: StoredJob): void {
    this.table(namespace).put({ ...row });
  }
}
