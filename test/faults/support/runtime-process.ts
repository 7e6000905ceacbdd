// The local runtime as a separate process, so a test can SIGKILL it: prints one JSON line with its
// URLs once ready. Run with tsx; DATA_DIR must be set (the data survives the process).
import { startLocalRuntime } from "../../../services/runtime/src/local-runtime";

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error("DATA_DIR is required");
const runtime = await startLocalRuntime({ port: 0, dataDir, output: "silent", logLevel: "warn", services: ["backend", "event-processor"], readyTimeoutMs: 150_000 });
process.stdout.write(`${JSON.stringify({ url: runtime.url, databaseUrl: runtime.databaseUrl })}\n`);
