import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeAccess } from './probe_access';

const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];

describe('probeAccess(prefix, needs) checks paths as the sandbox user', () => {
  it('probeAccess([], needs) as this user: an existing folder passes, a missing one is ENOENT', () => {
    const r = probeAccess([], [{ path: os.tmpdir(), kind: 'dir' }, { path: '/nonexistent/clab', kind: 'dir' }]);
    assert.equal(r.ran, true);
    assert.deepEqual(r.denied, [{ path: '/nonexistent/clab', kind: 'dir', code: 'ENOENT' }]);
  });

  it('a wrapper that cannot start Node gives ran: false and its first error line', () => {
    const r = probeAccess(['/nonexistent/wrapper'], []);
    assert.equal(r.ran, false);
    assert.match(r.startError, /ENOENT|nonexistent/);
  });

  it('as root through setpriv to nobody: a file under a 0700 folder is EACCES, the same file under a 0755 folder is readable', function () {
    if (process.getuid?.() !== 0) this.skip();
    const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-probe-'));
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-probe-'));
    try {
      fs.chmodSync(open, 0o755);
      for (const d of [closed, open]) fs.writeFileSync(path.join(d, 'f.js'), 'x', { mode: 0o644 });
      const r = probeAccess(AS_NOBODY, [{ path: path.join(closed, 'f.js'), kind: 'file' }, { path: path.join(open, 'f.js'), kind: 'file' }]);
      assert.equal(r.ran, true, r.startError);
      assert.deepEqual(r.denied, [{ path: path.join(closed, 'f.js'), kind: 'file', code: 'EACCES' }]);
    } finally {
      fs.rmSync(closed, { recursive: true, force: true });
      fs.rmSync(open, { recursive: true, force: true });
    }
  });
});
