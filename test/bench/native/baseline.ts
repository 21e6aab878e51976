// The native baseline (src/main.rs here): built with cargo offline against the crates that
// Debian's librust-serde-json-dev and librust-blake3-dev install, then run as a child
// process. Where cargo or those crates are missing it says why instead, and callers print
// "not measured" (the bench) or skip (the test).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
/** Where Debian's librust-*-dev packages put their crate sources (.cargo/config.toml names it too). */
const DEBIAN_CRATES = '/usr/share/cargo/registry';
const BINARY = join(dir, 'target', 'release', 'mpl-native-hash');

export type NativeBuild = { readonly binary: string } | { readonly missing: string };

function findCargo(): string | undefined {
  const candidates = [process.env.CARGO, 'cargo', join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'cargo')];
  return candidates.find((cargo) => cargo !== undefined && spawnSync(cargo, ['--version'], { stdio: 'ignore' }).status === 0);
}

let built: NativeBuild | undefined;

/** Builds the native program once per process (cargo skips it when nothing changed). */
export function buildNative(): NativeBuild {
  built ??= build();
  return built;
}

function build(): NativeBuild {
  const cargo = findCargo();
  if (cargo === undefined) return { missing: 'no Rust toolchain (cargo) on this machine' };
  const crates = existsSync(DEBIAN_CRATES) ? readdirSync(DEBIAN_CRATES) : [];
  const absent = ['serde_json-1.', 'blake3-1.'].filter((prefix) => !crates.some((c) => c.startsWith(prefix)));
  if (absent.length) {
    return { missing: `the Debian crates are not installed (apt-get install librust-serde-json-dev librust-blake3-dev; ${absent.map((a) => a.slice(0, -3)).join(', ')} absent from ${DEBIAN_CRATES})` };
  }
  const result = spawnSync(cargo, ['build', '--release', '--offline', '--quiet'], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cargo build of the native baseline failed:\n${result.stderr}`);
  return { binary: BINARY };
}

/** The native program's canonical text and hash of each JSON text. */
export function nativeHashes(binary: string, jsonTexts: readonly string[]): Array<{ canonical: string; hash: string }> {
  // One text a line: a JSON text's line breaks are whitespace between tokens (never inside a string).
  const input = jsonTexts.map((text) => text.replace(/[\r\n]/g, ' ')).join('\n') + '\n';
  const out = execFileSync(binary, ['vectors'], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\n').slice(0, jsonTexts.length).map((line) => {
    const tab = line.lastIndexOf('\t');
    return { canonical: line.slice(0, tab), hash: line.slice(tab + 1) };
  });
}

export interface NativeTiming {
  readonly nsPerCall: number;
  readonly hash: string;
  /** What the program timed: its process's CPU time, or wall-clock time where it cannot read that. */
  readonly clock: 'cpu' | 'wall';
}

/**
 * Times the native semantic hash of each payload file for about `ms` each, in one child
 * process: the whole of it, or (`step: 'blake3'`) its last step alone, BLAKE3 of the canonical
 * bytes (made before the clock starts) and its hex; `hash` is then `b3:` and that hex.
 */
export function timeNative(binary: string, ms: number, files: readonly string[], step: 'whole' | 'blake3' = 'whole'): NativeTiming[] {
  const out = execFileSync(binary, [step === 'whole' ? 'time' : 'blake3', String(ms), ...files], { encoding: 'utf8' });
  return out.trim().split('\n').map((line) => {
    const [, , ns, hash, , clock] = line.split('\t'); // name, canonical bytes, ns per call, hash, checksum, clock
    if (clock !== 'cpu' && clock !== 'wall') throw new Error(`the native program printed no clock: ${JSON.stringify(line)}`);
    return { nsPerCall: Number(ns), hash: hash!, clock };
  });
}
