#!/usr/bin/env node
// After `tsc -b tsconfig.build.json`: make the compiled contracts a package the compiled services resolve
// by name. tsc writes them to <dist>/contracts/src/*.js, but @todo/contracts's package.json exports the
// TypeScript sources (for tsx, Vite, ts-node and tsc); plain `node` on <dist>/… must get the .js. Node
// looks for node_modules beside the importing file first (<dist>/node_modules before services/node_modules),
// so <dist>/node_modules/@todo/contracts → <dist>/contracts, with a package.json that exports ./src/*.js.
// Used by `npm run build` and by the Dockerfile, so the image resolves exactly as `npm start` does.
// Usage: node contracts/link-compiled.mjs [<dist dir>]   (default: dist, relative to the working dir)
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const dist = resolve(process.argv[2] ?? "dist");
const source = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "package.json"), "utf8"));
const compiled = { name: source.name, version: source.version, private: true, exports: { "./*": "./src/*.js" } };
writeFileSync(join(dist, "contracts", "package.json"), `${JSON.stringify(compiled, null, 2)}\n`);
const link = join(dist, "node_modules", "@todo", "contracts");
mkdirSync(dirname(link), { recursive: true });
rmSync(link, { recursive: true, force: true });
// "junction" makes this work on Windows without symlink rights; POSIX ignores the type.
symlinkSync(process.platform === "win32" ? join(dist, "contracts") : "../../contracts", link, "junction");
