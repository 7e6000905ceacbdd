// The reading of a subscriber's answer: dapr v1.18.3 pkg/runtime/subscription/postman/http/http.go.
export type DeliveryVerdict = "success" | "retry" | "drop";

/** Dapr's reading of a subscriber's answer: 2xx + SUCCESS/empty → done, 404 or DROP → dead letter, else retry. */
export function verdictOf(status: number, body: string): DeliveryVerdict {
  if (status === 404) return "drop";
  if (status < 200 || status >= 300) return "retry";
  if (body.trim() === "") return "success";
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return "success"; // Dapr skips the status check when a 2xx body is not JSON
  }
  const reported = typeof parsed === "object" && parsed !== null ? (parsed as { status?: unknown }).status : undefined;
  if (reported === undefined || reported === null || reported === "" || reported === "SUCCESS") return "success";
  if (reported === "DROP") return "drop";
  return "retry"; // RETRY, or a status Dapr does not know
}
