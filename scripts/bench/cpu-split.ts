import { readFileSync, readdirSync } from "node:fs";
import type { AppId } from "@todo/contracts/topology";

/**
 * CPU time by process, from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms: Linux's USER_HZ
 * is 100 on every architecture Node supports). Which process spends the CPU a create costs is what
 * decides where to optimise, and on a machine with few cores every process's CPU comes out of the
 * same budget as the request path's.
 */
export type CpuGroup = AppId | "runtime" | "postgres" | "load generator";

interface ProcStat {
  ppid: number;
  ticks: number;
  /** Of its children that exited and were waited for (cutime + cstime). */
  reapedTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), reapedTicks: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return undefined; // exited while we looked
  }
}

/** The processes to account, by group: the runtime itself, its service processes, its PostgreSQL (the postmaster and every backend under it), the load generator. */
export interface CpuAccount {
  runtimePid: number;
  services: ReadonlyArray<{ appId: AppId; pid: number }>;
  loadGeneratorPid?: number;
}

/**
 * Clock ticks by group now. PostgreSQL backends come and go (a pool's idle connection closes after 30 s),
 * so they are found anew on each call, and the postmaster's count of its reaped children adds those that
 * exited meanwhile. Only the postmaster's: the runtime's reaped children include the load generator.
 */
export function cpuTicks(account: CpuAccount): Map<CpuGroup, number> {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(Number(entry));
    if (s) stats.set(Number(entry), s);
  }
  const groupOf = new Map<number, CpuGroup>([[account.runtimePid, "runtime"]]);
  for (const s of account.services) groupOf.set(s.pid, s.appId);
  if (account.loadGeneratorPid) groupOf.set(account.loadGeneratorPid, "load generator");
  const postmasters = new Set<number>();
  for (const [pid, s] of stats) {
    if (s.ppid !== account.runtimePid || groupOf.has(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]!.endsWith("postgres")) postmasters.add(pid);
    } catch {
      /* exited */
    }
  }
  for (const [pid, s] of stats) if (postmasters.has(pid) || postmasters.has(s.ppid)) groupOf.set(pid, "postgres");
  const ticks = new Map<CpuGroup, number>();
  for (const [pid, group] of groupOf) {
    const s = stats.get(pid);
    ticks.set(group, (ticks.get(group) ?? 0) + (s?.ticks ?? 0) + (postmasters.has(pid) ? (s?.reapedTicks ?? 0) : 0));
  }
  return ticks;
}

/** CPU milliseconds per unit of work, by group, between two readings (largest first). */
export function cpuMsPer(before: Map<CpuGroup, number>, after: Map<CpuGroup, number>, units: number): Record<string, number> {
  const rows = [...after].map(([group, t]) => [group, ((t - (before.get(group) ?? 0)) * 10) / units] as const);
  return Object.fromEntries(rows.sort((a, b) => b[1] - a[1]).map(([g, ms]) => [g, Math.round(ms * 1000) / 1000]));
}
