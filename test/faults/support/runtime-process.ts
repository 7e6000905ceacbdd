// The local runtime as a separate process, so a test can SIGKILL it: prints READY_MARKER + a JSON line
// with its URLs once ready. Run with tsx; DATA_DIR must be set (the data survives the process).
import { startLocalRuntime } from "#services/local-runtime";

export const READY_MARKER = "runtime-process ready ";

async function main(): Promise<void> {
  const dataDir = process.env.DATA_DIR;
  if (!dataDir) throw new Error("DATA_DIR is required");
  const runtime = await startLocalRuntime({ port: 0, dataDir, output: "silent", logLevel: "warn", services: ["backend", "event-processor"], readyTimeoutMs: 150_000 });
  // The runtime's own log lines share stdout: the marker says which line is this one.
  process.stdout.write(`${READY_MARKER}${JSON.stringify({ url: runtime.url, databaseUrl: runtime.databaseUrl })}\n`);
  process.once("SIGTERM", () => void runtime.stop().then(() => process.exit(0)));
}

if (require.main === module) main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
