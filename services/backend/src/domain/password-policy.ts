/** The rule, as users are told it. */
export const PASSWORD_RULE =
  "password must be 10 to 200 characters and mix at least two of: lower-case letters, upper-case letters, digits, other characters";

/** Returns why a password is too weak, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < 10 || length > 200) return PASSWORD_RULE;
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((c) => c.test(password)).length;
  return classes >= 2 ? null : PASSWORD_RULE;
}
