import * as fs from 'node:fs';
import * as path from 'node:path';
import { SubmissionError } from '../exit_codes';
import { formatBytes, readZipDirectory, ZIP_LIMITS, type ZipEntry } from './zip_directory';
import { zipEntryBytes } from './zip_entry_bytes';

/** A submission's exercise files, read by the trusted parent. */
export interface Submission {
  /** Exercise file name (e.g. `ex01-triplet.ts`) -> source text. */
  files: Map<string, string>;
  /** Problems found while reading (symlinks refused, oversized files, ...). */
  warnings: string[];
  /**
   * Exercise files that were found but not read, and why (too large, a symbolic link): the
   * exercise's feedback says this instead of "missing from the submission".
   */
  unread?: Map<string, string>;
}

/** Largest exercise file that is read (a course exercise is a few KB). */
export const MAX_EXERCISE_FILE = 1024 * 1024;

/** Folders never searched: installed packages, git's own files, macOS Finder's resource forks. */
const SKIPPED_FOLDER = (name: string): boolean => name === 'node_modules' || name.startsWith('.git') || name === '__MACOSX';
/** Folders deeper than this are not searched (folder or zip alike). */
const MAX_DEPTH = 6;

/** One copy of a wanted file: its path in the submission, size, and how to read it. */
interface Candidate {
  rel: string;
  size: number;
  read: () => Buffer;
}

/**
 * Reads the wanted exercise files from a folder or a .zip. A file is looked for under
 * `exercises/` first, then anywhere (shallowest wins; at equal depth the first path in code
 * point order, with a warning naming the copy graded). Folders named node_modules, `.git*` or
 * `__MACOSX` and folders deeper than 6 levels are not searched. Symbolic links are refused (a
 * link to solutions/ must not be graded as the student's own file), and so are files over 1 MB.
 *
 * A zip is checked whole before anything is inflated (see readZipDirectory: size, entry count,
 * declared sizes, overlapping entries, local headers), names written with backslashes
 * (Windows PowerShell 5.1) read as folders, and only the one chosen copy of each wanted file
 * is inflated, capped at its declared size. An entry with an unsafe name (absolute, `..`, a
 * drive letter, NUL) is ignored with a warning. A chosen file that appears more than once at
 * the same path (or at paths that differ only in case) makes the archive ambiguous: refused.
 * @param source a folder or a .zip file
 * @param wanted file names, e.g. ['ex01-triplet.ts']
 * @param st its lstat, when {@link statSubmission} took it already
 * @throws SubmissionError (exit 3) naming the source and the reason when it cannot be read or is refused
 */
export function readSubmission(source: string, wanted: string[], st: fs.Stats = statSubmission(source)): Submission {
  const opened = openSubmission(source, st);
  const found = new Map<string, Candidate[]>();
  const warnings: string[] = [];
  const unread = new Map<string, string>();
  const add = (rel: string, c: Candidate): void => {
    const base = rel.split('/').pop() ?? rel;
    if (!wanted.includes(base)) return;
    found.set(base, [...(found.get(base) ?? []), c]);
  };
  const linked = (rel: string): void => {
    const base = rel.split('/').pop() ?? rel;
    if (!wanted.includes(base)) return;
    warnings.push(`${rel} is a symbolic link and was ignored: submit the file itself`);
    unread.set(base, `${base} is a symbolic link (${rel}), which is not graded: submit the file itself.`);
  };
  if (opened.kind === 'folder') {
    const walk = (rel: string, depth: number): void => {
      if (depth > MAX_DEPTH) return;
      for (const e of fs.readdirSync(path.join(source, rel), { withFileTypes: true })) {
        const r = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isSymbolicLink()) linked(r);
        else if (e.isDirectory()) {
          if (!SKIPPED_FOLDER(e.name)) walk(r, depth + 1);
        } else if (e.isFile()) {
          const full = path.join(source, r);
          add(r, { rel: r, size: fs.lstatSync(full).size, read: () => fs.readFileSync(full) });
        }
      }
    };
    try {
      walk('', 0);
    } catch (e) {
      throw new SubmissionError(`${source} could not be read: ${(e as Error).message}`);
    }
  } else {
    const { buf } = opened;
    for (const e of opened.entries) {
      if (e.kind === 'directory') continue;
      const parts = e.path.split('/');
      if (parts.length - 1 > MAX_DEPTH || parts.slice(0, -1).some(SKIPPED_FOLDER) || !wanted.includes(parts[parts.length - 1])) continue;
      if (e.unsafe !== null) warnings.push(`${JSON.stringify(e.rawName)} in ${source} was ignored: ${e.unsafe}`);
      else if (e.kind === 'symlink') linked(e.path);
      else add(e.path, { rel: e.path, size: e.size, read: () => zipEntryBytes(buf, e, source) });
    }
  }
  const files = new Map<string, string>();
  for (const [base, list] of found) {
    const chosen = choose(base, list, opened.kind === 'zip', source, warnings);
    unread.delete(base);
    if (chosen.size > MAX_EXERCISE_FILE) {
      unread.set(base, `${base} is too large: ${formatBytes(chosen.size)}, the limit for an exercise file is ${formatBytes(MAX_EXERCISE_FILE)} (${chosen.rel}), so none of its tests ran.`);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = chosen.read();
    } catch (e) {
      if (e instanceof SubmissionError) throw e;
      throw new SubmissionError(`${source}: ${chosen.rel} could not be read: ${(e as Error).message}`);
    }
    files.set(base, bytes.toString('utf8'));
  }
  return { files, warnings, unread };
}

/**
 * Reads a submission once before the slow start (freezing the specs, proving the sandbox), so a
 * mistyped path, a broken zip or a refused one fails at once: everything {@link readSubmission}
 * refuses, it refuses (with `wanted` empty: what the zip's central directory alone tells).
 * @param wanted the exercise file names (see exerciseFileNames)
 * @throws SubmissionError (exit 3) naming the source and the reason
 */
export function precheckSubmission(source: string, wanted: string[], st: fs.Stats = statSubmission(source)): void {
  readSubmission(source, wanted, st);
}

type Opened = { kind: 'folder' } | { kind: 'zip'; buf: Buffer; entries: ZipEntry[] };

function openSubmission(source: string, st: fs.Stats): Opened {
  if (st.isSymbolicLink()) throw new SubmissionError(`${source} is a symbolic link; give the real folder or zip`);
  if (st.isDirectory()) return { kind: 'folder' };
  if (!source.toLowerCase().endsWith('.zip')) throw new SubmissionError(`${source} is neither a folder nor a .zip file`);
  if (st.size > ZIP_LIMITS.archiveBytes) throw new SubmissionError(`${source}: too large: ${formatBytes(st.size)}, the limit is ${formatBytes(ZIP_LIMITS.archiveBytes)}`);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(source);
  } catch (e) {
    throw new SubmissionError(`${source} could not be read: ${(e as Error).message}`);
  }
  return { kind: 'zip', buf, entries: readZipDirectory(buf, source) };
}

/** Folders named exercises first, then the shallowest. */
function rank(rel: string): number {
  const parts = rel.split('/');
  return (parts.slice(0, -1).some((p) => p.toLowerCase() === 'exercises') ? 0 : 100) + parts.length;
}

/**
 * The copy of `base` to grade: the best ranked; at a tie, the first path in code point order
 * with a warning that names it. In a zip, the same path twice (or twice up to case, which one
 * file on Windows and macOS) is refused: unzip tools disagree on which copy is the file.
 */
function choose(base: string, list: Candidate[], fromZip: boolean, source: string, warnings: string[]): Candidate {
  const best = Math.min(...list.map((c) => rank(c.rel)));
  const top = list.filter((c) => rank(c.rel) === best).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  if (top.length === 1) return top[0];
  if (fromZip) {
    const same = top.filter((c) => c.rel.toLowerCase() === top[0].rel.toLowerCase());
    if (same.length > 1) {
      const paths = [...new Set(same.map((c) => c.rel))];
      const what = paths.length === 1 ? `${paths[0]} appears ${same.length} times` : `${paths.join(' and ')} differ only in case (one file on Windows and macOS)`;
      throw new SubmissionError(`${source}: ${what}; unzip tools disagree on which copy is the file, so make the zip again with one copy`);
    }
  }
  warnings.push(`${base}: ${top.length} copies at the same depth (${top.map((c) => c.rel).join(', ')}); graded ${top[0].rel}`);
  return top[0];
}

/**
 * The lstat of a submission path, or a {@link SubmissionError} that says why it cannot be read
 * (missing, permission denied, ...). Verbs call it before the slow start (freezing the specs),
 * so a mistyped path fails at once, and hand it to {@link readSubmission}.
 * @param source a submission folder or .zip, as the user gave it
 */
export function statSubmission(source: string): fs.Stats {
  try {
    return fs.lstatSync(source);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (e as Error).message})`;
    throw new SubmissionError(`${source} ${why}; give a submission folder or .zip`);
  }
}
