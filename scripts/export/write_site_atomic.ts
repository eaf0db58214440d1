// Replaces a whole site folder at once: the new site is written next to it, then swapped in by
// renames. A failed or interrupted export leaves the previous site as it was; a folder the
// export did not write (no site.json of ours) is never replaced.
import fs from 'node:fs';
import path from 'node:path';

/** The manifest file every exported site holds; its `format` marks a folder as ours. */
export const SITE_MANIFEST = 'site.json';
/** The `format` of {@link SITE_MANIFEST}; bump it when the site's layout changes. */
export const SITE_FORMAT = 'clab-site@1';

function isOurs(dir: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, SITE_MANIFEST), 'utf8')) as { format?: unknown }).format === SITE_FORMAT;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `<site>.tmp-<pid>` / `<site>.old-<pid>` folders left by exports that were killed. */
function removeLeftovers(outDir: string): void {
  const base = path.basename(outDir);
  const parent = path.dirname(outDir);
  for (const name of fs.readdirSync(parent)) {
    const m = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:tmp|old)-(\\d+)-\\d+$`).exec(name);
    if (m !== null && !alive(Number(m[1]))) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Writes `files` (relative path -> content) as the folder `outDir`, replacing the site there.
 * @param outDir the site folder, e.g. out/site; its parent is created when missing
 * @param files every file of the new site, `site.json` (with format 'clab-site@1') among them
 * @throws when `outDir` exists, is not empty and was not written by the export, naming it and the fix
 * @example writeSiteAtomic('out/site', {'index.html': html, 'site.json': JSON.stringify({format: SITE_FORMAT})});
 */
export function writeSiteAtomic(outDir: string, files: Record<string, string | Buffer>): void {
  const target = path.resolve(outDir);
  const manifest = files[SITE_MANIFEST];
  if (manifest === undefined || (JSON.parse(String(manifest)) as { format?: unknown }).format !== SITE_FORMAT) {
    throw new Error(`writeSiteAtomic: files must include ${SITE_MANIFEST} with format '${SITE_FORMAT}' (it marks the folder as an exported site)`);
  }
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new Error(`writeSiteAtomic: ${target} is a file, not a site folder; choose another --out`);
    if (fs.readdirSync(target).length > 0 && !isOurs(target)) {
      throw new Error(`writeSiteAtomic: ${target} holds files the export did not write (no ${SITE_MANIFEST} of an exported site); it is left alone: choose another --out, or move it away yourself`);
    }
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  removeLeftovers(target);
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = `${target}.tmp-${stamp}`;
  const old = `${target}.old-${stamp}`;
  try {
    fs.mkdirSync(tmp);
    for (const [rel, content] of Object.entries(files)) {
      const file = path.resolve(tmp, rel);
      if (!file.startsWith(tmp + path.sep)) throw new Error(`writeSiteAtomic: file name ${JSON.stringify(rel)} leaves the site folder`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    // Pages are read by web servers and other users too (umask permitting).
    fs.chmodSync(tmp, 0o755);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const hadOld = fs.existsSync(target);
  if (hadOld) fs.renameSync(target, old);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    if (hadOld) fs.renameSync(old, target);
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (hadOld) fs.rmSync(old, { recursive: true, force: true });
}
