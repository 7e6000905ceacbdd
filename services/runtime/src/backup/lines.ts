/**
 * Splits a byte stream into lines (without the `\n`), holding at most one line in memory: a table's
 * rows stream through one row at a time, never the whole table. A line longer than `maxLineBytes`
 * stops the read — a corrupt or hostile file must not grow the buffer without bound.
 * Splitting bytes on 0x0A is safe for UTF-8: that byte never occurs inside a multi-byte character.
 */
export async function* readLines(source: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let pendingBytes = 0;
  for await (const raw of source) {
    const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      if (pendingBytes + nl - start > maxLineBytes) throw new LineTooLongError(maxLineBytes);
      const piece = chunk.subarray(start, nl);
      const line = parts.length === 0 ? piece : Buffer.concat([...parts, piece]);
      parts = [];
      pendingBytes = 0;
      start = nl + 1;
      yield line.toString("utf8");
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) throw new LineTooLongError(maxLineBytes);
      parts.push(chunk.subarray(start));
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(parts).toString("utf8"); // no final newline: the caller's format check decides
}

export class LineTooLongError extends Error {
  override name = "LineTooLongError";
  constructor(maxLineBytes: number) {
    super(`a line of the backup is longer than ${maxLineBytes} bytes: the file is corrupt`);
  }
}
