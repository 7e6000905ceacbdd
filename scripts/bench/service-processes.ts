import { readFileSync, readdirSync } from "node:fs";
import type { AppId } from "@todo/contracts/topology";

export interface ServiceProcessInfo {
  appId: AppId;
  pid: number;
}

/**
 * The service processes the local runtime started in this process: children of `parentPid` whose
 * command line runs `services/<app-id>/src/main.ts` (or the compiled `main.js`). Read from /proc, so
 * it needs Linux; the runtime itself does not expose pids.
 */
export function serviceProcesses(appIds: readonly AppId[], parentPid = process.pid): ServiceProcessInfo[] {
  const found: ServiceProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      continue; // exited while we looked
    }
    // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may contain spaces.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid !== parentPid) continue;
    const appId = appIds.find((id) => cmdline.includes(`/${id}/src/main.`));
    if (appId) found.push({ appId, pid: Number(entry) });
  }
  return found;
}

/** Resident set size of a process in MiB (VmRSS from /proc/<pid>/status). */
export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}
