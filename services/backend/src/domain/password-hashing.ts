import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

// scrypt with N=2^15, r=8, p=3: one of OWASP's equivalent minimum configurations (same work as
// N=2^17, p=1) at 32 MiB per hash instead of 128 MiB, so concurrent sign-ups fit a small container.
// The parameters are stored with each hash, so they can be raised later without breaking old hashes.
const DEFAULT = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize("NFKC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const memoryFor = (o: { N: number; r: number }) => 256 * o.N * o.r;

/** `scrypt$N=..,r=..,p=..$<salt b64>$<key b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...DEFAULT, maxmem: memoryFor(DEFAULT) });
  return `scrypt$N=${DEFAULT.N},r=${DEFAULT.r},p=${DEFAULT.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

const STORED = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = STORED.exec(stored);
  if (!m) return false;
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // A stored hash names its own cost; a corrupt one must not make one login allocate gigabytes.
  if (params.N > 2 ** 20 || params.r > 32 || params.p > 16) return false;
  const salt = Buffer.from(m[4]!, "base64");
  const expected = Buffer.from(m[5]!, "base64");
  const actual = await scrypt(password, salt, expected.length, { ...params, maxmem: memoryFor(params) });
  return timingSafeEqual(actual, expected);
}

/** A valid hash of a random password: login checks unknown emails against it so both cases take as long. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  return (decoy ??= hashPassword(randomBytes(24).toString("base64")));
}
