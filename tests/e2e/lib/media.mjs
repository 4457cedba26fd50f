// A real, small Reelgate package: ffmpeg makes a clip (test pattern + tone), reelgate-encode
// transcodes it into an A/B, AES-128 HLS package, and the server's `publish` command sells it.
// REELGATE_ENCODE_BIN names the encoder (CTest sets it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const encodeBinary = process.env.REELGATE_ENCODE_BIN || 'reelgate-encode';

function run(program, args) {
  const result = spawnSync(program, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${program} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${program} ${args.join(' ')} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

// Makes {dir, remove()} holding package/ (the encoded package) built from a seconds-long clip.
export function makePackage({ seconds = 12 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'reelgate-pkg-'));
  const clip = join(dir, 'clip.mp4');
  run('ffmpeg', ['-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-shortest', clip]);
  const packageDir = join(dir, 'package');
  run(encodeBinary, ['transcode', clip, packageDir, '--preset', 'draft', '--ab', '--aes',
    '--segment-seconds', '2', '--quiet']);
  return { packageDir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// Publishes through the server's command line; returns the video's public id.
export function publish(server, packageDir, { creator, title, price, currency, affiliateBps, description }) {
  const args = ['publish', packageDir, '--creator', creator, '--title', title,
    '--price', price, '--currency', currency];
  if (affiliateBps !== undefined) args.push('--affiliate-bps', String(affiliateBps));
  if (description !== undefined) args.push('--description', description);
  const result = server.command(args);
  const id = result.out.match(/published (\S+)/)?.[1];
  if (result.code !== 0 || !id) {
    throw new Error(`publish failed (${result.code}):\n${result.err}${result.out}`);
  }
  return id;
}

export function credit(server, username, amount, currency) {
  const result = server.command(['credit', username, amount, currency, '--memo', 'test credit']);
  if (result.code !== 0) throw new Error(`credit failed (${result.code}):\n${result.err}${result.out}`);
  return result.out;
}
