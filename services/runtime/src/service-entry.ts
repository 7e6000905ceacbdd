import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { apps, type AppId } from "@todo/contracts/topology";

/**
 * Where the services are and how to start one. Under tsx (this file is TypeScript) a service runs from
 * its sources with `node --import tsx`; compiled (`npm start`), from `services/dist/<id>/src/main.js`.
 */
const compiled = !__filename.endsWith(".ts");
export const servicesRoot = compiled ? resolve(__dirname, "../../..") : resolve(__dirname, "../..");

/** Every app in topology.ts whose `services/<id>/src/main.ts` exists. */
export function discoverServices(): AppId[] {
  return apps.map((a) => a.id).filter((id) => existsSync(join(servicesRoot, id, "src", "main.ts")));
}

export function serviceCommand(appId: AppId): { command: string; args: string[]; cwd: string } {
  if (compiled) {
    const main = join(servicesRoot, "dist", appId, "src", "main.js");
    if (!existsSync(main)) throw new Error(`${main} does not exist: run \`npm run build\` in services/ first`);
    // No --enable-source-maps: it keeps every map in memory (~10 MB per service, measured with
    // process.memoryUsage() after loading the backend), and tsc's output is close enough to the source.
    return { command: process.execPath, args: [main], cwd: servicesRoot };
  }
  // `--import tsx` is resolved from the cwd, which has tsx in node_modules.
  return { command: process.execPath, args: ["--import", "tsx", join(servicesRoot, appId, "src", "main.ts")], cwd: servicesRoot };
}
