import type { Response } from "express";

/** Dapr's error body: `{"errorCode": "ERR_…", "message": "…"}` (what the SDKs and our clients read). */
export function sendDaprError(res: Response, status: number, errorCode: string, message: string): void {
  res.status(status).json({ errorCode, message });
}
