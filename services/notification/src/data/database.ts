/**
 * The service's connection string with the search path set to its own schema, so unqualified names
 * (including the shared `processed_events` used by oncePerEvent) resolve to this service's tables.
 */
export function schemaDatabaseUrl(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
