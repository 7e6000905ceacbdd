import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";

/*
 * Ports the local runtime hands out (services, the embedded PostgreSQL, the metrics port) are chosen
 * *below the kernel's ephemeral range*. A port the OS picks for `listen(0)` or for the local end of an
 * outgoing connection always comes from that range (Linux: /proc/sys/net/ipv4/ip_local_port_range), so
 * the sidecars' and gateway's port-0 listeners, the services' own connections and every other process's
 * can never take a port we picked in the window between picking it and the service listening on it.
 * (Picking with listen(0) and closing, as before, left that window open: a sidecar bound next could be
 * handed the same number, and the service then restarted on EADDRINUSE for ever.)
 */

/** [low, high] of the ephemeral range: Linux's from /proc, else IANA's 49152–65535 (macOS, Windows). */
export function ephemeralRange(read: () => string = () => readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")): [number, number] {
  try {
    const [low, high] = read().trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low! > 0 && high! >= low!) return [low!, high!];
  } catch {
    // not Linux
  }
  return [49152, 65535];
}

/** Where we pick from: 10000 up to the ephemeral range; none when that leaves fewer than 1000 ports. */
export function pickRange([low]: [number, number]): [number, number] | undefined {
  const from = 10_000;
  const to = Math.min(low, 65536) - 1;
  return to - from + 1 >= 1000 ? [from, to] : undefined;
}

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(undefined)); // taken (EADDRINUSE) or not ours to take (EACCES)
    srv.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(srv));
  });
}

const close = (srv: Server) => new Promise<void>((r) => srv.close(() => r()));

/**
 * `count` distinct free loopback ports. Each candidate is held open until all are found, so the list
 * has no repeats; they are closed before returning, for the caller's processes to listen on.
 */
export async function reservePorts(count: number, random: () => number = Math.random): Promise<number[]> {
  const range = pickRange(ephemeralRange());
  const held: Server[] = [];
  try {
    for (let attempt = 0; held.length < count; attempt++) {
      if (attempt > 50 * count) throw new Error(`no ${count} free loopback ports found`);
      const port = range ? range[0] + Math.floor(random() * (range[1] - range[0] + 1)) : 0;
      const srv = await listen(port);
      if (srv) held.push(srv);
    }
    return held.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(held.map(close));
  }
}

/** One free loopback port (see reservePorts). */
export async function unusedPort(): Promise<number> {
  return (await reservePorts(1))[0]!;
}
