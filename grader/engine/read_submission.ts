import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { SubmissionError } from '../exit_codes';

/** A submission's exercise files, read by the trusted parent. */
export interface Submission {
  /** Exercise file name (e.g. `ex01-triplet.ts`) -> source text. */
  files: Map<string, string>;
  /** Problems found while reading (symlinks refused, oversized files, ...). */
  warnings: string[];
}

const MAX_FILE = 1024 * 1024;
const MAX_ZIP = 50 * 1024 * 1024;

/**
 * Reads the wanted exercise files from a folder or a .zip. A file is looked for under
 * `exercises/` first, then anywhere (shallowest wins). Symbolic links are refused (a link to
 * solutions/ must not be graded as the student's own file), and so are files over 1 MB.
 * @param source a folder or a .zip file
 * @param wanted file names, e.g. ['ex01-triplet.ts']
 * @param st its lstat, when {@link statSubmission} took it already
 */
export function readSubmission(source: string, wanted: string[], st: fs.Stats = statSubmission(source)): Submission {
  if (st.isSymbolicLink()) throw new SubmissionError(`${source} is a symbolic link; give the real folder or zip`);
  const candidates = new Map<string, Array<{ rel: string; read: () => string | null }>>();
  const warnings: string[] = [];
  const add = (rel: string, read: () => string | null): void => {
    const base = rel.split(/[\\/]/).pop() ?? rel;
    if (!wanted.includes(base)) return;
    const list = candidates.get(base) ?? [];
    list.push({ rel, read });
    candidates.set(base, list);
  };
  if (st.isDirectory()) {
    const walk = (rel: string, depth: number): void => {
      if (depth > 6) return;
      for (const e of fs.readdirSync(path.join(source, rel), { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name.startsWith('.git')) continue;
        const r = path.join(rel, e.name);
        if (e.isSymbolicLink()) {
          if (wanted.includes(e.name)) warnings.push(`${r} is a symbolic link and was ignored: submit the file itself`);
          continue;
        }
        if (e.isDirectory()) walk(r, depth + 1);
        else if (e.isFile()) {
          add(r, () => {
            const full = path.join(source, r);
            if (fs.lstatSync(full).size > MAX_FILE) {
              warnings.push(`${r} is larger than 1 MB and was ignored`);
              return null;
            }
            return fs.readFileSync(full, 'utf8');
          });
        }
      }
    };
    try {
      walk('', 0);
    } catch (e) {
      throw new SubmissionError(`${source} could not be read: ${(e as Error).message}`);
    }
  } else if (source.toLowerCase().endsWith('.zip')) {
    if (st.size > MAX_ZIP) throw new SubmissionError(`${source} is larger than 50 MB`);
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(fs.readFileSync(source), {
        filter: (f) => wanted.includes(f.name.split('/').pop() ?? '') && f.originalSize <= MAX_FILE,
      });
    } catch (e) {
      throw new SubmissionError(`${source} is not a readable zip file (${(e as Error).message})`);
    }
    for (const [name, bytes] of Object.entries(entries)) {
      if (name.split('/').includes('..')) continue;
      add(name, () => Buffer.from(bytes).toString('utf8'));
    }
  } else {
    throw new SubmissionError(`${source} is neither a folder nor a .zip file`);
  }
  const files = new Map<string, string>();
  for (const [base, list] of candidates) {
    list.sort((a, b) => score(a.rel) - score(b.rel));
    let text: string | null;
    try {
      text = list[0].read();
    } catch (e) {
      throw new SubmissionError(`${source}: ${list[0].rel} could not be read: ${(e as Error).message}`);
    }
    if (text !== null) files.set(base, text);
  }
  return { files, warnings };
}

function score(rel: string): number {
  const parts = rel.split(/[\\/]/);
  return (parts.includes('exercises') ? 0 : 100) + parts.length;
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
