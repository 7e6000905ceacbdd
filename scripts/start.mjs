#!/usr/bin/env node
// `npm start`: build the services (incremental tsc + Vite), then run the local runtime IN THIS PROCESS.
// No nested npm or `&&` shell sits between npm and the runtime. Ctrl-C reaches the runtime with the
// terminal's process group; a SIGTERM sent to `npm start` does not (npm 11 kills its `sh -c` without the
// script learning of it), so the runtime also stops when it is orphaned — and stops every process it
// started.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const services = fileURLToPath(new URL("../services", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const build = spawnSync(npm, ["run", "build", "--silent"], { cwd: services, stdio: "inherit" });
if (build.status !== 0) {
  console.error(`building the services failed (exit ${build.status ?? build.signal})`);
  process.exit(build.status ?? 1);
}
const parent = process.ppid;
await import(new URL("../services/dist/runtime/src/main.js", import.meta.url).href);
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
}, 500).unref();
