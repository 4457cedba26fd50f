// A playable package made with the ffmpeg command line alone (no reelgate-encode): a test
// pattern with a tone, cut into 2-second HLS segments per rendition; the A and B variants hold
// the same segments (these tests are about the store, not forensics). Shaped like
// package.mjs's samplePackage, so the server's `publish` command takes it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SEGMENT_SECONDS = 2;

function run(args) {
  const result = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
}

// {packageDir, remove()}; renditions: [{name, height, bandwidth}] from low to high.
export function makeClipPackage({ seconds = 30, renditions = [
  { name: '240p', height: 240, bandwidth: 300000 },
  { name: '480p', height: 480, bandwidth: 900000 },
] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'reelgate-clip-'));
  const packageDir = join(dir, 'package');
  mkdirSync(packageDir);
  const files = {};
  const add = (name) => {
    const bytes = readFileSync(join(packageDir, name));
    files[name] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  };
  let master = '#EXTM3U\n#EXT-X-VERSION:3\n';
  const list = [];
  let segments = 0;
  for (const r of renditions) {
    const width = Math.round((r.height * 16) / 9 / 2) * 2;
    const work = join(dir, r.name);
    mkdirSync(work);
    run(['-f', 'lavfi', '-i', `testsrc2=size=${width}x${r.height}:rate=25`,
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(seconds),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '50',
      '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`, '-c:a', 'aac', '-shortest',
      '-f', 'hls', '-hls_time', String(SEGMENT_SECONDS), '-hls_playlist_type', 'vod',
      '-hls_segment_filename', join(work, '%d.ts'), join(work, 'index.m3u8')]);
    const names = readdirSync(work).filter((f) => f.endsWith('.ts'));
    segments = names.length;
    const playlists = {};
    for (const variant of ['a', 'b']) {
      mkdirSync(join(packageDir, r.name, variant), { recursive: true });
      for (const name of names) {
        copyFileSync(join(work, name), join(packageDir, r.name, variant, name));
        add(`${r.name}/${variant}/${name}`);
      }
      const source = readFileSync(join(work, 'index.m3u8'), 'utf8');
      writeFileSync(join(packageDir, r.name, `${variant}.m3u8`),
        source.replace(/^(\d+\.ts)$/gm, `${variant}/$1`));
      add(`${r.name}/${variant}.m3u8`);
      playlists[variant] = `${r.name}/${variant}.m3u8`;
    }
    master += `#EXT-X-STREAM-INF:BANDWIDTH=${r.bandwidth},RESOLUTION=${Math.round((r.height * 16) / 9 / 2) * 2}x${r.height}\n${r.name}/a.m3u8\n`;
    list.push({ name: r.name, playlists });
  }
  writeFileSync(join(packageDir, 'master.m3u8'), master);
  add('master.m3u8');
  const manifest = {
    format_version: 1,
    duration_ms: seconds * 1000,
    segment_duration_ms: SEGMENT_SECONDS * 1000,
    segment_count: segments,
    master_playlist: 'master.m3u8',
    renditions: list,
    variants: { ab: true },
    files,
  };
  writeFileSync(join(packageDir, 'manifest.json'), JSON.stringify(manifest));
  return { packageDir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
