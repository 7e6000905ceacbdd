import { isIPv6 } from "node:net";
import type { Request } from "express";

/**
 * The client address a per-address limit counts against. `req.ip` honours `X-Forwarded-For` only from the
 * proxies `createServiceApp` trusts (loopback and private ranges: the gateway of `npm start`, the
 * cluster's ingress controller), and both of those replace whatever X-Forwarded-For the client sent, so a
 * client cannot rotate it. IPv6 clients are counted per /64: one host usually owns a whole /64 and could
 * otherwise take a fresh address for every request.
 */
export function clientAddress(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? "unknown";
  return addressKey(ip);
}

export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = "", tail = ""] = ip.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = ip.includes("::") && tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
