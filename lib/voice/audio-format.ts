// Recognises a recording by its bytes (never by the name or type the client gave it) and measures
// its duration: WAV, MP3, Ogg (Opus or Vorbis) and WebM (Matroska) audio. Anything else, or audio
// with no samples, is not audio. Browsers' MediaRecorder writes WebM without a Duration, so its
// duration is read from the timestamps of its blocks.

import type { AudioContentType } from "./types";

export type AudioContainer = "wav" | "mp3" | "ogg" | "webm";

export type AudioInfo = {
  container: AudioContainer;
  contentType: AudioContentType;
  durationMs: number;
};

const CONTENT_TYPES: Record<AudioContainer, AudioContentType> = {
  wav: "audio/wav",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  webm: "audio/webm",
};

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The recording's format and duration, or null when the bytes are not audio this app takes. */
export function probeAudio(bytes: Uint8Array): AudioInfo | null {
  if (bytes.byteLength < 12) return null;
  let container: AudioContainer | null = null;
  let durationMs: number | null = null;
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE") {
    container = "wav";
    durationMs = wavDurationMs(bytes);
  } else if (ascii(bytes, 0, 4) === "OggS") {
    container = "ogg";
    durationMs = oggDurationMs(bytes);
  } else if (view(bytes).getUint32(0) === 0x1a45dfa3) {
    container = "webm";
    durationMs = webmDurationMs(bytes);
  } else {
    durationMs = mp3DurationMs(bytes);
    if (durationMs !== null) container = "mp3";
  }
  if (!container || durationMs === null || !(durationMs > 0)) return null;
  return { container, contentType: CONTENT_TYPES[container], durationMs: Math.round(durationMs) };
}

// WAV ----------------------------------------------------------------------------------------

/** RIFF chunks: `fmt ` gives the byte rate, `data` the length of the samples. */
export function wavDurationMs(bytes: Uint8Array): number | null {
  const dv = view(bytes);
  let byteRate = 0;
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = ascii(bytes, at, 4);
    const size = dv.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt " && body + 16 <= bytes.byteLength) {
      const channels = dv.getUint16(body + 2, true);
      byteRate = dv.getUint32(body + 8, true);
      if (channels === 0) return null;
    } else if (id === "data") {
      if (!byteRate) return null;
      // Streamed WAVs may leave the size 0 or 0xFFFFFFFF: then the samples run to the end.
      const available = bytes.byteLength - body;
      const length = size === 0 || size > available ? available : size;
      return (length / byteRate) * 1000;
    }
    at = body + size + (size % 2);
  }
  return null;
}

// MP3 ----------------------------------------------------------------------------------------

// kbit/s by [MPEG-1 ? 0 : 1][layer 1..3][index]; index 0 (free) and 15 (bad) are refused.
const BITRATES = [
  [
    [],
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

type Mp3Frame = { length: number; samples: number; sampleRate: number };

/** The MPEG audio frame whose header starts at `at`, or null. */
export function mp3FrameAt(bytes: Uint8Array, at: number): Mp3Frame | null {
  if (at + 4 > bytes.byteLength) return null;
  const b1 = bytes[at + 1] ?? 0;
  const b2 = bytes[at + 2] ?? 0;
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
  const layer = 4 - ((b1 >> 1) & 3); // 1, 2, 3 (4: reserved)
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  const padding = (b2 >> 1) & 1;
  const rates = SAMPLE_RATES[version];
  if (!rates || layer > 3 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) {
    return null;
  }
  const kbps = BITRATES[version === 3 ? 0 : 1]?.[layer]?.[bitrateIndex] ?? 0;
  const sampleRate = rates[rateIndex] ?? 0;
  if (!kbps || !sampleRate) return null;
  const bitrate = kbps * 1000;
  if (layer === 1) {
    return {
      length: (Math.floor((12 * bitrate) / sampleRate) + padding) * 4,
      samples: 384,
      sampleRate,
    };
  }
  const mpeg1 = version === 3;
  const samples = layer === 3 && !mpeg1 ? 576 : 1152;
  const length = Math.floor(((samples / 8) * bitrate) / sampleRate) + padding;
  return { length, samples, sampleRate };
}

/** Skips an ID3v2 tag (10-byte header, syncsafe size, optional 10-byte footer). */
function afterId3(bytes: Uint8Array): number {
  if (ascii(bytes, 0, 3) !== "ID3" || bytes.byteLength < 10) return 0;
  const size =
    ((bytes[6] ?? 0) << 21) | ((bytes[7] ?? 0) << 14) | ((bytes[8] ?? 0) << 7) | (bytes[9] ?? 0);
  const footer = ((bytes[5] ?? 0) & 0x10) !== 0 ? 10 : 0;
  return 10 + size + footer;
}

/**
 * The sum of the frames' samples. The audio must start with a frame (after any ID3 tag) that is
 * followed by another, so that text or noise that happens to contain 0xFFE is not taken for MP3.
 */
export function mp3DurationMs(bytes: Uint8Array): number | null {
  let at = afterId3(bytes);
  const first = mp3FrameAt(bytes, at);
  if (!first) return null;
  const second = mp3FrameAt(bytes, at + first.length);
  if (!second && at + first.length < bytes.byteLength - 128) return null;
  let seconds = 0;
  for (;;) {
    const frame = mp3FrameAt(bytes, at);
    if (!frame || at + frame.length > bytes.byteLength) break;
    seconds += frame.samples / frame.sampleRate;
    at += frame.length;
  }
  return seconds * 1000;
}

// Ogg ----------------------------------------------------------------------------------------

/**
 * The last granule position of the first logical stream, in its codec's sample rate (Opus:
 * always 48 kHz, less the pre-skip; Vorbis: the rate in its identification header).
 */
export function oggDurationMs(bytes: Uint8Array): number | null {
  const dv = view(bytes);
  let at = 0;
  let serial: number | null = null;
  let rate = 0;
  let preSkip = 0;
  let lastGranule = -1n;
  while (at + 27 <= bytes.byteLength && ascii(bytes, at, 4) === "OggS") {
    const granule = dv.getBigInt64(at + 6, true);
    const pageSerial = dv.getUint32(at + 14, true);
    const segments = bytes[at + 26] ?? 0;
    let bodyLength = 0;
    for (let i = 0; i < segments; i++) bodyLength += bytes[at + 27 + i] ?? 0;
    const body = at + 27 + segments;
    if (serial === null) {
      serial = pageSerial;
      if (ascii(bytes, body, 8) === "OpusHead" && body + 12 <= bytes.byteLength) {
        rate = 48_000;
        preSkip = dv.getUint16(body + 10, true);
      } else if (ascii(bytes, body, 7) === "\u0001vorbis" && body + 16 <= bytes.byteLength) {
        rate = dv.getUint32(body + 12, true);
      } else {
        return null;
      }
    }
    // -1: no packet ends on this page.
    if (pageSerial === serial && granule >= 0n) lastGranule = granule;
    at = body + bodyLength;
  }
  if (!rate || lastGranule < 0n) return null;
  const samples = Number(lastGranule) - preSkip;
  return samples > 0 ? (samples / rate) * 1000 : null;
}

// WebM ---------------------------------------------------------------------------------------

const EBML = {
  header: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackType: 0x83,
  codecId: 0x86,
  cluster: 0x1f43b675,
  clusterTimecode: 0xe7,
  blockGroup: 0xa0,
  block: 0xa1,
  simpleBlock: 0xa3,
} as const;

// Elements whose children are read; every other element is skipped by its size.
const DESCEND = new Set<number>([
  EBML.segment,
  EBML.info,
  EBML.tracks,
  EBML.trackEntry,
  EBML.cluster,
  EBML.blockGroup,
]);

/** An EBML variable-length integer at `at`: its value (marker bit removed) and length. */
function vint(bytes: Uint8Array, at: number, keepMarker: boolean) {
  const first = bytes[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23; // 1..8
  if (at + length > bytes.byteLength) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i] ?? 0;
    value = value * 256 + b;
    if (b !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function readUint(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + (bytes[at + i] ?? 0);
  return value;
}

/** Info/Duration when the muxer wrote one, else the timestamp of the last block. */
export function webmDurationMs(bytes: Uint8Array): number | null {
  const dv = view(bytes);
  let docType = "";
  let scale = 1_000_000; // ns per tick, the Matroska default
  let declared = 0;
  let clusterTime = 0;
  let lastBlock = -1;
  let trackType = 0;
  let codec = "";
  let audioTracks = 0;
  let videoTracks = 0;

  const endTrack = () => {
    if (trackType === 2 || codec.startsWith("A_")) audioTracks += 1;
    if (trackType === 1 || codec.startsWith("V_")) videoTracks += 1;
    trackType = 0;
    codec = "";
  };

  let at = 0;
  let trackEnd = -1;
  while (at < bytes.byteLength) {
    if (trackEnd >= 0 && at >= trackEnd) {
      endTrack();
      trackEnd = -1;
    }
    const id = vint(bytes, at, true);
    if (!id) break;
    const size = vint(bytes, at + id.length, false);
    if (!size) break;
    const body = at + id.length + size.length;
    const end = size.unknown ? bytes.byteLength : body + size.value;

    if (id.value === EBML.header) {
      // Read DocType from the header's children, then skip the header.
      let child = body;
      while (child < Math.min(end, bytes.byteLength)) {
        const cid = vint(bytes, child, true);
        const csize = cid && vint(bytes, child + cid.length, false);
        if (!cid || !csize) break;
        const cbody = child + cid.length + csize.length;
        if (cid.value === EBML.docType)
          docType = ascii(bytes, cbody, csize.value).replace(/\0+$/, "");
        child = cbody + csize.value;
      }
      at = end;
      continue;
    }
    if (DESCEND.has(id.value)) {
      if (id.value === EBML.trackEntry) {
        if (trackEnd >= 0) endTrack();
        trackEnd = end;
      }
      at = body;
      continue;
    }
    // Any other element of unknown size cannot be skipped: stop where it starts.
    if (size.unknown || body > bytes.byteLength) break;

    switch (id.value) {
      case EBML.timecodeScale:
        scale = readUint(bytes, body, size.value) || scale;
        break;
      case EBML.duration:
        if (size.value === 4 && body + 4 <= bytes.byteLength) declared = dv.getFloat32(body);
        if (size.value === 8 && body + 8 <= bytes.byteLength) declared = dv.getFloat64(body);
        break;
      case EBML.trackType:
        trackType = readUint(bytes, body, size.value);
        break;
      case EBML.codecId:
        codec = ascii(bytes, body, size.value);
        break;
      case EBML.clusterTimecode:
        clusterTime = readUint(bytes, body, size.value);
        break;
      case EBML.simpleBlock:
      case EBML.block: {
        const track = vint(bytes, body, false);
        if (track && body + track.length + 2 <= bytes.byteLength) {
          const relative = dv.getInt16(body + track.length);
          lastBlock = Math.max(lastBlock, clusterTime + relative);
        }
        break;
      }
    }
    at = end;
  }
  if (trackEnd >= 0) endTrack();

  if (docType !== "webm" && docType !== "matroska") return null;
  if (audioTracks === 0 || videoTracks > 0) return null;
  const ticks = declared > 0 ? declared : lastBlock;
  if (!(ticks > 0)) return null;
  return (ticks * scale) / 1_000_000;
}
