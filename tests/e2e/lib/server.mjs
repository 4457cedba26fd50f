// Starts the real reelgate-server binary on a free port with a fresh data dir, for browser
// tests. REELGATE_SERVER_BIN names the binary (CTest sets it).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const serverBinary = process.env.REELGATE_SERVER_BIN || 'reelgate-server';

export async function startServer(extraArgs = []) {
  const root = mkdtempSync(join(tmpdir(), 'reelgate-e2e-'));
  chmodSync(root, 0o711); // a root-run server hands PostgreSQL to the postgres user
  const dataDir = join(root, 'data');
  const child = spawn(serverBinary, ['--listen', '127.0.0.1:0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 120000);
    const onData = (chunk) => {
      log += chunk.toString();
      const match = log.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  return {
    url,
    dataDir,
    log: () => log,
    // Runs a server command (e.g. ['outbox']) against this server's data dir.
    command(args, input = '') {
      const result = spawnSync(serverBinary, [...args, '--data-dir', dataDir], { input, encoding: 'utf8' });
      return { code: result.status, out: result.stdout, err: result.stderr };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
