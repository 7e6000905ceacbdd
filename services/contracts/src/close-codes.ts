/**
 * WebSocket close codes the websocket service sends and the web page reacts to. 1000–1015 are RFC 6455
 * §7.4.1's; 4000–4999 are for applications (RFC 6455 §7.4.2).
 */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** The token expired: the page signs in again instead of reconnecting. */
export const CLOSE_TOKEN_EXPIRED = 4001;
/** One socket more than a user may hold (a few tabs and devices). */
export const CLOSE_TOO_MANY_CONNECTIONS = 4029;
/**
 * The account was deleted: the same code as an expired token, because the page's answer to it — stop
 * reconnecting and show the sign-in — is the right one (the token no longer names an account).
 */
export const CLOSE_ACCOUNT_DELETED = CLOSE_TOKEN_EXPIRED;
