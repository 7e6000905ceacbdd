import { createReadStream, createWriteStream, renameSync, rmSync } from "node:fs";
import { finished } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import pg from "pg";
import { dumpDatabase } from "./dump";
import type { BackupHeader } from "./format";
import { readLines } from "./lines";
import { loadDatabase, MAX_LINE_BYTES } from "./load";
import type { Progress } from "./progress";

/**
 * `npm run backup`: the dump, gzip-compressed, into `file`. Written to `<file>.partial` (mode 0600: it
 * holds password hashes) and renamed only once complete, so a file under the asked name is always a
 * whole backup.
 */
export async function backupToFile(databaseUrl: string, file: string, onProgress: (p: Progress) => void): Promise<{ header: BackupHeader; bytes: number }> {
  const partial = `${file}.partial`;
  const output = createWriteStream(partial, { mode: 0o600 });
  const gzip = createGzip({ level: 6 });
  gzip.pipe(output);
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const header = await dumpDatabase(client, gzip, onProgress, () => output.bytesWritten);
    gzip.end();
    await finished(output);
    renameSync(partial, file);
    return { header, bytes: output.bytesWritten };
  } catch (err) {
    gzip.destroy();
    output.destroy();
    rmSync(partial, { force: true });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `npm run restore`: a file written by backupToFile into the (empty) database at `databaseUrl`. */
export async function restoreFromFile(databaseUrl: string, file: string, onProgress: (p: Progress) => void): Promise<BackupHeader> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.pipe(gunzip);
  input.on("error", (err) => gunzip.destroy(err));
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    return await loadDatabase(client, databaseUrl, readLines(gunzip, MAX_LINE_BYTES), onProgress, () => input.bytesRead);
  } finally {
    input.destroy();
    await client.end().catch(() => undefined);
  }
}
