/**
 * PIDs of the live processes whose environment holds `name=value`, except this process
 * (Linux /proc; empty elsewhere). Typed for the TypeScript scripts and tests that import it.
 */
export function markedProcesses(name: string, value: string): number[];

/** The command line of a live process (arguments joined by spaces), '' when it is gone. */
export function processCommand(pid: number): string;
