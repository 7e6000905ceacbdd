export interface Progress {
  verb: "backup" | "restore";
  tablesDone: number;
  tablesTotal: number;
  rowsDone: number;
  rowsTotal: number;
  /** Bytes of the compressed file written or read so far. */
  bytes: number;
  /** The table being copied, if any. */
  current?: string;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** One line such as `backup: 3/11 tables, 1,204/5,000 rows, 96.2 kB — backend.tasks`. */
export function formatProgress(p: Progress): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const current = p.current ? ` — ${p.current}` : "";
  return `${p.verb}: ${p.tablesDone}/${p.tablesTotal} tables, ${n(p.rowsDone)}/${n(p.rowsTotal)} rows, ${formatBytes(p.bytes)}${current}`;
}

/**
 * Prints progress: on a terminal one line rewritten in place (at most every `intervalMs`, and at each
 * table's end); elsewhere (CI logs, pipes) one line per finished table, so a log stays short.
 */
export function progressPrinter(write: (text: string) => void, opts: { tty: boolean; now?: () => number; intervalMs?: number }): { update(p: Progress): void; done(): void } {
  const now = opts.now ?? Date.now;
  const interval = opts.intervalMs ?? 200;
  let last = -Infinity;
  let lastTables = 0;
  let shown = false;
  return {
    update(p) {
      const tableDone = p.tablesDone !== lastTables;
      lastTables = p.tablesDone;
      if (opts.tty) {
        if (!tableDone && now() - last < interval) return;
        last = now();
        write(`\r\x1b[2K${formatProgress(p)}`);
        shown = true;
      } else if (tableDone) {
        write(`${formatProgress({ ...p, current: undefined })}\n`);
      }
    },
    done() {
      if (opts.tty && shown) write("\n");
    },
  };
}
