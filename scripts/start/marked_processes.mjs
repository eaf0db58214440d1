// Finds the processes a Jupyter server left behind, by an environment variable they all inherit.
//
// start.mjs puts a marker (CLAB_JUPYTER_SERVER=<unique id>) into the server's environment; the
// kernels it starts, and their children, inherit it. After the server stopped, any process still
// carrying the marker is a kernel it failed to shut down (re-parented to PID 1), and is killed.
// Linux only (it reads /proc/<pid>/environ); elsewhere it finds nothing and Jupyter's own
// shutdown is all there is.
import fs from 'node:fs';

/**
 * PIDs of the live processes whose environment holds `name=value`, except this process.
 * @param {string} name environment variable name, e.g. 'CLAB_JUPYTER_SERVER'
 * @param {string} value its exact value
 * @returns {number[]} PIDs (empty when /proc is not there)
 * @example for (const pid of markedProcesses('CLAB_JUPYTER_SERVER', id)) process.kill(pid, 'SIGKILL');
 */
export function markedProcesses(name, value) {
  const needle = Buffer.from(`${name}=${value}\0`);
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const found = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      // environ starts with a variable, so a leading NUL-less match is possible only at offset 0.
      const environ = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${entry}/environ`)]);
      if (environ.includes(Buffer.concat([Buffer.from([0]), needle]))) found.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

/**
 * The command line of a live process, its arguments joined by spaces; '' when it is gone (or not
 * ours to read) by the time it is asked, which happens between listing processes and reading them.
 * @param {number} pid
 * @returns {string}
 * @example markedProcesses(name, id).filter((pid) => /dist\/kernel\/main\.js/.test(processCommand(pid)))
 */
export function processCommand(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
