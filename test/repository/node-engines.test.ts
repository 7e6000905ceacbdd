import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

type Version = [number, number, number];

const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v.split(".").map(Number);
  return [a, b, c];
};
const compare = (x: Version, y: Version) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/**
 * Whether `version` satisfies an npm `engines` range, for the grammar found in lock files: `||`-joined
 * sets of space-joined comparators (`>=`, `>`, `<=`, `<`, `=`, `^`, `~`, or a bare/partial version such
 * as `20`, `6.*`, `>= 10.*`). Small on purpose: what `npm ci` prints as EBADENGINE is this same check.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split("||").some((set) => {
    const parts = set.trim().replace(/([<>=^~]+)\s+/g, "$1").split(/\s+/).filter(Boolean);
    return parts.every((part) => {
      const m = /^([<>]=?|=|\^|~)?v?(\d+|[x*])(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?$/.exec(part);
      if (!m) throw new Error(`unparsed engines range ${JSON.stringify(range)}`);
      const [, op = "", ...raw] = m;
      const given = raw.filter((p) => p !== undefined && p !== "x" && p !== "*").length;
      const base = parse(raw.slice(0, given).join("."));
      const upperOf = (index: number): Version => (index === 0 ? [base[0] + 1, 0, 0] : index === 1 ? [base[0], base[1] + 1, 0] : [base[0], base[1], base[2] + 1]);
      if (given === 0) return true;
      switch (op) {
        case ">=":
          return compare(v, base) >= 0;
        case ">":
          return given < 3 ? compare(v, upperOf(given - 1)) >= 0 : compare(v, base) > 0;
        case "<=":
          return given < 3 ? compare(v, upperOf(given - 1)) < 0 : compare(v, base) <= 0;
        case "<":
          return compare(v, base) < 0;
        case "^": {
          const top = base[0] > 0 || given === 1 ? 0 : base[1] > 0 || given === 2 ? 1 : 2;
          return compare(v, base) >= 0 && compare(v, upperOf(top)) < 0;
        }
        case "~":
          return compare(v, base) >= 0 && compare(v, upperOf(given === 1 ? 0 : 1)) < 0;
        default:
          return compare(v, base) >= 0 && compare(v, upperOf(given - 1)) < 0;
      }
    });
  });
}

interface LockedPackage {
  version?: string;
  cpu?: string[];
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: { node?: string } | string[];
}

/** Every package of a lock file that npm would install and whose `engines.node` refuses the Node version. */
function refusing(lockFile: string, nodeVersion: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, lockFile), "utf8")) as { packages: Record<string, LockedPackage> };
  const entries = Object.entries(lock.packages).filter(([path]) => path !== "");
  // Platform binaries for other CPUs (wasm32-wasi fallbacks) are never installed on x64/arm64 machines,
  // nor are optional packages that only such binaries depend on.
  const forThisCpu = (p: LockedPackage) => !p.cpu || p.cpu.some((c) => c === "x64" || c === "arm64");
  const nameOf = (path: string) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
  const wanted = new Set(entries.filter(([, p]) => forThisCpu(p)).flatMap(([, p]) => Object.keys({ ...p.dependencies, ...p.optionalDependencies })));
  const installed = ([path, p]: [string, LockedPackage]) => forThisCpu(p) && (!p.optional || wanted.has(nameOf(path)));
  return entries
    .filter((e) => installed(e))
    .filter(([, p]) => !Array.isArray(p.engines) && p.engines?.node && !satisfies(nodeVersion, p.engines.node))
    .map(([path, p]) => `${path}@${p.version} wants node ${(p.engines as { node: string }).node}`);
}

describe("Node.js engines: the declared range and the installed dependencies agree (no EBADENGINE)", () => {
  const declared = (JSON.parse(readFileSync(join(root, "services", "package.json"), "utf8")) as { engines: { node: string } }).engines.node;

  it("when engines ranges are read, then they are evaluated as npm does", () => {
    assert.equal(satisfies("20.19.0", ">=22"), false);
    assert.equal(satisfies("22.1.0", ">=22"), true);
    assert.equal(satisfies("20.19.0", "^20.19.0 || >=22.12.0"), true);
    assert.equal(satisfies("22.11.0", "^20.19.0 || >=22.12.0"), false);
    assert.equal(satisfies("20.19.0", "18 || 20 || >=22"), true);
    assert.equal(satisfies("21.0.0", "20 || >=22"), false);
    assert.equal(satisfies("20.19.0", ">= 0.8"), true);
    assert.equal(satisfies("20.19.0", "6.* || 8.* || >= 10.*"), true);
    assert.equal(satisfies("14.16.0", ">=16 || 14 >=14.17"), false);
    assert.equal(satisfies("20.19.0", "^8.16.0 || ^10.6.0 || >=11.0.0"), true);
  });

  // The services' lock is what `npm ci` (root postinstall), `npm start` and the images install.
  // The floor of `engines`, the 22 LTS line from Vite 8's minimum (rolldown: ^20.19.0 || >=22.12.0), and this machine.
  const floor = parse(declared.replace(/^>=\s*/, "")).join(".");
  for (const node of [floor, "22.12.0", process.versions.node]) {
    it(`when the services' dependencies are installed on Node ${node}, then none of them asks for another Node`, () => {
      assert.equal(satisfies(node, declared), true, `${node} is in ${declared}`);
      assert.deepEqual(refusing("services/package-lock.json", node), []);
    });
  }
});
