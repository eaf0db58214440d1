/** The kernelspec's name: the notebooks' metadata and the release name it. */
export const KERNEL_NAME: string;
/** What JupyterLab's launcher and status bar call it. */
export const KERNEL_DISPLAY_NAME: string;
/** The kernel's environment in the kernelspec: polling file watches for its TypeScript service. */
export const KERNEL_ENV: Record<string, string>;
/** JupyterLab defaults set-up writes for the checkout (plugin id -> settings). */
export const LAB_DEFAULTS: Record<string, Record<string, unknown>>;

/** The compiled kernel the kernelspec starts. */
export function kernelMain(root: string): string;

/** The kernel.json set-up writes. Typed for the TypeScript tests that import it. */
export function kernelSpec(
  root: string,
  node?: string,
): { argv: string[]; display_name: string; language: string; interrupt_mode: string; env: Record<string, string>; metadata: Record<string, unknown> };

/** Registers the kernelspec and JupyterLab's defaults; returns set-up's one-line report. */
export function registerKernel(options: { root: string; dataDir: string; configDir: string; node?: string }): string;
