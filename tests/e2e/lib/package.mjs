// A small but valid Reelgate package, built in memory, and a ustar archive of it, so browser
// and client tests can publish without running the transcoder.
import { createHash, randomBytes } from 'node:crypto';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

export function samplePackage({ segments = 3, renditions = ['240p', '360p'] } = {}) {
  const files = new Map();
  const manifestFiles = {};
  const add = (name, data) => {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
    files.set(name, bytes);
    manifestFiles[name] = { sha256: sha256(bytes), bytes: bytes.length };
  };
  let master = '#EXTM3U\n#EXT-X-VERSION:3\n';
  const renditionList = [];
  renditions.forEach((name, i) => {
    const playlists = {};
    for (const variant of ['a', 'b']) {
      let playlist = '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n';
      for (let n = 0; n < segments; n++) {
        playlist += `#EXTINF:${n === segments - 1 ? '2.500' : '4.000'},\n${variant}/${n}.ts\n`;
        add(`${name}/${variant}/${n}.ts`, randomBytes(3000));
      }
      playlist += '#EXT-X-ENDLIST\n';
      add(`${name}/${variant}.m3u8`, playlist);
      playlists[variant] = `${name}/${variant}.m3u8`;
    }
    master += `#EXT-X-STREAM-INF:BANDWIDTH=${(i + 1) * 400000}\n${name}/a.m3u8\n`;
    renditionList.push({ name, playlists });
  });
  add('master.m3u8', master);
  const manifest = {
    format_version: 1,
    duration_ms: 4000 * (segments - 1) + 2500,
    segment_duration_ms: 4000,
    segment_count: segments,
    master_playlist: 'master.m3u8',
    renditions: renditionList,
    variants: { ab: true },
    files: manifestFiles,
  };
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
  return files;
}

function octal(value, width) {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

export function tar(files) {
  const blocks = [];
  for (const [name, data] of files) {
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write(octal(0o644, 8), 100);
    header.write(octal(0, 8), 108);
    header.write(octal(0, 8), 116);
    header.write(octal(data.length, 12), 124);
    header.write(octal(1700000000, 12), 136);
    header.write('0', 156);
    header.write('ustar\0' + '00', 257, 'binary');
    header.fill(' ', 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(octal(sum, 7), 148);
    header.write(' ', 155);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
