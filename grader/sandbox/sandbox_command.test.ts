import assert from 'node:assert/strict';
import { resetSandboxCommandCache, sandboxCommand } from './sandbox_command';

describe('sandboxCommand(memoryMb) detects the OS wrappers and reports what it could not enforce', () => {
  afterEach(() => {
    delete process.env.CLAB_SANDBOX_NO_NETNS;
    resetSandboxCommandCache();
  });

  it('sandboxCommand(256) always reports the permission model and a V8 heap cap of 256 MB', () => {
    const c = sandboxCommand(256);
    assert.equal(c.isolation.permissionModel, true);
    assert.match(c.isolation.memory, /V8 heap <= 256 MB/);
    assert.equal(c.isolation.networkIsolated, c.prefix.includes('unshare'));
  });

  it('with the network namespace disabled the report says "NOT isolated" instead of staying silent', () => {
    process.env.CLAB_SANDBOX_NO_NETNS = '1';
    resetSandboxCommandCache();
    const c = sandboxCommand(256);
    assert.equal(c.isolation.networkIsolated, false);
    assert.match(c.isolation.network, /^NOT isolated/);
    assert.equal(c.prefix.includes('unshare'), false);
  });
});
