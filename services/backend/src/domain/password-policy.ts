/** The rule, as users are told it. */
export const PASSWORD_RULE =
  "password must be 10 to 200 characters and mix at least two of: lower-case letters, upper-case letters, digits, other characters";

export const COMMON_PASSWORD =
  "this password is on a list of commonly used and breached passwords (also with digits or symbols added before or after); choose another";

/** Returns why a password is too weak, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < 10 || length > 200) return PASSWORD_RULE;
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((c) => c.test(password)).length;
  if (classes < 2) return PASSWORD_RULE;
  return isCommonPassword(password) ? COMMON_PASSWORD : null;
}

// zxcvbn-ts's list of common passwords (about 49,000 entries from breach corpora, all lower case),
// loaded on the first signup: the package's dictionaries are a few MB an idle backend need not hold.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
    const { dictionary } = require("@zxcvbn-ts/language-common") as typeof import("@zxcvbn-ts/language-common");
    common = new Set(dictionary["passwords-common"]);
  }
  return common;
}

// What people add to a listed password to pass a composition rule: digits, punctuation, spaces.
const PADDING = /^[\p{Nd}\p{P}\p{S}\s]+|[\p{Nd}\p{P}\p{S}\s]+$/gu;

/**
 * OWASP ASVS 2.1.7: refuse passwords from a breached list, offline. Case does not count ("Password1"),
 * nor does compatibility form (NFKC, as hashing does), nor digits/symbols/spaces padded before or after a
 * listed core: `Password1!` → `password`, `qwerty12345` → `qwerty` (or itself: the list has it).
 * Words inside a longer passphrase ("correct horse 42") are not cores, so passphrases stay allowed.
 */
export function isCommonPassword(password: string): boolean {
  const plain = password.normalize("NFKC").toLowerCase();
  const leadingOff = plain.replace(/^[\p{Nd}\p{P}\p{S}\s]+/u, "");
  const trailingOff = plain.replace(/[\p{Nd}\p{P}\p{S}\s]+$/u, "");
  const bothOff = plain.replace(PADDING, "");
  const list = commonPasswords();
  return [plain, leadingOff, trailingOff, bothOff].some((candidate) => candidate.length >= 3 && list.has(candidate));
}
