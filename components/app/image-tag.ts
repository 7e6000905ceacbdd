import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/**
 * Content-hash image tags: the tag of a service's image is the hash of everything its build reads, so
 * an unchanged service keeps its tag — no rebuild, no rollout.
 */

/** Files at the root of `services/` that every image build reads. */
export const SHARED_BUILD_FILES = ["Dockerfile", ".dockerignore", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];
/** Folders every image build reads besides the service's own. */
export const SHARED_BUILD_DIRS = ["contracts", "shared"];
/** Path segments that never reach an image (kept in step with services/.dockerignore). */
export const EXCLUDED_SEGMENTS = new Set(["node_modules", "dist", "test", "web-dist", ".data", "coverage"]);

export interface InputFile {
  /** Path relative to `services/`, with `/` separators. */
  path: string;
  content: Buffer | string;
}

/** 12 hex digits of SHA-256 over the sorted (path, content) pairs: stable across machines and file order. */
export function contentTag(files: readonly InputFile[]): string {
  const hash = createHash("sha256");
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(f.path).update("\0").update(f.content).update("\0");
  }
  return hash.digest("hex").slice(0, 12);
}

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(dir).sort()) {
    if (EXCLUDED_SEGMENTS.has(entry)) continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) walk(root, p, out);
    else out.push(relative(root, p).split(sep).join("/"));
  }
}

/** The files one service's image is built from: its folder, the shared library and the build files. */
export function serviceBuildInputs(servicesDir: string, service: string): InputFile[] {
  const paths: string[] = [];
  for (const dir of [service, ...SHARED_BUILD_DIRS]) walk(servicesDir, join(servicesDir, dir), paths);
  for (const file of SHARED_BUILD_FILES) {
    try {
      if (statSync(join(servicesDir, file)).isFile()) paths.push(file);
    } catch {
      // optional build file (e.g. no .dockerignore yet)
    }
  }
  return paths.map((path) => ({ path, content: readFileSync(join(servicesDir, path)) }));
}

export function serviceImageTag(servicesDir: string, service: string): string {
  return contentTag(serviceBuildInputs(servicesDir, service));
}
