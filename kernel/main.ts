#!/usr/bin/env node
// The TypeScript kernel's entry point, as its kernelspec starts it:
//
//   node dist/kernel/main.js CONNECTION_FILE
//
// Jupyter writes the connection file (ports, key) and starts the kernel in the notebook's folder.
import fs from 'node:fs';
import path from 'node:path';
import { Kernel, PROTOCOL_VERSION, toolVersions } from './kernel';
import { readConnectionFile } from './wire';

/** The folder above this file that holds package.json: the project (from kernel/ or dist/kernel/). */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..');
  }
}

/** The kernel_info_reply content: what compiles the cells, and where to read about it. */
export function kernelInfo(root: string): Record<string, unknown> {
  const { typescript, tslab } = toolVersions();
  let version = '0.0.0';
  try {
    version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? version;
  } catch {
    /* the version is only informative */
  }
  return {
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'contrastive-lab-kernel',
    implementation_version: version,
    language_info: {
      name: 'typescript',
      version: typescript,
      mimetype: 'text/typescript',
      file_extension: '.ts',
      codemirror_mode: 'typescript',
      pygments_lexer: 'typescript',
    },
    banner: `TypeScript ${typescript} on Node.js ${process.versions.node}: cells are type-checked against each other (tslab ${tslab}'s converter)`,
    help_links: [
      { text: 'TypeScript handbook', url: 'https://www.typescriptlang.org/docs/handbook/intro.html' },
      { text: 'TensorFlow.js API', url: 'https://js.tensorflow.org/api/latest/' },
      { text: 'Node.js API', url: `https://nodejs.org/docs/v${process.versions.node}/api/` },
    ],
    debugger: false,
  };
}

async function main(): Promise<void> {
  const [file, ...rest] = process.argv.slice(2);
  if (file === undefined || rest.length > 0 || file.startsWith('-')) {
    process.stderr.write('usage: node dist/kernel/main.js CONNECTION_FILE   (Jupyter starts it from the kernelspec)\n');
    process.exit(2);
  }
  const root = projectRoot();
  const kernel = new Kernel({ connection: readConnectionFile(file), cwd: process.cwd(), projectRoot: root, kernelInfo: kernelInfo(root) });
  await kernel.start();
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
