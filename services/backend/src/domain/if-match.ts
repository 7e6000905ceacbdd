/** `If-Match` against a task version: `"3"`, `W/"3"`, a list, or `*`. Absent means "no precondition". */
export type IfMatch = { kind: "any" } | { kind: "versions"; versions: number[] };

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Returns null for an absent header and throws a message for a malformed one. */
export function parseIfMatch(header: string | undefined): IfMatch | null {
  if (header === undefined) return null;
  const text = header.trim();
  if (text === "*") return { kind: "any" };
  const versions: number[] = [];
  for (const part of text.split(",")) {
    const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(part);
    if (!m) throw new Error('If-Match must be "*" or entity tags like "3"');
    versions.push(Number(m[1]));
  }
  return { kind: "versions", versions };
}

export function satisfies(ifMatch: IfMatch | null, version: number): boolean {
  return ifMatch === null || ifMatch.kind === "any" || ifMatch.versions.includes(version);
}
